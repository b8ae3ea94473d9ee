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

int64_t LoginThrottle::begin_attempt(const Attempt& attempt, int64_t now_ms) {
  std::lock_guard lock(mu_);
  sweep(now_ms);
  int64_t wait = 0;
  if (!attempt.device.empty()) {
    Entry& d = devices_[attempt.device];
    if ((wait = wait_ms(d, rules_.device_failures, now_ms)) == 0) ++d.in_flight;
  } else {
    Entry& a = accounts_[attempt.account];
    Entry& b = addresses_[attempt.address];
    wait = std::max(wait_ms(a, rules_.account_failures, now_ms), wait_ms(b, rules_.address_failures, now_ms));
    if (wait == 0) {
      ++a.in_flight;
      ++b.in_flight;
    }
  }
  if (wait > 0) ++tally_.refused;
  return (wait + 999) / 1000;
}

void LoginThrottle::fail(Entry& e, int allowance, int64_t now_ms) {
  ++e.failures;
  if (e.failures >= allowance) {
    int shift = std::min(e.failures - allowance, 10);
    e.locked_until = now_ms + std::min(rules_.first_lock_ms << shift, rules_.max_lock_ms);
  }
}

void LoginThrottle::finish_attempt(const Attempt& attempt, int64_t now_ms, Outcome outcome) {
  std::lock_guard lock(mu_);
  if (outcome == Outcome::succeeded) ++tally_.succeeded;
  if (outcome == Outcome::failed) ++tally_.failed;
  auto settle = [&](Entry& e, int allowance, bool clears) {
    e.in_flight = std::max(0, e.in_flight - 1);
    if (outcome == Outcome::failed) {
      fail(e, allowance, now_ms);
    } else if (outcome == Outcome::succeeded && clears) {
      e.failures = 0;
      e.locked_until = 0;
    }
  };
  if (!attempt.device.empty()) {
    settle(devices_[attempt.device], rules_.device_failures, true);
  } else {
    settle(accounts_[attempt.account], rules_.account_failures, true);
    settle(addresses_[attempt.address], rules_.address_failures, false);
  }
}

LoginThrottle::Tally LoginThrottle::tally(int64_t now_ms) {
  std::lock_guard lock(mu_);
  Tally out = tally_;
  auto count_locked = [&](const auto& entries) {
    for (const auto& kv : entries) out.locked += kv.second.locked_until > now_ms;
  };
  count_locked(accounts_);
  count_locked(addresses_);
  count_locked(devices_);
  return out;
}

void LoginThrottle::sweep(int64_t now_ms) {
  if (now_ms - last_sweep_ < 60 * 1000 && accounts_.size() + addresses_.size() + devices_.size() < 100000) return;
  last_sweep_ = now_ms;
  auto stale = [&](const auto& kv) {
    const Entry& e = kv.second;
    return e.in_flight == 0 && e.locked_until <= now_ms && now_ms - e.window_start > rules_.window_ms;
  };
  std::erase_if(accounts_, stale);
  std::erase_if(addresses_, stale);
  std::erase_if(devices_, stale);
}

}  // namespace kehu::server
