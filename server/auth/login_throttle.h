// login_throttle.h — slows password guessing per account and per address (SPEC §9).
//
// Failures are counted in a sliding window. Past the allowance, the account (or address) is locked for
// a period that doubles with every further failure, up to a cap; check() then answers how long to wait
// (the 429's Retry-After). A success clears the account's count (not the address's: one address may try
// many accounts). Memory is bounded: old entries are swept. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kehu::server {

struct ThrottleRules {
  int account_failures = 5;      // allowed per window before a lock
  int address_failures = 20;
  int64_t window_ms = 15 * 60 * 1000;
  int64_t first_lock_ms = 30 * 1000;
  int64_t max_lock_ms = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleRules rules = {}) : rules_(rules) {}
  // Seconds to wait before another attempt is allowed, 0 if allowed now.
  int64_t retry_after_s(const std::string& account, const std::string& address, int64_t now_ms);
  void record_failure(const std::string& account, const std::string& address, int64_t now_ms);
  void record_success(const std::string& account);

 private:
  struct Entry {
    int failures = 0;
    int64_t window_start = 0;
    int64_t locked_until = 0;
  };
  void fail(Entry& e, int allowance, int64_t now_ms);
  void sweep(int64_t now_ms);
  ThrottleRules rules_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> accounts_, addresses_;
  int64_t last_sweep_ = 0;
};

}  // namespace kehu::server
