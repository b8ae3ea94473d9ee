// sync_engine.h — keeps the cache and the server in step (SPEC §6): pulls changes, pushes the outbox.
//
// tick() starts the next piece of network work when none is running: first the outbox (in order, one
// request at a time, but plain edits of different records up to kMaxPushes at once), then a pull when one
// is due (asked for, after the outbox drained, when the server's event stream says rows changed, or
// periodically: every 30 s without the stream, every 5 minutes with it).
// A pull requests GET /sync pages until `more` is false, asking for the next page before applying the one
// that arrived (the server reads while the client applies); each page is applied in one cache transaction,
// so the cache never holds half a page, and persisted (during a first sync every few seconds and at its
// end). A first sync (or one after `reset`) also asks how
// many changes remain, for the progress bar. A first sync into an empty cache with an empty outbox
// starts from the sync image instead (GET /sync/image, core/sync/sync_image.h): one database file with
// the search index already built, loaded whole, then /sync pages from the image's rev; a server that
// answers the image with anything but 200 is paged from 0 as before. An answer with status 0 means offline: work resumes when the
// host reports online again, or after a short retry delay. 401 means the session ended: the engine stops
// and calls on_signed_out; the outbox and cache are kept for the same user's next sign-in.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/sync/outbox.h"

namespace kehu::client {

struct SyncProgress {
  enum class Phase { pages, image_download, image_load };
  bool first = false;        // a full pull into an empty cache
  Phase phase = Phase::pages;
  int64_t applied = 0;       // changes applied in this pull (records, for the image)
  int64_t total = -1;        // changes this pull will bring (-1: unknown)
  int64_t bytes = 0;         // image_download: bytes received
  int64_t bytes_total = -1;  // image_download: the image's size (-1: unknown)
};

class SyncEngine {
 public:
  SyncEngine(Platform& platform, LocalCache& cache, Outbox& outbox, std::string accept_language);
  ~SyncEngine();

  std::function<void()> on_changed;     // the cache changed: redraw lists
  std::function<void()> on_signed_out;  // 401: the session is gone

  // Starts due work; returns quickly. Call every frame and whenever the host wakes the client.
  void tick();
  // Ask for a pull as soon as possible.
  void request_pull() { pull_due_ = true; }
  void set_online(bool online);
  void set_language(std::string accept_language) { accept_language_ = std::move(accept_language); }

  bool online() const { return online_; }
  // Whether the server's event stream (GET /events) is open: changes arrive at once, not at the next poll.
  bool live() const { return live_; }
  // A pull, or at least one push, on its way (a pull starts only when no push is, and the reverse).
  bool busy() const { return pulling_ || !pushing_.empty(); }
  bool pulling() const { return pulling_; }
  const SyncProgress& progress() const { return progress_; }
  int64_t last_sync_ms() const { return last_sync_ms_; }
  const std::string& last_error() const { return last_error_; }
  // Seconds until tick() has something to do without outside events (a retry, the periodic pull).
  double seconds_until_due() const;

 private:
  void push(const OutboxEntry& entry, bool alongside);
  // The answer to a pushed entry.
  void on_push_answer(const OutboxEntry& entry, bool alongside, const HttpResponse& response);
  void pull();
  void request_image();
  // No answer (offline) or 401 (signed out): the pull is over and the engine says so; true if it was.
  bool pull_ended_by(const HttpResponse& response);
  void on_image_answer(HttpResponse& response);
  void load_image();
  void fall_back_to_pages();
  void request_page(const std::string& since, bool count_remaining);
  void on_pull_answer(const HttpResponse& response);
  void pull_failed(std::string error);
  void went_offline();
  void on_server_event(const std::string& event);
  std::string error_message(const HttpResponse& response) const;

  Platform& platform_;
  LocalCache& cache_;
  Outbox& outbox_;
  std::string accept_language_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // callbacks after destruction do nothing
  bool online_ = true;
  bool live_ = false;
  int events_listener_ = 0;  // Platform::listen_events
  // The records whose entries are on their way (several plain edits of different records go at once,
  // Outbox::sendable_alongside).
  std::set<std::pair<std::string, int64_t>> pushing_;
  bool pulling_ = false;
  bool pull_due_ = true;
  bool stopped_ = false;
  bool image_refused_ = false;  // the server has no image for us (or it did not load): page from 0
  std::string image_to_load_;   // an image received, loaded once the screen has said so
  int image_wait_ticks_ = 0;
  int image_cut_offs_ = 0;      // image downloads that ended without an answer
  double retry_at_ = 0;       // monotonic seconds; 0: no retry pending
  double next_periodic_ = 0;  // monotonic seconds of the next periodic pull
  double last_persist_ = 0;   // monotonic seconds of the last persist during a pull
  int64_t pull_generation_ = 0;  // bumped when a pull stops: answers to pages asked for before are dropped
  int64_t last_sync_ms_ = 0;
  std::string last_error_;
  SyncProgress progress_;
};

}  // namespace kehu::client
