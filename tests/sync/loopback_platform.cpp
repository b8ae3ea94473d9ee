#include "sync/loopback_platform.h"

#include <chrono>

#include <httplib.h>

namespace kehu::client {

void LoopbackPlatform::open_cache(const std::string&, CacheCallback done) {
  done(Error::make(ErrorCode::not_found, {"此宿主不打开缓存", "this host opens no cache"}));
}

int64_t LoopbackPlatform::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void LoopbackPlatform::deliver() {
  size_t n = queue_.size();
  while (n-- > 0 && !queue_.empty()) {
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    p.done(online_ ? perform(p.request) : HttpResponse{});
  }
}

void LoopbackPlatform::deliver_newest_first() {
  std::deque<Pending> now;
  now.swap(queue_);
  while (!now.empty()) {
    Pending p = std::move(now.back());
    now.pop_back();
    p.done(online_ ? perform(p.request) : HttpResponse{});
  }
}

void LoopbackPlatform::perform_and_lose_answers() {
  while (!queue_.empty()) {
    if (online_) perform(queue_.front().request);
    queue_.pop_front();
  }
}

HttpResponse LoopbackPlatform::perform(const HttpRequest& r) {
  httplib::Client http("127.0.0.1", port_());
  http.set_read_timeout(30, 0);
  httplib::Request req;
  req.method = r.method;
  req.path = r.path;
  for (const auto& [k, v] : r.headers) req.set_header(k, v);
  req.set_header("Authorization", "Bearer " + token_);
  if (!r.body.empty() || r.method == "POST" || r.method == "PATCH") {
    req.body = r.body;
    req.set_header("Content-Type", "application/json");
  }
  auto res = http.send(req);
  if (!res) return HttpResponse{};
  return HttpResponse{res->status, res->body};
}

}  // namespace kehu::client
