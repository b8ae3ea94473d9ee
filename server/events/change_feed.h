// change_feed.h — the newest committed rev, for the open GET /events streams (SPEC §5, §7).
//
// The database pool's after-write hook publishes the committed rev after every write lease; each stream
// waits here for it to move past what its client was last told, then asks the database whether anything
// that client may see changed (core/sync/sync_reader.h). The feed also caps the streams: each holds one
// HTTP thread for as long as it is open, so the server runs `capacity` threads more than its API
// workers and refuses a stream beyond that, and the API never waits behind them.
// A write by another process on the same file (the `crm-server user` console command, a restore) passes
// no hook: while streams are open, one of them at a time reads the committed rev at most every
// kOutsideWriteGap (outside_check_due) and publishes it, so such a change is news within about a second.
// Threads: every method is thread-safe; close() only sets a flag, so a signal handler may call it
// (waiters notice within one wait slice).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace kehu::server {

class ChangeFeed {
 public:
  explicit ChangeFeed(int capacity) : capacity_(capacity) {}

  // A new committed rev (ignored unless it is newer).
  void publish(int64_t rev);
  int64_t rev() const { return rev_.load(); }

  // Waits until the rev passes `seen`, at most `slice`; returns the rev then (maybe still `seen`).
  int64_t wait_past(int64_t seen, std::chrono::milliseconds slice);

  static constexpr std::chrono::milliseconds kOutsideWriteGap{1000};
  // True for one caller per kOutsideWriteGap: that caller reads the committed rev and publishes it.
  bool outside_check_due();

  // A stream slot: true and counted if one is free. Every successful enter() is matched by one leave().
  bool enter();
  void leave();
  int open_streams() const { return open_.load(); }
  int capacity() const { return capacity_; }

  // The server is stopping: streams end at their next slice.
  void close() { closed_.store(true); }
  bool closed() const { return closed_.load(); }

 private:
  const int capacity_;
  std::atomic<int64_t> rev_{0};
  std::atomic<int> open_{0};
  std::atomic<bool> closed_{false};
  std::atomic<int64_t> next_outside_check_ns_{0};  // steady_clock, nanoseconds since its epoch
  std::mutex mu_;
  std::condition_variable moved_;
};

}  // namespace kehu::server
