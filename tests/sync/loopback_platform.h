// loopback_platform.h — a host (web/platform.h) for a client driven by a test or a bench, natively:
// requests wait in a queue until the driver delivers them to a real server over loopback HTTP, fails them
// as offline, or performs them and loses the answer (a tab closed while its upload was on its way). Time
// for the client's retries is the driver's clock (clock_), not the wall's.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>

#include "web/platform.h"

namespace kehu::client {

class LoopbackPlatform final : public Platform {
 public:
  // `port`: the server's port at the time of each request (a restarted server may have a new one).
  explicit LoopbackPlatform(std::function<int()> port) : port_(std::move(port)) {}
  void send(HttpRequest request, HttpCallback done) override { queue_.push_back({std::move(request), std::move(done)}); }
  void set_bearer_token(const std::string& token) override { token_ = token; }
  bool online() const override { return online_; }
  std::string load_setting(const std::string& key) override { return settings_[key]; }
  void save_setting(const std::string& key, const std::string& value) override { settings_[key] = value; }
  void open_cache(const std::string&, CacheCallback done) override;  // not used: the driver opens the cache
  void persist_cache() override {}                                  // the cache is a file: nothing to do
  bool cache_persist_pending() const override { return false; }
  void delete_cache(const std::string&) override {}
  int64_t now_ms() const override;
  int utc_offset_minutes() const override { return 480; }
  double monotonic_seconds() const override { return clock_; }
  void set_clipboard(const std::string&) override {}
  std::string location() const override { return "/"; }
  void set_location(const std::string&, bool) override {}
  bool go_back() override { return false; }
  void open_page(const std::string&) override {}
  void download(const std::string&, const std::string&) override {}

  bool online_ = true;
  double clock_ = 0;

  // Answers the requests queued now (not those their answers queue): over HTTP, or status 0 offline.
  void deliver();
  // The queued requests reach the server, but their answers never come back.
  void perform_and_lose_answers();
  bool idle() const { return queue_.empty(); }
  size_t queued() const { return queue_.size(); }
  // deliver(), the newest request first: answers that overtake each other on the network.
  void deliver_newest_first();

 private:
  HttpResponse perform(const HttpRequest& request);
  struct Pending {
    HttpRequest request;
    HttpCallback done;
  };
  std::function<int()> port_;
  std::deque<Pending> queue_;
  std::map<std::string, std::string> settings_;
  std::string token_;
};

}  // namespace kehu::client
