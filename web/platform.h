// platform.h — everything the client needs from the host it runs in, and nothing more.
//
// The client (web/) is platform-free C++ on core/ and Dear ImGui. A host (shell/browser for the page,
// shell/desktop for the GLFW window) implements Platform and drives ClientApp (client_app.h) once per
// drawn frame. Threads: every method is called on the UI thread, and every callback runs later on the
// UI thread (never from inside the call that registered it), so client code needs no locks.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::client {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PATCH, DELETE
  std::string path;            // absolute path on the server, with query: "/api/v1/sync?since=0&limit=2000"
  std::string body;            // JSON text, or empty
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Idempotency-Key, Accept-Language
  // Optional: bytes of the answer received so far and its length (-1: not known), for a progress bar
  // on large downloads. Called on the UI thread, before `done`, as often as the host likes; a host may
  // never call it.
  std::function<void(int64_t received, int64_t total)> on_progress;
};

struct HttpResponse {
  int status = 0;    // 0: no answer at all (offline, refused, timed out) — the request may or may not have arrived
  std::string body;  // the body as received (JSON for the API)
};

using HttpCallback = std::function<void(HttpResponse)>;
using CacheCallback = std::function<void(Result<std::unique_ptr<Database>>)>;

class Platform {
 public:
  virtual ~Platform() = default;

  // Sends a request to the server the client came from; `done` runs exactly once. The host adds
  // authentication: the browser sends the HttpOnly session cookie (and X-Requested-With: kehu), the
  // desktop the bearer token given to set_bearer_token.
  virtual void send(HttpRequest request, HttpCallback done) = 0;
  virtual void set_bearer_token(const std::string& token) = 0;  // empty: forget it
  // A kiosk display's token (kiosk_display.h): sent with its requests by the display itself, and by the
  // host on the event stream, where the browser's EventSource can set no header (as ?kiosk=TOKEN). Never
  // a user's session token: that would put it in addresses and logs.
  virtual void set_kiosk_token(const std::string& token) { set_bearer_token(token); }

  // Server-Sent Events from GET /api/v1/events (SPEC §5): while asked to listen, the host keeps one
  // stream open, reconnecting by itself after a break. `on_event` gets each event's name ("ready",
  // "changes", "stats"); `on_open` says whether the stream is open now (false: not yet, broken, or
  // refused — the client then polls). One listener at a time: a new one replaces the last. It returns
  // an id; stop_events(id) closes the stream if that listener is still the current one, and its
  // callbacks never run afterwards. A host without streams keeps these defaults: nothing is ever heard,
  // and the client polls.
  virtual int listen_events(std::function<void(const std::string& event)> on_event, std::function<void(bool open)> on_open) {
    (void)on_event;
    (void)on_open;
    return 0;
  }
  virtual void stop_events(int listener) { (void)listener; }

  // A parameter of the address the client was opened with ("kiosk" of /?kiosk=TOKEN), "" when absent.
  // The desktop maps its command line's flags (--kiosk TOKEN) here.
  virtual std::string page_parameter(const std::string& name) const {
    (void)name;
    return "";
  }

  // Where the client's pages are served from, "scheme://host[:port]" (the browser's location.origin, the
  // desktop's --server): the start of links made for other devices (a kiosk display's). "" if unknown.
  virtual std::string page_origin() const { return ""; }

  // The host's own idea of connectivity (navigator.onLine); a request answered with status 0 is the
  // other signal the client uses.
  virtual bool online() const = 0;

  // Small values kept across restarts (localStorage, or a file next to the desktop cache): the language,
  // the last signed-in user. Not for secrets.
  virtual std::string load_setting(const std::string& key) = 0;
  virtual void save_setting(const std::string& key, const std::string& value) = 0;

