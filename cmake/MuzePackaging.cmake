# Installing on Linux (FHS places) and the Debian package made by CPack:
#   cmake --install build --prefix /usr          binaries, icon, .desktop entry, AppStream data
#   cd build && cpack -G DEB                     muze_<version>_<arch>.deb
# The package's dependencies are read off the binaries by dpkg-shlibdeps (package dpkg-dev).
include(GNUInstallDirs)

if(UNIX AND NOT APPLE)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/com.krondor.muze.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/com.krondor.muze.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/com.krondor.muze.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/muze RENAME copyright)
  # Debian wants the changelog gzipped (-n: no timestamp, so the package is reproducible).
  file(ARCHIVE_CREATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
       PATHS ${PROJECT_SOURCE_DIR}/resources/changelog FORMAT raw COMPRESSION GZip)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/muze)
endif()

set(CPACK_PACKAGE_NAME muze)
set(CPACK_PACKAGE_VENDOR "The Muze authors")
set(CPACK_PACKAGE_CONTACT "The Muze authors <muze@krondor.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "record, mix and sync music ideas across devices")
set(CPACK_PACKAGE_DESCRIPTION "Muze keeps a musician's work in vaults of collections, projects and
mixes of recorded tracks, and syncs them through Dropbox, iCloud Drive
or a plain folder, encrypted end to end when asked. This package holds
the desktop app (muze) and the command line (muze-cli).")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://krondor.com/muze")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip) # xz takes most of the packaging time for ~no gain here
# Loaded at run time, so dpkg-shlibdeps cannot see them: the SQLite driver of the sync journal,
# the X11 platform plugin, and a Secret Service for the keychain.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
include(CPack)
