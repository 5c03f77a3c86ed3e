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

# The holiday calendar for this year and the next, from npm date-holidays (see scripts/).
find_program(NODE node REQUIRED)
if(NOT EXISTS ${CMAKE_SOURCE_DIR}/node_modules/date-holidays)
  message(FATAL_ERROR "node_modules is missing: run scripts/deps.sh first")
endif()
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/holidays.csv
                   COMMAND ${NODE} ${CMAKE_SOURCE_DIR}/scripts/gen-holidays.js ${LAYAN_GEN_DIR}/holidays.csv
                   DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen-holidays.js ${CMAKE_SOURCE_DIR}/package-lock.json
                   WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                   COMMENT "holidays.csv from date-holidays")
add_custom_target(holidays ALL DEPENDS ${LAYAN_GEN_DIR}/holidays.csv)
add_dependencies(${MODULE_TARGET} holidays)
