#include "server/auth/login_throttle.h"

#include <algorithm>

namespace kehu::server {

int64_t LoginThrottle::retry_after_s(const std::string& account, const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mu_);
  int64_t until = 0;
  if (auto it = accounts_.find(account); it != accounts_.end()) until = std::max(until, it->second.locked_until);
  if (auto it = addresses_.find(address); it != addresses_.end()) until = std::max(until, it->second.locked_until);
  return until > now_ms ? (until - now_ms + 999) / 1000 : 0;
}

void LoginThrottle::fail(Entry& e, int allowance, int64_t now_ms) {
  if (now_ms - e.window_start > rules_.window_ms && e.locked_until <= now_ms) {
    e.failures = 0;
    e.window_start = now_ms;
  }
  ++e.failures;
  if (e.failures >= allowance) {
    int shift = std::min(e.failures - allowance, 10);
    int64_t lock = std::min(rules_.first_lock_ms << shift, rules_.max_lock_ms);
    e.locked_until = now_ms + lock;
  }
}

void LoginThrottle::record_failure(const std::string& account, const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mu_);
  sweep(now_ms);
  fail(accounts_[account], rules_.account_failures, now_ms);
  fail(addresses_[address], rules_.address_failures, now_ms);
}

void LoginThrottle::record_success(const std::string& account) {
  std::lock_guard lock(mu_);
  accounts_.erase(account);
}

void LoginThrottle::sweep(int64_t now_ms) {
  if (now_ms - last_sweep_ < 60 * 1000 && accounts_.size() + addresses_.size() < 100000) return;
  last_sweep_ = now_ms;
  auto stale = [&](const auto& kv) {
    return kv.second.locked_until <= now_ms && now_ms - kv.second.window_start > rules_.window_ms;
  };
  std::erase_if(accounts_, stale);
  std::erase_if(addresses_, stale);
}

}  // namespace kehu::server
