# fuzz_wav: libFuzzer target for the WAV header parser and the sample conversion.
# The parser's sources are compiled into the fuzzer itself so they carry coverage
# instrumentation (the static library is built without it).
muze_add_fuzzer(fuzz_wav ${CMAKE_CURRENT_LIST_DIR}/fuzz_wav.cpp Muze::Wav)
target_sources(fuzz_wav PRIVATE ${PROJECT_SOURCE_DIR}/src/core/wav/wavformat.cpp
  ${PROJECT_SOURCE_DIR}/src/core/wav/wavreader.cpp)
