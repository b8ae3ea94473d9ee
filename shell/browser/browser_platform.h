// browser_platform.h — Platform (web/platform.h) in the browser: fetch, IndexedDB, localStorage and the
// clipboard, through the JS functions in library_kehu.js. Everything runs on the page's main thread.
#pragma once

#include <map>
#include <string>

#include "web/cache/chunk_vfs.h"
#include "web/platform.h"

namespace kehu::client {

class BrowserPlatform final : public Platform {
 public:
  void send(HttpRequest request, HttpCallback done) override;
  void set_bearer_token(const std::string&) override {}  // the HttpOnly session cookie authenticates
  // The display adds its token to its requests; the event stream, whose EventSource sends no headers,
  // carries it as ?kiosk=TOKEN.
  void set_kiosk_token(const std::string& token) override { kiosk_token_ = token; }
  std::string page_parameter(const std::string& name) const override;
  std::string page_origin() const override;
  bool online() const override;
  std::string load_setting(const std::string& key) override;
  void save_setting(const std::string& key, const std::string& value) override;
  void open_cache(const std::string& name, CacheCallback done) override;
  void wait_for_cache(const std::string& name, CacheCallback done) override;
  void ask_for_cache(const std::string& name) override;
  void release_cache(const std::string& name) override;
  void persist_cache() override;
  bool cache_persist_pending() const override;
  void delete_cache(const std::string& name) override;
  int64_t now_ms() const override;
  int utc_offset_minutes() const override;
  double monotonic_seconds() const override;
  void set_clipboard(const std::string& text) override;
  std::string location() const override;
  void set_location(const std::string& path, bool replace) override;
  bool go_back() override;
  void open_page(const std::string& path) override;
  void download(const std::string& path, const std::string& file_name) override;
  bool can_choose_files() const override { return true; }
  void choose_file(const std::string& accept, std::function<void(ChosenFile)> done) override;
  void read_chosen_file(int id, int64_t offset, int64_t length, std::function<void(Result<std::string>)> done) override;
  int listen_events(std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open) override;
  void stop_events(int listener) override;

  // Called from JS (main.cpp's exported functions).
  void fetch_done(int id, int status, std::string body);
  void fetch_progress(int id, int64_t received, int64_t total);
  void file_chosen(int id, const std::string& name, int64_t size);
  void file_read(int request, bool ok, std::string bytes);
  void server_event(const std::string& name);
  void events_open(bool open);
  void cache_loaded(int id, int64_t size, int outcome);  // 1 loaded, 0 unreadable, 2 held by another tab
  void persist_done(bool ok);
  // Hands the next slice of the flush under way to the page (called back by the page between tasks).
  void persist_step();

 private:
  int next_id_ = 1;
  std::map<int, HttpCallback> fetches_;
  std::map<int, std::function<void(int64_t, int64_t)>> progress_;  // requests that asked for progress
  std::map<int, std::pair<std::string, CacheCallback>> opening_;
  std::function<void(ChosenFile)> on_chosen_;  // the file dialog open now
  std::map<int, std::function<void(Result<std::string>)>> reading_;  // pieces of a chosen file on their way
  std::function<void(const std::string&)> on_event_;  // set while listening to /events
  std::function<void(bool)> on_events_open_;
  int events_listener_ = 0;
  std::string kiosk_token_;  // "" unless this page is a kiosk display
  void open_cache_when(const std::string& name, bool wait, CacheCallback done);
  // Lets the lock of `releasing_` go once its last flush is stored.
  void finish_release();

  std::string open_cache_;   // the cache being persisted (one open at a time)
  std::string releasing_;    // a cache let go of: the lock goes once what it changed is stored
  bool persisting_ = false;  // a flush is under way (handing over, or the IndexedDB write)
  bool persist_again_ = false;
  // The flush under way, by chunk: marked dirty again if IndexedDB does not store it (chunk_vfs.h).
  std::string in_flight_name_;
  std::vector<uint32_t> in_flight_;
  int failed_flushes_ = 0;  // in a row; retried at once up to kFlushAttempts, then with the next commit
  // The flush being handed to the page: a snapshot of the changed chunks taken at one commit, passed in
  // slices of kPersistSliceBytes, one per task, so no task copies tens of megabytes at once.
  DirtyChunks flushing_;
  size_t flush_next_ = 0;
  bool handing_over_ = false;  // slices of flushing_ still to pass; the IndexedDB write not yet begun
};

}  // namespace kehu::client
