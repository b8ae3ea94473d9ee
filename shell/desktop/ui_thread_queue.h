// ui_thread_queue.h — work handed from any thread (HTTP workers) to the UI thread.
//
// Platform's promise (web/platform.h) is that every callback runs later on the UI thread, never inside
// the call that registered it. Everything that finishes — an HTTP answer on a worker, a cache opened on
// the UI thread itself — is posted here, and the main loop runs the queue once per iteration.
// Threads: post() from any thread; run_all() on the UI thread only.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

namespace kehu::desktop {

class UiThreadQueue {
 public:
  // `wake` is called after each post() to end the UI thread's wait for events (glfwPostEmptyEvent);
  // it must be callable from any thread.
  explicit UiThreadQueue(std::function<void()> wake) : wake_(std::move(wake)) {}

  // Queues `fn` to run on the UI thread.
  void post(std::function<void()> fn);
  // Runs what was queued before the call, in order; work posted while it runs waits for the next call.
  // Returns how many ran.
  int run_all();
  // Drops everything queued without running it (shutdown: the client is already gone).
  void clear();

 private:
  std::function<void()> wake_;
  std::mutex mutex_;
  std::vector<std::function<void()>> queued_;
};

}  // namespace kehu::desktop
