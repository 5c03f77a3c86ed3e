# Browser tests: one CTest test per tests/e2e/*.test.mjs, run with node's test runner against
# the real layan binary and Debian's chromium: e2e/<name> on SQLite, and pg/e2e_<name> on the
# throwaway PostgreSQL cluster of the pg_cluster fixture (tests/tests.cmake), where harness.mjs
# creates a fresh database per server.
find_program(NODE node REQUIRED)
file(GLOB e2e_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/e2e/*.test.mjs)
foreach(t ${e2e_tests})
  get_filename_component(n ${t} NAME)
  string(REPLACE ".test.mjs" "" n ${n})
  set(e2e_env "LAYAN_BIN=$<TARGET_FILE:layan>;LAYAN_SOURCE_DIR=${CMAKE_SOURCE_DIR};NODE_PATH=${CMAKE_SOURCE_DIR}/node_modules")
  add_test(NAME e2e/${n} COMMAND ${NODE} --test --test-reporter=spec ${t})
  set_tests_properties(e2e/${n} PROPERTIES ENVIRONMENT "${e2e_env}" LABELS e2e TIMEOUT 300)
  add_test(NAME pg/e2e_${n} COMMAND ${NODE} --test --test-reporter=spec ${t})
  set_tests_properties(pg/e2e_${n} PROPERTIES ENVIRONMENT "${e2e_env};LAYAN_TEST_DB=${LAYAN_PG_URL}"
                       LABELS pg TIMEOUT 300 FIXTURES_REQUIRED pg_cluster)
endforeach()
