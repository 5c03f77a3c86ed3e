# Migrations are embedded in the binary: every src/db/migrations/NNNN_name[.engine].sql becomes
# a byte array in ${LAYAN_GEN_DIR}/migrations_data.c, regenerated when a file changes.
file(GLOB mig_files ${CMAKE_SOURCE_DIR}/src/db/migrations/*.sql)
list(SORT mig_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${mig_files} ${CMAKE_SOURCE_DIR}/src/db/migrations)
set(gen "/* generated from src/db/migrations by src/db/module.cmake: do not edit */\n#include \"db/migrations.h\"\n")
set(tab "const struct db_migration db_migrations[] = {\n")
set(i 0)
foreach(f ${mig_files})
  get_filename_component(fname ${f} NAME)
  if(NOT fname MATCHES "^[0-9][0-9][0-9][0-9]_[a-z0-9_]+(\\.(sqlite|pg))?\\.sql$")
    message(FATAL_ERROR "migration file ${fname}: name it NNNN_name.sql, NNNN_name.sqlite.sql or NNNN_name.pg.sql")
  endif()
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND gen "static const char mig_${i}[] = {${hex}0x00};\n")
  string(APPEND tab "    {\"${fname}\", mig_${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND tab "};\nconst int db_nmigrations = ${i};\n")
file(WRITE ${LAYAN_GEN_DIR}/migrations_data.c.tmp "${gen}${tab}")
file(COPY_FILE ${LAYAN_GEN_DIR}/migrations_data.c.tmp ${LAYAN_GEN_DIR}/migrations_data.c ONLY_IF_DIFFERENT)
target_sources(${MODULE_TARGET} PRIVATE ${LAYAN_GEN_DIR}/migrations_data.c)

# The holiday calendar for this year and the next (scripts/gen-holidays.js: the SKB lists in
# data/ and npm date-holidays), kept as ${LAYAN_GEN_DIR}/holidays.csv and built into the binary.
find_program(NODE node REQUIRED)
if(NOT EXISTS ${CMAKE_SOURCE_DIR}/node_modules/date-holidays)
  message(FATAL_ERROR "node_modules is missing: run scripts/deps.sh first")
endif()
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/holidays.csv
                   COMMAND ${NODE} ${CMAKE_SOURCE_DIR}/scripts/gen-holidays.js ${LAYAN_GEN_DIR}/holidays.csv
                   DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen-holidays.js ${CMAKE_SOURCE_DIR}/package-lock.json
                           ${CMAKE_SOURCE_DIR}/data/libur-nasional.csv ${CMAKE_SOURCE_DIR}/data/cuti-bersama.csv
                   WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                   COMMENT "holidays.csv from data/ and date-holidays")
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/holidays_data.c
                   COMMAND ${CMAKE_COMMAND} -DIN=${LAYAN_GEN_DIR}/holidays.csv -DOUT=${LAYAN_GEN_DIR}/holidays_data.c
                           -DFUNC=db_refdata_holidays -P ${CMAKE_SOURCE_DIR}/src/db/embed.cmake
                   DEPENDS ${LAYAN_GEN_DIR}/holidays.csv ${CMAKE_SOURCE_DIR}/src/db/embed.cmake
                   COMMENT "holidays.csv into the binary")
target_sources(${MODULE_TARGET} PRIVATE ${LAYAN_GEN_DIR}/holidays_data.c)
add_custom_target(holidays ALL DEPENDS ${LAYAN_GEN_DIR}/holidays.csv)

# The PostgreSQL driver (pg.c) links libpq.
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::PQ)
