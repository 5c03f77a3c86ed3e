# The official district code list is compiled into lycore: ${LAYAN_GEN_DIR}/region_table_data.c
# is generated from idn-area-data's districts.csv by scripts/gen-region-table.js.
find_program(NODE node REQUIRED)
set(region_csv ${CMAKE_SOURCE_DIR}/node_modules/idn-area-data/data/districts.csv)
if(NOT EXISTS ${region_csv})
  message(FATAL_ERROR "node_modules is missing (${region_csv}): run scripts/deps.sh first")
endif()
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/region_table_data.c
                   COMMAND ${NODE} ${CMAKE_SOURCE_DIR}/scripts/gen-region-table.js ${region_csv}
                           ${LAYAN_GEN_DIR}/region_table_data.c
                   DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen-region-table.js ${region_csv}
                   COMMENT "region_table_data.c from idn-area-data districts.csv")
target_sources(${MODULE_TARGET} PRIVATE ${LAYAN_GEN_DIR}/region_table_data.c)
