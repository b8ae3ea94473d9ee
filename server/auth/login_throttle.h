// login_throttle.h — slows password guessing per account and per address (SPEC §9).
//
// An attempt is reserved with begin_attempt() *before* the password is hashed and settled with
// finish_attempt() after, so a burst of concurrent guesses cannot all slip past the check: attempts in
// flight count toward the allowance. Failures are counted in a window; past the allowance the account
// (or address) is locked for a period that doubles with each further failure, up to a cap. With the
// defaults an account takes about 20 wrong passwords an hour, whatever the number of addresses
// they come from (login_throttle_test). A success clears the account's count (not the address's: one
// address may try many accounts).
//
// So that an attacker's guessing cannot lock the real user out, an attempt from a trusted device (a
// browser that signed in to this account before: trusted_devices.h) is counted on that device alone:
// the account's and the address's locks do not apply to it, and its own allowance stops a stolen device
// cookie from being a way around the throttle. Memory is bounded: settled entries past their window
// are swept. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kehu::server {

struct ThrottleRules {
  int account_failures = 5;      // allowed per window before a lock
  int address_failures = 20;
  int device_failures = 10;
  int64_t window_ms = 15 * 60 * 1000;
  int64_t first_lock_ms = 30 * 1000;
  int64_t max_lock_ms = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleRules rules = {}) : rules_(rules) {}
  // Who is trying: the account and the address, or (when not empty) a device trusted for the account.
  struct Attempt {
    std::string account, address, device;
  };
  // 0: go ahead, and call finish_attempt() afterwards. Otherwise the seconds to wait (Retry-After).
  int64_t begin_attempt(const Attempt& attempt, int64_t now_ms);
  // succeeded: clears the account (or device); failed: counts against the account and the address (or
  // the device); not_checked: the password was never compared (the server was busy), so neither.
  enum class Outcome { succeeded, failed, not_checked };
  void finish_attempt(const Attempt& attempt, int64_t now_ms, Outcome outcome);

  // For GET /metrics: attempts settled each way and turned away since the start, and the accounts,
  // addresses and devices locked now.
  struct Tally {
    uint64_t succeeded = 0, failed = 0, refused = 0;
    size_t locked = 0;
  };
  Tally tally(int64_t now_ms);

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
  std::unordered_map<std::string, Entry> accounts_, addresses_, devices_;
  int64_t last_sweep_ = 0;
  Tally tally_;
};

}  // namespace kehu::server
