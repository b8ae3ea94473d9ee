#include "server/events/change_feed.h"

namespace kehu::server {

void ChangeFeed::publish(int64_t rev) {
  {
    std::lock_guard lock(mu_);
    if (rev <= rev_.load()) return;
    rev_.store(rev);
  }
  moved_.notify_all();
}

int64_t ChangeFeed::wait_past(int64_t seen, std::chrono::milliseconds slice) {
  std::unique_lock lock(mu_);
  moved_.wait_for(lock, slice, [&] { return rev_.load() > seen || closed_.load(); });
  return rev_.load();
}

bool ChangeFeed::outside_check_due() {
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t due = next_outside_check_ns_.load();
  if (now < due) return false;
  return next_outside_check_ns_.compare_exchange_strong(due, now + std::chrono::nanoseconds(kOutsideWriteGap).count());
}

bool ChangeFeed::enter() {
  int open = open_.load();
  while (open < capacity_)
    if (open_.compare_exchange_weak(open, open + 1)) return true;
  return false;
}

void ChangeFeed::leave() { open_.fetch_sub(1); }

}  // namespace kehu::server
