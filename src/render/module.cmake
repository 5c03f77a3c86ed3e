# Translations: po/<lang>.po -> ${CMAKE_BINARY_DIR}/locale/<lang>.mo with msgfmt.
find_program(MSGFMT msgfmt REQUIRED)
file(GLOB layan_po CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
set(layan_mo "")
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/locale)
foreach(po ${layan_po})
  get_filename_component(lang ${po} NAME_WE)
  set(mo ${CMAKE_BINARY_DIR}/locale/${lang}.mo)
  add_custom_command(OUTPUT ${mo} COMMAND ${MSGFMT} --check -o ${mo} ${po} DEPENDS ${po}
                     COMMENT "msgfmt ${lang}.po")
  list(APPEND layan_mo ${mo})
endforeach()
add_custom_target(locale ALL DEPENDS ${layan_mo})
add_dependencies(${MODULE_TARGET} locale)

# QR codes (qr.c): libqrencode
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::QRENCODE)

# PDF documents (pdf.c: cairo + pango) and spreadsheets (xlsx.c: libxlsxwriter)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
target_link_libraries(${MODULE_TARGET} PUBLIC PkgConfig::PANGOCAIRO PkgConfig::XLSXWRITER)
