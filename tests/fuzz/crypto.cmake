# Crypto fuzzers (docs/FORMAT.md parsers):
#   fuzz_blob_header  any bytes as an encrypted file: header parser + streaming/range decryptor
#   fuzz_blob_stream  valid blobs damaged as the input says: every damage is caught, no false accept
#   fuzz_keyring      any bytes as keyring.json / search-index.json / a keychain entry
# The crypto sources are compiled into each fuzzer so they carry coverage instrumentation.
file(GLOB muze_crypto_fuzz_sources ${PROJECT_SOURCE_DIR}/src/core/crypto/*.cpp)
foreach(fuzzer fuzz_blob_header fuzz_blob_stream fuzz_keyring)
  muze_add_fuzzer(${fuzzer} ${CMAKE_CURRENT_LIST_DIR}/${fuzzer}.cpp
    Muze::Crypto PkgConfig::SODIUM Qt6Keychain::Qt6Keychain)
  target_sources(${fuzzer} PRIVATE ${muze_crypto_fuzz_sources})
  target_include_directories(${fuzzer} PRIVATE ${PROJECT_SOURCE_DIR}/src/core/crypto)
endforeach()
