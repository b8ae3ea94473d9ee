// login_throttle.h — slows password guessing per account and per address (SPEC §9).
//
// An attempt is reserved with begin_attempt() *before* the password is hashed and settled with
// finish_attempt() after, so a burst of concurrent guesses cannot all slip past the check: attempts in
// flight count toward the allowance. Failures are counted in a window; past the allowance the account
// (or address) is locked for a period that doubles with each further failure, up to a cap. A success
// clears the account's count (not the address's: one address may try many accounts). Memory is bounded:
// settled entries past their window are swept. Thread-safe.
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
  // 0: go ahead, and call finish_attempt() afterwards. Otherwise the seconds to wait (Retry-After).
  int64_t begin_attempt(const std::string& account, const std::string& address, int64_t now_ms);
  // `counts` false: the attempt succeeded and clears the account; true: it counts against both.
  void finish_attempt(const std::string& account, const std::string& address, int64_t now_ms, bool counts);

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    int64_t window_start = 0;
    int64_t locked_until = 0;
  };
  int64_t wait_ms(Entry& e, int allowance, int64_t now_ms) const;
  void fail(Entry& e, int allowance, int64_t now_ms);
  void sweep(int64_t now_ms);
  ThrottleRules rules_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> accounts_, addresses_;
  int64_t last_sweep_ = 0;
};

}  // namespace kehu::server
