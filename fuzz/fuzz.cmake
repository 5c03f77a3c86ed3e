# libFuzzer targets: fuzz/fuzz_<name>.c. CTest replays fuzz/regression/<name>/ and the
# seed corpus fuzz/corpus/<name>/, then fuzzes for a short bounded time (LAYAN_FUZZ_SECONDS).
if(NOT DEFINED LAYAN_FUZZ_SECONDS)
  set(LAYAN_FUZZ_SECONDS 8)
endif()
file(GLOB fuzz_targets CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(f ${fuzz_targets})
  get_filename_component(n ${f} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" short ${n})
  add_executable(${n} ${f})
  target_link_libraries(${n} PRIVATE lycli)
  target_link_options(${n} PRIVATE -fsanitize=fuzzer)
  file(MAKE_DIRECTORY ${CMAKE_SOURCE_DIR}/fuzz/regression/${short} ${CMAKE_SOURCE_DIR}/fuzz/corpus/${short})
  add_test(NAME fuzz/${short}_regression
           COMMAND bash ${CMAKE_SOURCE_DIR}/fuzz/replay.sh $<TARGET_FILE:${n}> ${CMAKE_SOURCE_DIR}/fuzz/regression/${short} ${CMAKE_SOURCE_DIR}/fuzz/corpus/${short})
  add_test(NAME fuzz/${short}_short
           COMMAND bash ${CMAKE_SOURCE_DIR}/fuzz/run.sh $<TARGET_FILE:${n}> ${CMAKE_SOURCE_DIR}/fuzz/corpus/${short} ${LAYAN_FUZZ_SECONDS})
  set_tests_properties(fuzz/${short}_regression fuzz/${short}_short PROPERTIES
                       ENVIRONMENT "${LAYAN_TEST_ENV}" TIMEOUT 300 LABELS fuzz)
endforeach()
