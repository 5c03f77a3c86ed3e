# Static assets: govuk-frontend's compiled CSS, rebranded (GOV.UK's own fonts and crest removed,
# a system font stack), with static/src/layan.css appended, fingerprinted into
# ${CMAKE_BINARY_DIR}/static/layan.<hash>.css and listed in manifest.json. No node at build time.
set(GOVUK_CSS ${CMAKE_SOURCE_DIR}/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css)
if(NOT EXISTS ${GOVUK_CSS})
  message(FATAL_ERROR "node_modules is missing: run scripts/deps.sh first")
endif()
file(GLOB layan_static_src CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/static/src/*)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/static/manifest.json
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR}/static/src -DGOVUK=${GOVUK_CSS}
          -DOUT=${CMAKE_BINARY_DIR}/static -P ${CMAKE_SOURCE_DIR}/static/build-assets.cmake
  DEPENDS ${layan_static_src} ${GOVUK_CSS} ${CMAKE_SOURCE_DIR}/static/build-assets.cmake
  COMMENT "static assets")
add_custom_target(static_assets ALL DEPENDS ${CMAKE_BINARY_DIR}/static/manifest.json)
