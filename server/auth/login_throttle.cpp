#include "server/auth/login_throttle.h"

#include <algorithm>

namespace kehu::server {

int64_t LoginThrottle::wait_ms(Entry& e, int allowance, int64_t now_ms) const {
  if (e.locked_until > now_ms) return e.locked_until - now_ms;
  if (now_ms - e.window_start > rules_.window_ms) {
    e.failures = 0;
    e.window_start = now_ms;
  }
  // Attempts still being checked count: a burst cannot outrun the allowance.
  return e.failures + e.in_flight >= allowance ? 1000 : 0;
}

int64_t LoginThrottle::begin_attempt(const std::string& account, const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mu_);
  sweep(now_ms);
  Entry& a = accounts_[account];
  Entry& b = addresses_[address];
  int64_t wait = std::max(wait_ms(a, rules_.account_failures, now_ms), wait_ms(b, rules_.address_failures, now_ms));
  if (wait > 0) return (wait + 999) / 1000;
  ++a.in_flight;
  ++b.in_flight;
  return 0;
}

void LoginThrottle::fail(Entry& e, int allowance, int64_t now_ms) {
  ++e.failures;
  if (e.failures >= allowance) {
    int shift = std::min(e.failures - allowance, 10);
    e.locked_until = now_ms + std::min(rules_.first_lock_ms << shift, rules_.max_lock_ms);
  }
}

void LoginThrottle::finish_attempt(const std::string& account, const std::string& address, int64_t now_ms, bool counts) {
  std::lock_guard lock(mu_);
  Entry& a = accounts_[account];
  Entry& b = addresses_[address];
  a.in_flight = std::max(0, a.in_flight - 1);
  b.in_flight = std::max(0, b.in_flight - 1);
  if (counts) {
    fail(a, rules_.account_failures, now_ms);
    fail(b, rules_.address_failures, now_ms);
  } else {
    a.failures = 0;
    a.locked_until = 0;
  }
}

void LoginThrottle::sweep(int64_t now_ms) {
  if (now_ms - last_sweep_ < 60 * 1000 && accounts_.size() + addresses_.size() < 100000) return;
  last_sweep_ = now_ms;
  auto stale = [&](const auto& kv) {
    const Entry& e = kv.second;
    return e.in_flight == 0 && e.locked_until <= now_ms && now_ms - e.window_start > rules_.window_ms;
  };
  std::erase_if(accounts_, stale);
  std::erase_if(addresses_, stale);
}

}  // namespace kehu::server
