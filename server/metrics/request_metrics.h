// request_metrics.h — what GET /metrics says about HTTP traffic: requests by method and status class,
// how long they took, and how busy the worker threads are.
//
// Every answer is counted, the ones httplib makes itself (400 for a malformed request, 404, 413)
// included: App hooks mark_start() into httplib's pre-routing handler and finished() into its logger,
// which runs after the response is written, on the same worker thread. A request that failed before
// routing has no start mark and is counted without a duration. Streams (GET /events) are counted but
// kept out of the latency histogram: they last as long as the client stays. Thread-safe, lock-free.
//
// CountedThreadPool is httplib's worker pool with gauges: work waiting for a worker (ready requests from
// the connection gate, or accepted connections under TLS), workers busy, and work refused because the
// wait queue was full.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <httplib.h>

#include "server/metrics/prometheus_text.h"

namespace kehu::server {

class RequestMetrics {
 public:
  // The request now being read on this thread starts now.
  static void mark_start();
  // The response to `method` went out with `status`; `stream`: it was an event stream.
  void finished(const std::string& method, int status, bool stream);
  void write(PrometheusText& out) const;

  static constexpr std::array<double, 11> kBucketsSeconds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

 private:
  static constexpr int kMethods = 8;  // GET HEAD POST PUT PATCH DELETE OPTIONS, and any other
  std::array<std::array<std::atomic<uint64_t>, 5>, kMethods> requests_{};  // [method][status / 100 - 1]
  std::array<std::atomic<uint64_t>, kBucketsSeconds.size() + 1> buckets_{};  // not cumulative; last: +Inf
  std::atomic<uint64_t> timed_{0}, micros_{0};
};

struct WorkerPoolGauges {
  std::atomic<int64_t> queued{0}, busy{0};
  std::atomic<uint64_t> refused{0};
  int64_t threads = 0;
  void write(PrometheusText& out) const;
};

class CountedThreadPool final : public httplib::TaskQueue {
 public:
  CountedThreadPool(size_t threads, size_t max_queued, std::shared_ptr<WorkerPoolGauges> gauges);
  bool enqueue(std::function<void()> fn) override;
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::shared_ptr<WorkerPoolGauges> gauges_;
};

}  // namespace kehu::server
