#include "server/jobs/job_runner.h"

#include <cstdio>
#include <exception>

namespace kehu::server {

void JobRunner::every_tick(std::string name, std::function<Status()> job) {
  jobs_.emplace_back(std::move(name), std::move(job));
}

void JobRunner::start() {
  if (thread_.joinable() || jobs_.empty()) return;
  thread_ = std::thread([this] { run(); });
}

void JobRunner::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t JobRunner::rounds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rounds_;
}

void JobRunner::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    for (const auto& [name, job] : jobs_) {
      {
        std::lock_guard<std::mutex> check(mu_);
        if (stopping_) return;
      }
      std::string failure;
      try {
        Status done = job();
        if (!done.ok()) failure = done.error().message.en;
      } catch (const std::exception& e) {  // a job's bug must not end the server
        failure = e.what();
      }
      if (!failure.empty())
        std::fprintf(stderr, "crm-server: job \"%s\" failed, will try again: %s\n", name.c_str(), failure.c_str());
    }
    lock.lock();
    ++rounds_;
    wake_.wait_for(lock, tick_, [this] { return stopping_; });
  }
}

}  // namespace kehu::server
