// desktop_platform.h — web/platform.h for the native window: HTTP on worker threads, the cache as an
// SQLite file, settings in a JSON file, the clipboard through GLFW.
//
// Contract details the desktop decides (web/platform.h leaves them to the host):
// - send(): run on an HttpPool worker; `done` is queued and runs from run_completed_callbacks(), which
//   the main loop calls once per iteration on the UI thread — never from inside send().
// - online(): always true. The desktop has no cheap, trustworthy OS signal like navigator.onLine, and a
//   "false after the last request failed" would be circular (nothing would retry to turn it back):
//   the client learns about a missing network from status-0 answers, as platform.h intends.
// - open_cache(name): <cache dir>/<name>.db, opened on the UI thread (a local file opens in
//   milliseconds) with the client-cache options; the result is still delivered through the queue.
//   Names are used as given when they are [A-Za-z0-9._-] (not starting with '.'); any other byte is
//   written as %XX, so a name can never leave the folder.
// - persist_cache(): nothing — the database file is the stored copy; cache_persist_pending() is false.
// - Settings: <cache dir>/settings.json (settings_file.h).
// Threads: every method on the UI thread. Destroy the ClientApp first; answers still queued then are
// dropped without running.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "shell/desktop/event_stream.h"
#include "shell/desktop/http_pool.h"
#include "shell/desktop/settings_file.h"
#include "shell/desktop/ui_thread_queue.h"
#include "web/platform.h"

struct GLFWwindow;

namespace kehu::desktop {

class DesktopPlatform final : public client::Platform {
 public:
  // `window` is used for the clipboard and must outlive this object; glfwInit() must have run.
  DesktopPlatform(GLFWwindow* window, const std::string& server_url, std::filesystem::path cache_dir);
  ~DesktopPlatform() override;

  // Runs the callbacks of requests and cache opens that completed since the last call. UI thread.
  // Returns how many ran (the host draws a frame when any did).
  int run_completed_callbacks() { return completions_.run_all(); }

  void send(client::HttpRequest request, client::HttpCallback done) override;
  void set_bearer_token(const std::string& token) override { bearer_token_ = token; }
  bool online() const override { return true; }

  std::string load_setting(const std::string& key) override { return settings_.get(key); }
  void save_setting(const std::string& key, const std::string& value) override { settings_.set(key, value); }

  void open_cache(const std::string& name, client::CacheCallback done) override;
  void persist_cache() override {}
  bool cache_persist_pending() const override { return false; }
  void delete_cache(const std::string& name) override;

  int64_t now_ms() const override;
  int utc_offset_minutes() const override;
  double monotonic_seconds() const override;
  void set_clipboard(const std::string& text) override;
  // A window has no address bar: the place is kept for the session only.
  std::string location() const override { return location_; }
  void set_location(const std::string& path, bool) override { location_ = path; }
  bool go_back() override { return false; }
  // The command line's flags as the browser's address parameters (--kiosk: "kiosk").
  void set_page_parameter(const std::string& name, const std::string& value) { page_parameters_[name] = value; }
  std::string page_parameter(const std::string& name) const override {
    auto it = page_parameters_.find(name);
    return it == page_parameters_.end() ? "" : it->second;
  }
  std::string page_origin() const override { return server_url_; }
  void open_page(const std::string& path) override;
  // Written to the working directory (a window has no downloads bar); what happened goes to stderr.
  void download(const std::string& path, const std::string& file_name) override;
  int listen_events(std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open) override;
  void stop_events(int listener) override;

  // The file a cache called `name` lives in.
  std::filesystem::path cache_path(const std::string& name) const;

 private:
  GLFWwindow* window_;
  std::filesystem::path cache_dir_;
  UiThreadQueue completions_;
  SettingsFile settings_;
  std::string server_url_;
  std::string location_;
  std::map<std::string, std::string> page_parameters_;
  std::string bearer_token_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::unique_ptr<EventStream> events_;  // while listening; its thread posts to completions_
  int events_listener_ = 0;
  HttpPool http_;  // last: its workers post to completions_, so it stops first
};

// `name` made safe as one file-name component (see the header comment above).
std::string cache_file_stem(const std::string& name);

}  // namespace kehu::desktop
