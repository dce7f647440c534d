# English plural forms for the GUI. Strings are written in English as tr("%n take(s)", "", n);
# Qt substitutes %n, but only a translation says "1 take" / "3 takes". At build time lupdate
# (-pluralonly) collects every plural message of the sources, tools/fill-en-plurals.py writes
# both English forms, lrelease compiles them, and the .qm is embedded in the target as
# :/i18n/muze_en.qm. Nothing is committed that could go stale when a string changes.
# Tools: lupdate and lrelease from Debian's qt6-l10n-tools.
function(muze_add_english_plurals target sources_dir)
  find_program(MUZE_LUPDATE NAMES lupdate lupdate-qt6
               HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_LIBEXECS}" REQUIRED)
  find_program(MUZE_LRELEASE NAMES lrelease lrelease-qt6
               HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_LIBEXECS}" REQUIRED)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  file(GLOB ts_inputs CONFIGURE_DEPENDS "${sources_dir}/*.cpp" "${sources_dir}/*.h")
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/i18n")
  set(fill "${PROJECT_SOURCE_DIR}/tools/fill-en-plurals.py")
  add_custom_command(
    OUTPUT "${dir}/muze_en.qm"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND "${MUZE_LUPDATE}" -silent -pluralonly -no-obsolete -locations none -source-language en
            -target-language en ${ts_inputs} -ts "${dir}/muze_en_plurals.ts"
    COMMAND "${Python3_EXECUTABLE}" "${fill}" "${dir}/muze_en_plurals.ts" "${dir}/muze_en.ts"
    COMMAND "${MUZE_LRELEASE}" -silent "${dir}/muze_en.ts" -qm "${dir}/muze_en.qm"
    DEPENDS ${ts_inputs} "${fill}"
    COMMENT "English plural forms for ${target}"
    VERBATIM)
  set_source_files_properties("${dir}/muze_en.qm" PROPERTIES GENERATED TRUE)
  qt_add_resources(${target} muze_i18n PREFIX /i18n BASE "${dir}" FILES "${dir}/muze_en.qm")
endfunction()
