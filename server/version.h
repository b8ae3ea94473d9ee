// version.h — the program version shown by --version and /healthz.
#pragma once

namespace kehu::server {
inline constexpr const char* kKehuVersion = "0.1.0";
}
