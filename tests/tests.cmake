# Unit tests: tests/unit/test_<module>_*.c link only that module (and what it needs), so
# a module under construction does not block the others. test_*.c otherwise links all.
# HTTP tests: tests/http/test_*.c start the real server in-process and talk to it with libcurl.
# fontconfig 2.14 leaks 288 bytes once at FcInit (pango calls it); nothing of ours is suppressed
set(LAYAN_TEST_ENV "LAYAN_SOURCE_DIR=${CMAKE_SOURCE_DIR}" "LAYAN_BUILD_DIR=${CMAKE_BINARY_DIR}"
    "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp")
# Database tests run on both engines: a unit test that includes "testdb.h" is registered again as
# pg/<name> (label pg) with LAYAN_TEST_DB pointing at a throwaway PostgreSQL cluster on a unix
# socket, started once by the pg_cluster fixture (scripts/pg-test.sh) and removed after.
# test_db_pg runs only there (it starts a cluster of its own too, to stop it mid-test).
string(MD5 pg_tag "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${pg_tag}" 0 10 pg_tag)
set(LAYAN_PG_DIR /tmp/layan-pg-${pg_tag})
execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/pg-test.sh url ${LAYAN_PG_DIR}
                OUTPUT_VARIABLE LAYAN_PG_URL OUTPUT_STRIP_TRAILING_WHITESPACE)
add_test(NAME pg/cluster_start COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/pg-test.sh start ${LAYAN_PG_DIR})
set_tests_properties(pg/cluster_start PROPERTIES FIXTURES_SETUP pg_cluster LABELS pg TIMEOUT 120)
add_test(NAME pg/cluster_stop COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/pg-test.sh stop ${LAYAN_PG_DIR})
set_tests_properties(pg/cluster_stop PROPERTIES FIXTURES_CLEANUP pg_cluster LABELS pg TIMEOUT 120)
add_library(lytestdb STATIC ${CMAKE_SOURCE_DIR}/tests/unit/testdb.c)
target_link_libraries(lytestdb PUBLIC lydb)
target_include_directories(lytestdb PUBLIC ${CMAKE_SOURCE_DIR}/tests/unit)
# the store tests' fixture (tests/unit/storefix.h: a database made by `layan init`), linked into
# a unit test that includes it
add_library(lystorefix STATIC ${CMAKE_SOURCE_DIR}/tests/unit/storefix.c)
target_link_libraries(lystorefix PUBLIC lycli lytestdb PkgConfig::CMOCKA)
file(GLOB unit_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(t ${unit_tests})
  get_filename_component(n ${t} NAME_WE)
  if(n MATCHES "^test_(util|core|db|render|http)_")
    set(mod ly${CMAKE_MATCH_1})
  else()
    set(mod lycli)
  endif()
  add_executable(${n} ${t})
  target_link_libraries(${n} PRIVATE ${mod} PkgConfig::CMOCKA)
  file(READ ${t} src)
  string(FIND "${src}" "#include \"storefix.h\"" uses_storefix)
  if(uses_storefix GREATER -1)
    target_link_libraries(${n} PRIVATE lystorefix)
  endif()
  string(FIND "${src}" "#include \"testdb.h\"" uses_testdb)
  if(uses_testdb GREATER -1)
    target_link_libraries(${n} PRIVATE lytestdb)
    add_test(NAME pg/${n} COMMAND ${n})
    set_tests_properties(pg/${n} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV};LAYAN_TEST_DB=${LAYAN_PG_URL}"
                         TIMEOUT 300 LABELS pg FIXTURES_REQUIRED pg_cluster)
  endif()
  if(n STREQUAL "test_db_pg")
    continue()
  endif()
  add_test(NAME unit/${n} COMMAND ${n})
  set_tests_properties(unit/${n} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV}" TIMEOUT 120 LABELS unit)
endforeach()
file(GLOB http_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/http/test_*.c)
foreach(t ${http_tests})
  get_filename_component(n ${t} NAME_WE)
  set(tn http_${n})
  add_executable(${tn} ${t} ${CMAKE_SOURCE_DIR}/tests/http/harness.c
                       ${CMAKE_SOURCE_DIR}/tests/http/appfix.c)
  target_link_libraries(${tn} PRIVATE lycli lytestdb PkgConfig::CMOCKA PkgConfig::CURL)
  target_include_directories(${tn} PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
  add_test(NAME http/${n} COMMAND ${tn})
  set_tests_properties(http/${n} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV}" TIMEOUT 300 LABELS http)
  # like the unit tests: one that includes "testdb.h" runs on PostgreSQL too, as pg/http_<name>
  file(READ ${t} src)
  string(FIND "${src}" "#include \"testdb.h\"" uses_testdb)
  if(uses_testdb GREATER -1)
    add_test(NAME pg/${tn} COMMAND ${tn})
    set_tests_properties(pg/${tn} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV};LAYAN_TEST_DB=${LAYAN_PG_URL}"
                         TIMEOUT 300 LABELS pg FIXTURES_REQUIRED pg_cluster)
  endif()
endforeach()
# Command-line tests: tests/cli/*.sh run against the built binary.
file(GLOB cli_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*.sh)
foreach(t ${cli_tests})
  get_filename_component(n ${t} NAME_WE)
  add_test(NAME cli/${n} COMMAND bash ${t} $<TARGET_FILE:layan>)
  set_tests_properties(cli/${n} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV}" TIMEOUT 300 LABELS cli)
  # a script that reads LAYAN_TEST_DB runs on the pg_cluster too, as pg/cli_<name>
  file(STRINGS ${t} reads_testdb REGEX "LAYAN_TEST_DB")
  if(reads_testdb)
    add_test(NAME pg/cli_${n} COMMAND bash ${t} $<TARGET_FILE:layan>)
    set_tests_properties(pg/cli_${n} PROPERTIES ENVIRONMENT "${LAYAN_TEST_ENV};LAYAN_TEST_DB=${LAYAN_PG_URL}"
                         TIMEOUT 300 LABELS pg FIXTURES_REQUIRED pg_cluster)
  endif()
endforeach()
# Browser tests (Playwright + Debian chromium): tests/e2e/e2e.cmake registers them.
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/e2e/e2e.cmake AND NOT LAYAN_SANITIZE AND NOT LAYAN_FUZZ)
  include(${CMAKE_SOURCE_DIR}/tests/e2e/e2e.cmake)
endif()
