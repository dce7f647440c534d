# Apple platforms: the Objective-C++ halves of the platform interfaces, the macOS app bundle and
# the iOS app, with their Info.plist, entitlements and code signing. Included by the top-level
# CMakeLists.txt only if(APPLE); a Linux configure never reads this file. Step by step, and
# what has and has not been verified: docs/BUILDING-APPLE.md.
#
#   macOS:  cmake -S . -B build-mac -G Xcode -DCMAKE_PREFIX_PATH=~/Qt/6.x/macos -DMUZE_APPLE_TEAM_ID=XXXXXXXXXX
#   iOS:    ~/Qt/6.x/ios/bin/qt-cmake -S . -B build-ios -G Xcode -DCMAKE_SYSTEM_NAME=iOS
#             -DMUZE_BUILD_TESTS=OFF -DMUZE_APPLE_TEAM_ID=XXXXXXXXXX
enable_language(OBJCXX)

set(MUZE_APPLE_TEAM_ID "" CACHE STRING "Apple Developer team id that signs Muze (10 characters, developer.apple.com › Membership)")
set(MUZE_APPLE_BUNDLE_ID "com.krondor.muze" CACHE STRING "Bundle identifier (must match the App ID and the iCloud container)")
set(MUZE_APPLE_SIGN_IDENTITY "Apple Development" CACHE STRING "Code signing identity")
set(MUZE_IOS_DEPLOYMENT_TARGET "16.0" CACHE STRING "Oldest iOS Muze runs on")

set(MUZE_APPLE_DIR ${PROJECT_SOURCE_DIR}/platform/apple)
if(IOS)
  set(MUZE_APPLE_ENTITLEMENTS ${MUZE_APPLE_DIR}/Muze-iOS.entitlements)
else()
  set(MUZE_APPLE_ENTITLEMENTS ${MUZE_APPLE_DIR}/Muze.entitlements)
endif()

# Runs once every target exists (end of the top-level CMakeLists.txt).
function(muze_apple_wire)
  # The .mm files, each behind its C++ interface; the portable stand-ins (ubiquitynone.cpp,
  # websignin_none.cpp, audiosession_none.cpp) are left out on Apple by their modules.
  target_sources(muze_remote PRIVATE ${MUZE_APPLE_DIR}/ubiquitycontainer.mm)
  target_link_libraries(muze_remote PRIVATE "-framework Foundation")
  target_sources(muze_auth PRIVATE ${MUZE_APPLE_DIR}/websignin.mm)
  if(IOS)
    target_link_libraries(muze_auth PRIVATE "-framework AuthenticationServices" "-framework UIKit" "-framework Foundation")
  else()
    target_link_libraries(muze_auth PRIVATE "-framework AuthenticationServices" "-framework AppKit" "-framework Foundation")
  endif()
  foreach(lib muze_remote muze_auth)
    target_compile_options(${lib} PRIVATE $<$<COMPILE_LANGUAGE:OBJCXX>:-fobjc-arc>)
  endforeach()
  if(TARGET muze_audio)
    target_sources(muze_audio PRIVATE ${MUZE_APPLE_DIR}/audiosession.mm)
    target_link_libraries(muze_audio PRIVATE "-framework AVFoundation" "-framework Foundation")
    target_compile_options(muze_audio PRIVATE $<$<COMPILE_LANGUAGE:OBJCXX>:-fobjc-arc>)
  endif()

  if(TARGET muze)
    set_target_properties(muze PROPERTIES
      MACOSX_BUNDLE ON
      MACOSX_BUNDLE_INFO_PLIST ${MUZE_APPLE_DIR}/Info.plist.in
      MACOSX_BUNDLE_GUI_IDENTIFIER ${MUZE_APPLE_BUNDLE_ID}
      MACOSX_BUNDLE_BUNDLE_NAME Muze
      MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
      MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
      OUTPUT_NAME Muze
      XCODE_ATTRIBUTE_PRODUCT_BUNDLE_IDENTIFIER ${MUZE_APPLE_BUNDLE_ID}
      XCODE_ATTRIBUTE_CODE_SIGN_ENTITLEMENTS ${MUZE_APPLE_ENTITLEMENTS}
      XCODE_ATTRIBUTE_CODE_SIGN_STYLE Automatic
      XCODE_ATTRIBUTE_CODE_SIGN_IDENTITY "${MUZE_APPLE_SIGN_IDENTITY}"
      XCODE_ATTRIBUTE_DEVELOPMENT_TEAM "${MUZE_APPLE_TEAM_ID}")
    if(IOS)
      set_target_properties(muze PROPERTIES
        XCODE_ATTRIBUTE_IPHONEOS_DEPLOYMENT_TARGET ${MUZE_IOS_DEPLOYMENT_TARGET}
        XCODE_ATTRIBUTE_TARGETED_DEVICE_FAMILY "1,2" # iPhone and iPad
        XCODE_ATTRIBUTE_ASSETCATALOG_COMPILER_APPICON_NAME AppIcon)
    else()
      set_target_properties(muze PROPERTIES
        XCODE_ATTRIBUTE_ENABLE_HARDENED_RUNTIME YES
        XCODE_ATTRIBUTE_MACOSX_DEPLOYMENT_TARGET 12.0)
      # Outside Xcode (Ninja, Makefiles) sign the bundle ourselves. iCloud's entitlements also
      # need a provisioning profile, which only Xcode's automatic signing fetches: build with
      # -G Xcode for iCloud (docs/BUILDING-APPLE.md, step 5).
      if(NOT CMAKE_GENERATOR STREQUAL "Xcode" AND MUZE_APPLE_TEAM_ID)
        add_custom_command(TARGET muze POST_BUILD
          COMMAND codesign --force --options runtime --sign "${MUZE_APPLE_SIGN_IDENTITY}"
                  --entitlements ${MUZE_APPLE_ENTITLEMENTS} $<TARGET_BUNDLE_DIR:muze>
          VERBATIM)
      endif()
    endif()
  endif()

  # iOS has no command line and runs no test binaries.
  if(IOS AND TARGET muze-cli)
    set_target_properties(muze-cli PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL muze_apple_wire)
