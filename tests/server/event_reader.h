// event_reader.h — one open GET /api/v1/events stream read on its own thread, as a browser's EventSource
// would, for the server tests of events and kiosk displays.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/sync/server_events.h"

namespace kehu::test {

class EventReader {
 public:
  // `token` goes in the Authorization header when not empty; `path` may carry it instead (?kiosk=).
  EventReader(int port, const std::string& token, const std::string& path = "/api/v1/events") : client_("127.0.0.1", port) {
    client_.set_read_timeout(30, 0);
    thread_ = std::thread([this, token, path] {
      httplib::Headers headers = {{"Accept", "text/event-stream"}};
      if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
      auto result = client_.Get(
          path, headers,
          [this](const httplib::Response& res) {
            std::lock_guard lock(mu_);
            status_ = res.status;
            content_type_ = res.get_header_value("Content-Type");
            return true;
          },
          [this](const char* data, size_t length) {
            std::lock_guard lock(mu_);
            parse(data, length);
            changed_.notify_all();
            return !stopping_.load();
          });
      std::lock_guard lock(mu_);
      if (result && status_ != 200) error_body_ = result->body;
      ended_ = true;
      changed_.notify_all();
    });
  }
  ~EventReader() { close(); }

  void close() {
    stopping_ = true;
    client_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Waits until the stream holds `count` events called `name`, or ends, or `timeout` passes.
  bool wait_for(const std::string& name, size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return count_locked(name) >= count; });
  }
  size_t count(const std::string& name) {
    std::lock_guard lock(mu_);
    return count_locked(name);
  }
  bool wait_ended(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return ended_; });
  }
  int status() {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(5), [&] { return status_ != 0 || ended_; });
    return status_;
  }
  std::string content_type() {
    std::lock_guard lock(mu_);
    return content_type_;
  }
  nlohmann::json last_data(const std::string& name) {
    std::lock_guard lock(mu_);
    for (auto it = events_.rbegin(); it != events_.rend(); ++it)
      if (it->first == name) return nlohmann::json::parse(it->second);
    return nullptr;
  }

 private:
  size_t count_locked(const std::string& name) const {
    size_t n = 0;
    for (const auto& e : events_) n += e.first == name;
    return n;
  }
  void parse(const char* data, size_t length) {
    for (auto& e : parser_.feed(std::string_view(data, length))) events_.emplace_back(e.name, e.data);
  }

  httplib::Client client_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::atomic<bool> stopping_{false};
  ServerEventParser parser_;
  std::vector<std::pair<std::string, std::string>> events_;
  int status_ = 0;
  std::string content_type_;
  std::string error_body_;
  bool ended_ = false;
};

}  // namespace kehu::test
