# Every dependency comes from a Debian 12 package, found here and nowhere else.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

find_package(Qt6 6.4 REQUIRED COMPONENTS Core Network Sql Widgets Multimedia Test)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
find_package(Qt6Keychain REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
if(MUZE_BUILD_TESTS)
  find_package(Catch2 REQUIRED)
endif()
