// job_runner.h — the server's scheduled work (SPEC §7): one background thread that runs every job
// registered with it once when the server starts and again every `tick`, each job deciding by itself
// whether there is anything to do (the churn window already at today does nothing). Work a job does
// would otherwise fall on the first request that needs it, such as the churn list's daily move.
//
// A job's failure (an error or an exception) is written to stderr with the job's name and tried again at
// the next tick; it never stops the other jobs or the server. Threads: every(), start() and stop() are for the thread that owns
// the runner; jobs run one after another on the runner's own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace kehu::server {

class JobRunner {
 public:
  explicit JobRunner(std::chrono::milliseconds tick) : tick_(tick) {}
  ~JobRunner() { stop(); }
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Adds a job (before start()).
  void every_tick(std::string name, std::function<Status()> job);
  // Starts the thread (once; later calls do nothing).
  void start();
  // Ends the thread after the job running now, if any; waits for it. Safe to call more than once.
  void stop();
  // How many rounds of every job have finished (tests wait on it).
  int64_t rounds() const;

 private:
  void run();

  const std::chrono::milliseconds tick_;
  std::vector<std::pair<std::string, std::function<Status()>>> jobs_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t rounds_ = 0;
  std::thread thread_;
};

}  // namespace kehu::server
