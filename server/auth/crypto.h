// crypto.h — the server's randomness and hashing, from OpenSSL (a kept library, not hand-written).
#pragma once

#include <string>
#include <string_view>

namespace kehu::server {

// `n` bytes from the operating system's CSPRNG (OpenSSL RAND_bytes); aborts if none is available.
std::string random_bytes(size_t n);
// A new 256-bit session token, URL-safe text.
std::string new_token();
// Lower-case hex SHA-256, used to store tokens so a database leak does not leak sessions.
std::string sha256_hex(std::string_view data);
// Constant-time comparison for secrets.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace kehu::server
