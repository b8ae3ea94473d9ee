#include "shell/browser/browser_platform.h"

#include <emscripten.h>

#include <chrono>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/db/sqlite_database.h"
#include "web/cache/chunk_vfs.h"

// Implemented in library_kehu.js.
extern "C" {
void kehu_js_fetch(int id, const char* method, const char* path, const char* body, int body_len, const char* headers_json,
                   int wants_progress);
int kehu_js_online();
char* kehu_js_load_setting(const char* key);  // malloc'd UTF-8, caller frees
void kehu_js_save_setting(const char* key, const char* value);
void kehu_js_open_cache(int id, const char* name, int wait);
void kehu_js_cache_ask(const char* name);
void kehu_js_cache_release(const char* name);
void kehu_js_persist_begin(const char* name, double size);
void kehu_js_persist_chunk(unsigned index, const char* data, int len);
void kehu_js_persist_commit();
void kehu_js_persist_continue();
void kehu_js_persist_abandon();
void kehu_js_delete_cache(const char* name);
void kehu_js_set_clipboard(const char* text);
char* kehu_js_location();  // malloc'd UTF-8, caller frees
void kehu_js_set_location(const char* path, int replace);
void kehu_js_go_back();
void kehu_js_open_page(const char* path);
void kehu_js_download(const char* path, const char* file_name);
void kehu_js_choose_file(const char* accept);
void kehu_js_read_chosen_file(int request, int id, double offset, double length);
void kehu_js_events_open(const char* kiosk_token);  // "" for a staff session (the cookie)
char* kehu_js_page_parameter(const char* name);     // malloc'd UTF-8 or null; the caller frees
char* kehu_js_page_origin();                        // malloc'd UTF-8; the caller frees
void kehu_js_events_close();
int kehu_js_utc_offset_minutes();
}