  // Opens (creating if new) the cache database called `name` (one per user). In the browser this first
  // reads the stored pages from IndexedDB, so `done` runs later. One tab of a browser at a time has a
  // cache open (two would overwrite each other's stored pages): while another has it, `done` gets an
  // ErrorCode::busy error.
  virtual void open_cache(const std::string& name, CacheCallback done) = 0;
  // Opens the cache once no other tab has it (that tab closes, lets go when asked, or signs out): `done`
  // may run much later. A host without tabs opens it at once.
  virtual void wait_for_cache(const std::string& name, CacheCallback done) { open_cache(name, std::move(done)); }
  // Asks the tab that has the cache open to let go of it (the host then calls that tab's
  // ClientApp::on_cache_claimed); a wait_for_cache here then opens it.
  virtual void ask_for_cache(const std::string& name) { (void)name; }
  // The client has dropped its Database of this cache: the host stores what it has not stored yet, then
  // lets the cache go to a tab that waits for it.
  virtual void release_cache(const std::string& name) { (void)name; }
  // Makes the cache's committed state durable: call after a commit, never inside a transaction. The
  // browser writes only the chunks that changed, spread over frames; the desktop file needs nothing.
  virtual void persist_cache() = 0;
  // Whether persisted state lags the database (the status bar shows "saving").
  virtual bool cache_persist_pending() const = 0;
  // Closes nothing (the client drops its Database first) and deletes the named cache's stored copy.
  virtual void delete_cache(const std::string& name) = 0;

  // Milliseconds since the Unix epoch (wall clock) and a monotonic clock for animations.
  virtual int64_t now_ms() const = 0;
  // Minutes the user's local time is ahead of UTC (480 in China): times are stored in UTC and shown local.
  virtual int utc_offset_minutes() const = 0;
  virtual double monotonic_seconds() const = 0;

  // The host's text clipboard; ImGui's copy/paste goes through it too (set up by the host).
  virtual void set_clipboard(const std::string& text) = 0;

  // Where the user is, as a path ("/customers/123"): the page address's fragment in the browser, so a
  // link or a reload opens the same screen. set_location records a new place in the browser's history
  // (back and forward walk it) or, with `replace`, rewrites the current one. When the user moves through
  // the history or types an address, the host calls ClientApp::on_location_changed.
  virtual std::string location() const = 0;
  virtual void set_location(const std::string& path, bool replace) = 0;
  // Steps back in the host's history (the browser's back button) and returns true; the place it reaches
  // arrives through on_location_changed. False when the host keeps no history (the client goes back itself).
  virtual bool go_back() = 0;
  // Opens a page of the server's, given relative to the client's own address (the user manual,
  // "manual/zh-CN.html"), beside the client: a new tab in
  // the browser, the system's browser on the desktop.
  virtual void open_page(const std::string& path) = 0;

  // Saves what GET `path` (on the server) answers as a file named `file_name` where the user keeps
  // downloads: the browser's own download, with its progress and folder; the desktop writes it to its
  // working directory. Nothing comes back: the host shows its own progress and errors.
  virtual void download(const std::string& path, const std::string& file_name) = 0;

  // A file on the user's computer, chosen to be sent (an uploaded backup). The host keeps the last one
  // chosen; its pieces are read by `id`.
  struct ChosenFile {
    int id = 0;
    std::string name;  // without any folder
    int64_t size = 0;
  };
  // Whether this host can ask the user for a file (the browser's file dialog); the desktop window cannot.
  virtual bool can_choose_files() const { return false; }
  // Asks the user for a file (`accept`: the dialog's filter, ".db,.enc"). `done` runs when one is chosen;
  // maybe never when the dialog is cancelled. Only called when can_choose_files().
  virtual void choose_file(const std::string& accept, std::function<void(ChosenFile)> done) {
    (void)accept;
    (void)done;
  }
  // Reads `length` bytes at `offset` of chosen file `id`; `done` gets them, or an error when the file is
  // no longer there (chosen anew, moved, unreadable).
  virtual void read_chosen_file(int id, int64_t offset, int64_t length, std::function<void(Result<std::string>)> done) {
    (void)id, (void)offset, (void)length;
    (void)done;
  }
};

}  // namespace kehu::client
