// crypto.h — the server's randomness and hashing, from OpenSSL (a kept library, not hand-written).
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"

namespace kehu::server {

// Random bytes from the operating system's CSPRNG (OpenSSL RAND_bytes); aborts if none is available.
class OsRandom final : public Random {
 public:
  std::string bytes(size_t n) override;
};

// A new 256-bit token, URL-safe text (43 characters).
std::string new_token(Random& random);
// Lower-case hex of `bytes` (a digest).
std::string hex_of(const unsigned char* bytes, size_t size);
// Lower-case hex SHA-256, used to store tokens so a database leak does not leak sessions.
std::string sha256_hex(std::string_view data);
// Constant-time comparison for secrets.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace kehu::server
