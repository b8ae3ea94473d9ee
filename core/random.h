// random.h — randomness reaches code only through Random, so tests can make it repeatable.
//
// The server's implementation draws from the operating system's CSPRNG (server/auth/crypto.h) and is
// what tokens, salts and generated passwords use. SequenceRandom is for tests: the same seed gives the
// same bytes; it is not secret and must never back a real token.
#pragma once

#include <cstdint>
#include <string>

namespace kehu {

// Implementations used by the server are called from several threads at once and must be thread-safe
// (OsRandom is: OpenSSL's RAND_bytes). SequenceRandom is not; tests use it from one thread.
class Random {
 public:
  virtual ~Random() = default;
  virtual std::string bytes(size_t n) = 0;  // n random bytes
};

class SequenceRandom final : public Random {
 public:
  explicit SequenceRandom(uint64_t seed) : state_(seed) {}
  std::string bytes(size_t n) override {
    std::string out(n, '\0');
    for (auto& c : out) {  // splitmix64, one byte per step
      state_ += 0x9E3779B97F4A7C15ULL;
      uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      c = static_cast<char>((z ^ (z >> 31)) & 0xFF);
    }
    return out;
  }

 private:
  uint64_t state_;
};

}  // namespace kehu
