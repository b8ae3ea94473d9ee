// The doctest runner for the server tests (a real crm-server App on a loopback port).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
