// job_runner_test.cpp — the scheduled jobs' runner (server/jobs/job_runner.h): every job runs at start
// and every tick, in order; one that fails or throws is tried again at the next tick without keeping the others
// from running; stop() ends the thread promptly even with a long tick.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "server/jobs/job_runner.h"

using namespace kehu;
using namespace kehu::server;

TEST_CASE("the job runner runs every job each tick, keeps going past a failing one, and stops at once") {
  std::atomic<int> failing_runs{0}, later_runs{0};
  JobRunner runner(std::chrono::milliseconds(10));
  runner.every_tick("fails", [&]() -> Status {
    ++failing_runs;
    return Error::make(ErrorCode::storage, {"测试失败", "failing on purpose"});
  });
  runner.every_tick("throws", []() -> Status { throw std::runtime_error("a bug in a job"); });
  runner.every_tick("later", [&]() -> Status {
    ++later_runs;
    return ok_status();
  });
  runner.start();
  for (int i = 0; i < 500 && runner.rounds() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  runner.stop();
  CHECK(runner.rounds() >= 3);
  CHECK(failing_runs.load() >= 3);
  // The failure never skipped the job after it (a stop may come between the two of the last round).
  CHECK(later_runs.load() >= runner.rounds());
  CHECK(failing_runs.load() - later_runs.load() <= 1);
  const int64_t stopped_at = runner.rounds();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(runner.rounds() == stopped_at);  // no round after stop()

  // A runner whose next round is an hour away stops without waiting for it.
  JobRunner slow(std::chrono::hours(1));
  std::atomic<int> runs{0};
  slow.every_tick("once", [&]() -> Status {
    ++runs;
    return ok_status();
  });
  slow.start();
  for (int i = 0; i < 500 && slow.rounds() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto before = std::chrono::steady_clock::now();
  slow.stop();
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));
  CHECK(runs.load() == 1);
}
