# muze_add_module(<name> SOURCES ... [DEPS ...]) creates the static library muze_<name>
# with the alias Muze::<Name>, the project's warnings, and include/ as its public headers.
function(muze_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
      -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
      $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
    if(MUZE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
endfunction()

function(muze_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  # Public headers join the target so AUTOMOC sees their Q_OBJECTs.
  file(GLOB public_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/muze/${name}/*.h)
  add_library(muze_${name} STATIC ${ARG_SOURCES} ${public_headers})
  string(SUBSTRING ${name} 0 1 first)
  string(TOUPPER ${first} first)
  string(SUBSTRING ${name} 1 -1 rest)
  add_library(Muze::${first}${rest} ALIAS muze_${name})
  target_include_directories(muze_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(muze_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_target_properties(muze_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  muze_warnings(muze_${name})
endfunction()

# muze_add_test(<name> [GUI] [LOCK resource] SOURCES ... DEPS ...) builds tests/<name> into the Catch2 runner
# muze_tests_<name> with the shared main (it creates the Qt application) and registers
# every TEST_CASE with CTest.
function(muze_add_test name)
  cmake_parse_arguments(ARG "GUI" "LOCK" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(muze_tests_${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/tests/support/main.cpp
    ${PROJECT_SOURCE_DIR}/tests/support/testsupport.cpp)
  target_include_directories(muze_tests_${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_link_libraries(muze_tests_${name} PRIVATE ${ARG_DEPS} muze_catch Qt6::Core Qt6::Test)
  if(ARG_GUI)
    target_link_libraries(muze_tests_${name} PRIVATE Qt6::Widgets)
    target_compile_definitions(muze_tests_${name} PRIVATE MUZE_TEST_GUI=1)
  endif()
  target_compile_definitions(muze_tests_${name} PRIVATE
    MUZE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" MUZE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  muze_warnings(muze_tests_${name})
  set(labels ${name} ${ARG_LABELS})
  # LOCK names a shared resource (e.g. "pulseaudio") so CTest never runs two users at once.
  # Widget tests share one X display (window activation, focus, shortcuts), and audio tests one
  # PulseAudio: all of them take the same lock, so CTest runs them one at a time.
  if(ARG_GUI AND NOT ARG_LOCK)
    set(ARG_LOCK desktop)
  endif()
  set(lock_props)
  if(ARG_LOCK)
    set(lock_props RESOURCE_LOCK ${ARG_LOCK})
  endif()
  # --warn NoTests: a name that matches no test case fails instead of passing silently.
  catch_discover_tests(muze_tests_${name} TEST_PREFIX "${name}: " EXTRA_ARGS --warn NoTests
    PROPERTIES LABELS "${labels}" TIMEOUT 300 ${lock_props})
endfunction()
