# Fuzzers for the JSON and wire formats other devices and servers hand us (issue 16):
#   fuzz_model_json      collection/project/mix/vault.json: schema check and three-way merge
#   fuzz_vault_registry  vaults.json and its records
#   fuzz_conflict_record .muze/conflicts/<id>.json and the field paths it names
#   fuzz_search_index    .muze/search-index.json and word normalisation
#   fuzz_dropbox         Dropbox answers: list_folder pages, metadata, error bodies,
#                        Dropbox-API-Result, Retry-After, Content-Range, token responses
# The sources under test are compiled into each fuzzer so they carry coverage instrumentation;
# they link nothing but util (and model, crypto), so they build quickly.
set(muze_fuzz_util ${PROJECT_SOURCE_DIR}/src/core/util/json.cpp ${PROJECT_SOURCE_DIR}/src/core/util/clock.cpp
  ${PROJECT_SOURCE_DIR}/src/core/util/ids.cpp ${PROJECT_SOURCE_DIR}/src/core/util/fileio.cpp)

muze_add_fuzzer(fuzz_model_json ${CMAKE_CURRENT_LIST_DIR}/fuzz_model_json.cpp Muze::Model Muze::Util)
target_sources(fuzz_model_json PRIVATE ${muze_fuzz_util} ${PROJECT_SOURCE_DIR}/src/core/model/schema.cpp
  ${PROJECT_SOURCE_DIR}/src/core/sync/jsonmerge.cpp)
target_include_directories(fuzz_model_json PRIVATE ${PROJECT_SOURCE_DIR}/src/core/model)

muze_add_fuzzer(fuzz_vault_registry ${CMAKE_CURRENT_LIST_DIR}/fuzz_vault_registry.cpp Muze::Util)
target_sources(fuzz_vault_registry PRIVATE ${muze_fuzz_util} ${PROJECT_SOURCE_DIR}/src/core/vault/vaultrecord.cpp)

muze_add_fuzzer(fuzz_conflict_record ${CMAKE_CURRENT_LIST_DIR}/fuzz_conflict_record.cpp Muze::Util)
target_sources(fuzz_conflict_record PRIVATE ${muze_fuzz_util} ${PROJECT_SOURCE_DIR}/src/core/sync/conflictrecord.cpp
  ${PROJECT_SOURCE_DIR}/src/core/sync/jsonmerge.cpp)

muze_add_fuzzer(fuzz_search_index ${CMAKE_CURRENT_LIST_DIR}/fuzz_search_index.cpp
  Muze::Crypto PkgConfig::SODIUM Qt6Keychain::Qt6Keychain Muze::Util)
target_sources(fuzz_search_index PRIVATE ${muze_fuzz_util} ${PROJECT_SOURCE_DIR}/src/core/crypto/searchindex.cpp)
target_include_directories(fuzz_search_index PRIVATE ${PROJECT_SOURCE_DIR}/src/core/crypto)

muze_add_fuzzer(fuzz_dropbox ${CMAKE_CURRENT_LIST_DIR}/fuzz_dropbox.cpp Muze::Util)
target_sources(fuzz_dropbox PRIVATE ${muze_fuzz_util} ${PROJECT_SOURCE_DIR}/src/core/remote/dropboxparse.cpp
  ${PROJECT_SOURCE_DIR}/src/core/remote/dropboxpaths.cpp ${PROJECT_SOURCE_DIR}/src/core/auth/tokens.cpp)
