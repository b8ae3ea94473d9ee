#include "server/metrics/request_metrics.h"

#include <chrono>

namespace kehu::server {

namespace {

constexpr const char* kMethodNames[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};

// 0 when nothing is being timed on this thread (reset after every request, so a request that fails
// before routing is not timed from an earlier one's start).
thread_local int64_t request_start_us = 0;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int method_index(const std::string& method) {
  for (int i = 0; i < 7; ++i)
    if (method == kMethodNames[i]) return i;
  return 7;
}

}  // namespace

void RequestMetrics::mark_start() { request_start_us = now_us(); }

void RequestMetrics::finished(const std::string& method, int status, bool stream) {
  const int status_class = status >= 100 && status < 600 ? status / 100 - 1 : 4;
  requests_[method_index(method)][status_class].fetch_add(1, std::memory_order_relaxed);
  const int64_t start = request_start_us;
  request_start_us = 0;
  if (start == 0 || stream) return;
  const int64_t micros = now_us() - start;
  size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && static_cast<double>(micros) > kBucketsSeconds[bucket] * 1e6) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  timed_.fetch_add(1, std::memory_order_relaxed);
  micros_.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
}

void RequestMetrics::write(PrometheusText& out) const {
  out.family("kehu_http_requests_total", "Answers sent, by request method and status class (2xx, 4xx, 5xx, ...).", "counter");
  for (int m = 0; m < kMethods; ++m)
    for (int c = 0; c < 5; ++c) {
      uint64_t n = requests_[m][c].load(std::memory_order_relaxed);
      if (n > 0 || (m == 0 && (c == 1 || c == 3 || c == 4)))  // GET 2xx/4xx/5xx always, so a dashboard has the series
        out.sample("kehu_http_requests_total", static_cast<double>(n), {{"method", kMethodNames[m]}, {"status", std::to_string(c + 1) + "xx"}});
    }
  out.family("kehu_http_request_duration_seconds", "Time from a request's headers being read to its answer being written (event streams excluded).",
             "histogram");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBucketsSeconds[i]);
    out.sample("kehu_http_request_duration_seconds_bucket", static_cast<double>(cumulative), {{"le", le}});
  }
  cumulative += buckets_.back().load(std::memory_order_relaxed);
  out.sample("kehu_http_request_duration_seconds_bucket", static_cast<double>(cumulative), {{"le", "+Inf"}});
  out.sample("kehu_http_request_duration_seconds_sum", static_cast<double>(micros_.load(std::memory_order_relaxed)) / 1e6);
  out.sample("kehu_http_request_duration_seconds_count", static_cast<double>(cumulative));
}

void WorkerPoolGauges::write(PrometheusText& out) const {
  out.single("kehu_http_workers", "HTTP worker threads (API workers plus event-stream slots).", "gauge", static_cast<double>(threads));
  out.single("kehu_http_workers_busy", "Worker threads serving a connection now.", "gauge", static_cast<double>(busy.load()));
  out.single("kehu_http_connections_queued", "Requests ready for a worker and waiting for one (under --tls-cert: accepted connections).", "gauge", static_cast<double>(queued.load()));
  out.single("kehu_http_connections_refused_total", "Requests turned away because the worker queue was full (503; under --tls-cert closed unanswered).", "counter",
             static_cast<double>(refused.load()));
}

CountedThreadPool::CountedThreadPool(size_t threads, size_t max_queued, std::shared_ptr<WorkerPoolGauges> gauges)
    : pool_(threads, max_queued), gauges_(std::move(gauges)) {
  gauges_->threads = static_cast<int64_t>(threads);
}

bool CountedThreadPool::enqueue(std::function<void()> fn) {
  gauges_->queued.fetch_add(1);
  bool taken = pool_.enqueue([gauges = gauges_, fn = std::move(fn)] {
    gauges->queued.fetch_sub(1);
    gauges->busy.fetch_add(1);
    fn();
    gauges->busy.fetch_sub(1);
  });
  if (!taken) {
    gauges_->queued.fetch_sub(1);
    gauges_->refused.fetch_add(1);
  }
  return taken;
}

}  // namespace kehu::server
