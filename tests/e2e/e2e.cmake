# Browser tests: one CTest test per tests/e2e/*.test.mjs, run with node's test runner against
# the real layan binary and Debian's chromium.
find_program(NODE node REQUIRED)
file(GLOB e2e_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/e2e/*.test.mjs)
foreach(t ${e2e_tests})
  get_filename_component(n ${t} NAME)
  string(REPLACE ".test.mjs" "" n ${n})
  add_test(NAME e2e/${n} COMMAND ${NODE} --test --test-reporter=spec ${t})
  set_tests_properties(e2e/${n} PROPERTIES
    ENVIRONMENT "LAYAN_BIN=$<TARGET_FILE:layan>;LAYAN_SOURCE_DIR=${CMAKE_SOURCE_DIR};NODE_PATH=${CMAKE_SOURCE_DIR}/node_modules"
    LABELS e2e TIMEOUT 300)
endforeach()
