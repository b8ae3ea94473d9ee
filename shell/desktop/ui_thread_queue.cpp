#include "shell/desktop/ui_thread_queue.h"

namespace kehu::desktop {

void UiThreadQueue::post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_.push_back(std::move(fn));
  }
  if (wake_) wake_();
}

int UiThreadQueue::run_all() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(queued_);
  }
  for (auto& fn : batch) fn();
  return static_cast<int>(batch.size());
}

void UiThreadQueue::clear() {
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(queued_);
  }
  // Destroyed outside the lock: a callback's captures may post or lock on destruction.
}

}  // namespace kehu::desktop
