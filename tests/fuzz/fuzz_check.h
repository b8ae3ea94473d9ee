// fuzz_check.h — how a fuzz target states a property of the code it drives.
//
// FUZZ_CHECK(cond): when `cond` is false the target prints it and traps, which libFuzzer reports as a
// crash and saves the input. So a target checks behaviour (a round trip holds, an accepted query runs),
// not only that nothing crashed. Never compiled out: the check is the point of the program.
#pragma once

#include <cstdio>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      __builtin_trap();                                                                  \
    }                                                                                    \
  } while (0)
