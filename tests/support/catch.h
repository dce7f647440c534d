#pragma once
// One include for Catch2 2.13 (Debian 12) and Catch2 3.x.
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#define MUZE_CATCH3 1
#else
#include <catch2/catch.hpp>
#endif
