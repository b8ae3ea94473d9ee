// password_hasher.h — Argon2id password hashes (SPEC §9: at least m=19 MiB, t=2, p=1), via libargon2.
//
// Hashing costs tens of milliseconds of CPU, so at most `max_concurrent` hashes run at once, and at
// most `max_waiting` more wait for their turn: beyond that a hash is refused at once with `busy` (503),
// so a login flood holds at most max_concurrent + max_waiting HTTP workers and the rest keep serving
// the API. verify() of an unknown user still spends the same work against a dummy hash, so response
// time does not reveal whether a username exists. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>

#include "core/random.h"
#include "core/result.h"
#include "core/users/password_policy.h"  // what the callers check before hashing

namespace kehu::server {

class PasswordHasher {
 public:
  PasswordHasher(Random& random, int max_concurrent = 2, uint32_t memory_kib = 19456, uint32_t iterations = 2,
                 int max_waiting = 16);
  // "$argon2id$v=19$m=19456,t=2,p=1$salt$hash"; busy when the queue is full.
  Result<std::string> hash(const std::string& password);
  // True if `password` matches `encoded`. An empty `encoded` burns equal time and returns false. Busy
  // when the queue is full.
  Result<bool> verify(const std::string& password, const std::string& encoded);

  // For GET /metrics.
  struct Load {
    int running = 0, waiting = 0;
    uint64_t refused = 0;
  };
  Load load();

 private:
  Status acquire();
  void release();
  Random& random_;  // thread-safe (see core/random.h)
  std::mutex mu_;
  std::condition_variable cv_;
  const int max_concurrent_, max_waiting_;
  int running_ = 0, waiting_ = 0;
  uint64_t refused_ = 0;
  uint32_t memory_kib_, iterations_;
  std::string dummy_hash_;
};

}  // namespace kehu::server