namespace kehu::client {

namespace {
// A flush is handed to the page in tasks of at least one slice and at most about kPersistSliceMs.
constexpr size_t kPersistSliceBytes = 1024 * 1024;
constexpr double kPersistSliceMs = 8;
constexpr int kFlushAttempts = 3;  // a flush IndexedDB did not store, tried at once this many times in all

// A malloc'd UTF-8 string from the page, freed here ("" for null).
std::string take_js_string(char* value) {
  if (!value) return "";
  std::string out = value;
  free(value);
  return out;
}
}  // namespace

void BrowserPlatform::send(HttpRequest request, HttpCallback done) {
  int id = next_id_++;
  fetches_[id] = std::move(done);
  const bool wants_progress = static_cast<bool>(request.on_progress);
  if (wants_progress) progress_[id] = std::move(request.on_progress);
  nlohmann::json headers = nlohmann::json::object();
  for (auto& [k, v] : request.headers) headers[k] = v;
  kehu_js_fetch(id, request.method.c_str(), request.path.c_str(), request.body.data(), static_cast<int>(request.body.size()),
                headers.dump().c_str(), wants_progress ? 1 : 0);
}

void BrowserPlatform::fetch_progress(int id, int64_t received, int64_t total) {
  auto it = progress_.find(id);
  if (it != progress_.end()) it->second(received, total);
}

void BrowserPlatform::fetch_done(int id, int status, std::string body) {
  auto it = fetches_.find(id);
  if (it == fetches_.end()) return;
  HttpCallback done = std::move(it->second);
  fetches_.erase(it);
  progress_.erase(id);
  done(HttpResponse{status, std::move(body)});
}

bool BrowserPlatform::online() const { return kehu_js_online() != 0; }

std::string BrowserPlatform::load_setting(const std::string& key) { return take_js_string(kehu_js_load_setting(key.c_str())); }

void BrowserPlatform::save_setting(const std::string& key, const std::string& value) {
  kehu_js_save_setting(key.c_str(), value.c_str());
}

void BrowserPlatform::open_cache(const std::string& name, CacheCallback done) { open_cache_when(name, false, std::move(done)); }

void BrowserPlatform::wait_for_cache(const std::string& name, CacheCallback done) { open_cache_when(name, true, std::move(done)); }

void BrowserPlatform::open_cache_when(const std::string& name, bool wait, CacheCallback done) {
  int id = next_id_++;
  opening_[id] = {name, std::move(done)};
  kehu_js_open_cache(id, name.c_str(), wait ? 1 : 0);  // takes the lock, loads the stored chunks into the VFS, then cache_loaded()
}

void BrowserPlatform::ask_for_cache(const std::string& name) { kehu_js_cache_ask(name.c_str()); }

void BrowserPlatform::release_cache(const std::string& name) {
  releasing_ = name;
  persist_cache();  // what the last commits changed, if not stored yet
  finish_release();
}

void BrowserPlatform::finish_release() {
  if (releasing_.empty() || persisting_) return;  // persist_done() comes back here
  forget_file(releasing_);  // the next owner may change it: this tab reads it afresh if it has it again
  if (open_cache_ == releasing_) open_cache_.clear();
  kehu_js_cache_release(releasing_.c_str());
  releasing_.clear();
}

void BrowserPlatform::cache_loaded(int id, int64_t size, int outcome) {
  auto it = opening_.find(id);
  if (it == opening_.end()) return;
  auto [name, done] = std::move(it->second);
  opening_.erase(it);
  if (outcome == 2) {
    return done(Error::make(ErrorCode::busy, {"客户管理已在另一个标签页中打开", "Kehu is open in another tab"}));
  }
  const bool ok = outcome == 1;
  if (ok) set_loaded_size(name, size);
  else forget_file(name);  // unreadable storage: start this cache afresh
  Status vfs = register_chunk_vfs();
  if (!vfs.ok()) return done(vfs.error());
  SqliteOptions options;
  options.client_cache = true;
  options.wal = false;
  options.vfs = kChunkVfsName;
  auto db = SqliteDatabase::open(name, options);
  if (!db.ok()) return done(db.take_error());
  open_cache_ = name;
  done(std::unique_ptr<Database>(std::move(*db)));
}

void BrowserPlatform::persist_cache() {
  if (open_cache_.empty() || !has_dirty(open_cache_)) return;
  if (persisting_) {  // one flush at a time; the next takes everything changed meanwhile
    persist_again_ = true;
    return;
  }
  flushing_ = take_dirty(open_cache_);
  in_flight_name_ = open_cache_;
  in_flight_.clear();
  for (const auto& chunk : flushing_.chunks) in_flight_.push_back(chunk.index);
  flush_next_ = 0;
  persisting_ = handing_over_ = true;
  kehu_js_persist_begin(open_cache_.c_str(), static_cast<double>(flushing_.size));
  persist_step();
}

void BrowserPlatform::persist_step() {
  if (!handing_over_) return;  // abandoned (the cache was deleted)
  // At least one slice per task, then more while the task is still short.
  const double start = emscripten_get_now();
  size_t bytes = 0;
  while (flush_next_ < flushing_.chunks.size() &&
         (bytes < kPersistSliceBytes || emscripten_get_now() - start < kPersistSliceMs)) {
    const DirtyChunk& chunk = flushing_.chunks[flush_next_++];
    kehu_js_persist_chunk(chunk.index, reinterpret_cast<const char*>(chunk.bytes.get()), static_cast<int>(chunk.length));
    bytes += chunk.length;
  }
  if (flush_next_ < flushing_.chunks.size()) {
    kehu_js_persist_continue();  // the page calls persist_step() again in a later task
    return;
  }
  flushing_ = DirtyChunks{};
  handing_over_ = false;
  kehu_js_persist_commit();  // one IndexedDB transaction: the stored copy moves from one commit to the next
}

void BrowserPlatform::persist_done(bool stored) {
  persisting_ = false;
  if (stored) {
    failed_flushes_ = 0;
  } else {
    // IndexedDB kept the copy of the flush before (one transaction): store these chunks again, at once
    // a few times (a busy disk, a transaction aborted by the browser), then with the next commit. A cache
    // being handed to another tab waits for those attempts before it lets go.
    mark_dirty_again(in_flight_name_, in_flight_);
    if (++failed_flushes_ < kFlushAttempts) persist_again_ = true;
  }
  in_flight_.clear();
  if (persist_again_) {
    persist_again_ = false;
    persist_cache();
  }
  finish_release();
}

bool BrowserPlatform::cache_persist_pending() const { return persisting_; }

void BrowserPlatform::delete_cache(const std::string& name) {
  if (name == open_cache_) {
    open_cache_.clear();
    if (handing_over_) {
      // A hand-over not yet committed: drop it, or its write would land after the deletion.
      flushing_ = DirtyChunks{};
      handing_over_ = persisting_ = persist_again_ = false;
      kehu_js_persist_abandon();
    }
  }
  forget_file(name);
  kehu_js_delete_cache(name.c_str());
}

int64_t BrowserPlatform::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
int BrowserPlatform::utc_offset_minutes() const { return kehu_js_utc_offset_minutes(); }
double BrowserPlatform::monotonic_seconds() const { return emscripten_get_now() / 1000.0; }

void BrowserPlatform::set_clipboard(const std::string& text) { kehu_js_set_clipboard(text.c_str()); }

std::string BrowserPlatform::location() const {
  char* v = kehu_js_location();
  std::string out = v ? v : "";
  free(v);
  return out;
}

void BrowserPlatform::set_location(const std::string& path, bool replace) { kehu_js_set_location(path.c_str(), replace ? 1 : 0); }

bool BrowserPlatform::go_back() {
  kehu_js_go_back();
  return true;
}

void BrowserPlatform::open_page(const std::string& path) { kehu_js_open_page(path.c_str()); }

void BrowserPlatform::download(const std::string& path, const std::string& file_name) {
  kehu_js_download(path.c_str(), file_name.c_str());
}

void BrowserPlatform::choose_file(const std::string& accept, std::function<void(ChosenFile)> done) {
  on_chosen_ = std::move(done);  // a dialog asked for again replaces the last (a cancel may never be heard)
  kehu_js_choose_file(accept.c_str());
}

void BrowserPlatform::file_chosen(int id, const std::string& name, int64_t size) {
  if (!on_chosen_) return;
  auto done = std::move(on_chosen_);
  on_chosen_ = nullptr;
  done(ChosenFile{id, name, size});
}

void BrowserPlatform::read_chosen_file(int id, int64_t offset, int64_t length, std::function<void(Result<std::string>)> done) {
  const int request = next_id_++;
  reading_[request] = std::move(done);
  kehu_js_read_chosen_file(request, id, static_cast<double>(offset), static_cast<double>(length));
}

void BrowserPlatform::file_read(int request, bool ok, std::string bytes) {
  auto it = reading_.find(request);
  if (it == reading_.end()) return;
  auto done = std::move(it->second);
  reading_.erase(it);
  if (ok) return done(std::move(bytes));
  done(Error::make(ErrorCode::storage, {"无法读取所选文件（它可能已被移动或更改），请重新选择",
                                        "the chosen file cannot be read (it may have been moved or changed); choose it again"}));
}

std::string BrowserPlatform::page_parameter(const std::string& name) const { return take_js_string(kehu_js_page_parameter(name.c_str())); }

std::string BrowserPlatform::page_origin() const { return take_js_string(kehu_js_page_origin()); }

int BrowserPlatform::listen_events(std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open) {
  on_event_ = std::move(on_event);
  on_events_open_ = std::move(on_open);
  // An open stream stays open: the new listener hears it from now on.
  kehu_js_events_open(kiosk_token_.c_str());
  return ++events_listener_;
}

void BrowserPlatform::stop_events(int listener) {
  if (listener != events_listener_) return;  // replaced already: the newer listener keeps the stream
  on_event_ = nullptr;
  on_events_open_ = nullptr;
  kehu_js_events_close();
}

void BrowserPlatform::server_event(const std::string& name) {
  if (auto on_event = on_event_) on_event(name);  // a copy: the callback may stop listening
}

void BrowserPlatform::events_open(bool open) {
  if (auto on_open = on_events_open_) on_open(open);
}

}  // namespace kehu::client
