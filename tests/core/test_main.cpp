// The doctest runner for core's unit tests (native and wasm-under-node builds).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
