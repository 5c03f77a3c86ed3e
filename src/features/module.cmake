# The outbox senders (features/outbox/send.c) use libcurl for SMTP and webhooks.
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::CURL)

# The OpenAPI document of /api/v1 (docs/openapi.json) is embedded in the binary and served at
# /api/v1/openapi.json by features/services/api.c.
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/openapi_doc.c
                   COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_SOURCE_DIR}/docs/openapi.json -DOUT=${LAYAN_GEN_DIR}/openapi_doc.c
                           -DFUNC=svc_openapi_doc -P ${CMAKE_SOURCE_DIR}/src/db/embed.cmake
                   DEPENDS ${CMAKE_SOURCE_DIR}/docs/openapi.json ${CMAKE_SOURCE_DIR}/src/db/embed.cmake
                   COMMENT "docs/openapi.json into the binary")
target_sources(${MODULE_TARGET} PRIVATE ${LAYAN_GEN_DIR}/openapi_doc.c)
# embed.cmake declares its function in db/refdata.h; this one is declared in services/api.c
set_source_files_properties(${LAYAN_GEN_DIR}/openapi_doc.c PROPERTIES COMPILE_OPTIONS -Wno-missing-prototypes)
