// change_feed.h — the newest committed rev, for the open GET /events streams (SPEC §5, §7).
//
// The database pool's after-write hook publishes the committed rev after every write lease; each stream
// waits here for it to move past what its client was last told, then asks the database whether anything
// that client may see changed (core/sync/sync_reader.h). The feed also caps the streams: each holds one
// HTTP thread for as long as it is open, so the server runs `capacity` threads more than its API
// workers and refuses a stream beyond that, and the API never waits behind them.
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
  std::mutex mu_;
  std::condition_variable moved_;
};

}  // namespace kehu::server
