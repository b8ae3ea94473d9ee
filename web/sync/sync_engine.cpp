#include "web/sync/sync_engine.h"

#include <algorithm>

#include "core/entity/entity_def.h"
#include "core/sync/sync_applier.h"

namespace kehu::client {

using nlohmann::json;

namespace {
constexpr int kPullLimit = 2000;
constexpr double kRetrySeconds = 5;
constexpr double kPeriodicSeconds = 30;
// With the event stream open a pull follows every change at once; the slow poll only covers a stream
// that broke without the host noticing.
constexpr double kPeriodicSecondsLive = 300;
constexpr double kFirstSyncPersistSeconds = 5;
// While the outbox drains, the cache is stored at most this often and once it has drained: an answer
// not yet stored is lost only with the tab, and its edit then goes again, which the server answers once
// (a POST by its Idempotency-Key, a PATCH's stale rev by a merge that finds nothing left, a DELETE by 404).
constexpr double kReplayPersistSeconds = 2;
constexpr int kImageAttempts = 2;
// Plain edits of different records on their way at once (SyncEngine::tick); a browser keeps six
// connections to a server, one of them the event stream.
constexpr size_t kMaxPushes = 5;

// The server's row in a 409 conflict answer ({"error": {"code": "conflict", …}, "current": {…}}); null
// for any other 409 (a duplicate, a claim someone else made first).
json conflict_body(const HttpResponse& response) {
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object() || body["error"].value("code", "") != "conflict")
    return json();
  return body.contains("current") && body["current"].is_object() ? body["current"] : json();
}
}  // namespace

SyncEngine::SyncEngine(Platform& platform, LocalCache& cache, Outbox& outbox, std::string accept_language)
    : platform_(platform), cache_(cache), outbox_(outbox), accept_language_(std::move(accept_language)) {
  online_ = platform_.online();
  auto stored = cache_.meta("last_sync_ms");
  if (stored.ok() && !stored->empty()) last_sync_ms_ = std::stoll(*stored);
  auto alive = alive_;
  events_listener_ = platform_.listen_events(
      [this, alive](const std::string& event) {
        if (*alive) on_server_event(event);
      },
      [this, alive](bool open) {
        if (!*alive) return;
        live_ = open;
        if (!open) next_periodic_ = std::min(next_periodic_, platform_.monotonic_seconds() + kPeriodicSeconds);
      });
}

SyncEngine::~SyncEngine() {
  *alive_ = false;
  platform_.stop_events(events_listener_);
}

void SyncEngine::on_server_event(const std::string& event) {
  // `ready` comes first on every (re)connection: whatever changed while the stream was down is pulled,
  // and the server answering it means the client is online again. `stats` needs nothing here: the
  // screens count from the cache, which the `changes` that came with it refreshes.
  if (event == "ready") set_online(true);
  if (event == "ready" || event == "changes") {
    pull_due_ = true;
    tick();  // now, not at the next frame: a frame may be 30 ms away
  }
}

void SyncEngine::set_online(bool online) {
  online_ = online;
  if (online) {
    retry_at_ = 0;
    pull_due_ = true;
  }
}

double SyncEngine::seconds_until_due() const {
  if (!image_to_load_.empty() && !stopped_) return 0;  // the image waits for the next frame
  if (stopped_ || busy()) return -1;
  double now = platform_.monotonic_seconds();
  if (retry_at_ > 0) return std::max(0.0, retry_at_ - now);
  if (pull_due_) return 0;
  return std::max(0.0, next_periodic_ - now);
}

void SyncEngine::went_offline() {
  online_ = false;
  pulling_ = false;  // edits sent alongside still answer (or fail) each for itself
  if (pushing_.empty()) outbox_.set_in_flight(0);
  retry_at_ = platform_.monotonic_seconds() + kRetrySeconds;
  if (on_changed) on_changed();
}

std::string SyncEngine::error_message(const HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    std::string msg = body["error"].value("message", "");
    if (body["error"].contains("fields") && body["error"]["fields"].is_object())
      for (const auto& [field, text] : body["error"]["fields"].items())
        if (text.is_string()) msg += "\n" + field + ": " + text.get<std::string>();
    if (!msg.empty()) return msg;
  }
  return "HTTP " + std::to_string(response.status);
}

void SyncEngine::tick() {
  if (!image_to_load_.empty() && !stopped_) {
    if (image_wait_ticks_-- <= 0) load_image();
    return;
  }
  if (stopped_ || pulling_) return;
  double now = platform_.monotonic_seconds();
  if (retry_at_ > 0 && now < retry_at_) return;
  if (!online_ && retry_at_ == 0 && !platform_.online()) return;  // wait for the host's online event
  retry_at_ = 0;
  if (pushing_.empty()) {
    auto entry = outbox_.next();
    if (!entry) {
      if (pull_due_ || now >= next_periodic_) pull();
      return;
    }
    push(*entry, false);
  }
  // Plain edits of other records go alongside: each answer takes a round trip, and a browser's takes
  // several milliseconds however fast the server is.
  if (pushing_.size() < kMaxPushes)
    for (const auto& entry : outbox_.sendable_alongside(kMaxPushes - pushing_.size(), pushing_)) push(entry, true);
}

void SyncEngine::push(const OutboxEntry& entry, bool alongside) {
  pushing_.insert({entry.entity, entry.record_id});
  const bool creation = entry.method == "POST" && entry.action.empty();
  if (creation) outbox_.set_in_flight(entry.seq);
  HttpRequest req;
  req.method = entry.method;
  req.path = Outbox::path_of(entry);
  if (entry.method != "DELETE") req.body = entry.body.dump();
  req.headers = {{"Idempotency-Key", entry.idempotency_key}, {"Accept-Language", accept_language_}};
  auto alive = alive_;
  platform_.send(std::move(req), [this, alive, entry, alongside, creation](HttpResponse response) {
    if (!*alive) return;
    pushing_.erase({entry.entity, entry.record_id});
    if (creation) outbox_.set_in_flight(0);
    on_push_answer(entry, alongside, response);
  });
}

void SyncEngine::on_push_answer(const OutboxEntry& entry, bool alongside, const HttpResponse& response) {
  if (response.status == 0) return went_offline();
  online_ = true;
  if (response.status == 401) {
    if (stopped_) return;  // an answer to an edit sent alongside the one that found the session ended
    stopped_ = true;
    if (on_signed_out) on_signed_out();
    return;
  }
  const bool final_answer = response.status < 500 && response.status != 429;
  if (final_answer && !alongside) outbox_.sent_alone(entry.seq);  // its turn alone is over
  // A DELETE answers 204 without a body; one already deleted (404) is done too.
  const bool deleted = entry.method == "DELETE" && (response.status == 204 || response.status == 404);
  const bool merges = response.status == 409 && entry.method == "PATCH" && entry.action.empty() && conflict_body(response).is_object();
  if (deleted || (response.status >= 200 && response.status < 300)) {
    json record = deleted ? json::object() : json::parse(response.body, nullptr, false);
    Status st = record.is_object() ? outbox_.accepted(entry, record) : outbox_.refused(entry, json("bad answer"));
    if (!st.ok()) last_error_ = st.error().message.en;
    pull_due_ = true;  // the server's rev moved: fetch what else changed
  } else if (!final_answer) {
    retry_at_ = platform_.monotonic_seconds() + kRetrySeconds;  // the server's trouble: try again later
  } else if (merges) {
    // Someone changed the record since this edit began: merged field by field; what merged goes again.
    const json error = json::parse(response.body, nullptr, false);
    auto merged = outbox_.conflicted(entry, error["current"], error);
    if (!merged.ok()) last_error_ = merged.error().message.en;
    else if (*merged == Outbox::Merged::resend) retry_at_ = 0;
  } else if (alongside) {
    // Refused while an older edit was on its way: a rule comparing records (a duplicate) may have seen
    // the server before that edit. It goes again alone, in its turn, and only that answer counts.
    outbox_.send_alone(entry.seq);
  } else {
    json error = json::parse(response.body, nullptr, false);
    Status st = outbox_.refused(entry, error.is_object() ? error : json(error_message(response)));
    if (!st.ok()) last_error_ = st.error().message.en;
  }
  const double now = platform_.monotonic_seconds();
  const bool more = outbox_.has_pending();
  if (!more || now - last_persist_ >= kReplayPersistSeconds) {
    platform_.persist_cache();
    last_persist_ = now;
  }
  if (on_changed) on_changed();
  // The next edit goes at once, not at the next frame (a hidden or idle page draws none).
  if (more) tick();
}

void SyncEngine::pull() {
  const bool fresh = !pulling_;  // not a further page of the pull under way
  pulling_ = true;
  pull_due_ = false;
  auto next = cache_.meta("sync_next");
  std::string since = next.ok() && !next->empty() ? *next : "0";
  if (fresh) progress_ = SyncProgress{.first = since == "0"};
  // The image replaces the whole database: only when nothing local (an edit made before the first sync
  // finished) would be lost with it.
  if (fresh && since == "0" && !image_refused_ && outbox_.empty()) return request_image();
  request_page(since, fresh && since == "0");
}

void SyncEngine::request_image() {
  progress_.phase = SyncProgress::Phase::image_download;
  HttpRequest req;
  req.path = "/api/v1/sync/image";
  req.headers = {{"Accept-Language", accept_language_}};
  auto alive = alive_;
  const int64_t generation = pull_generation_;
  req.on_progress = [this, alive, generation](int64_t received, int64_t total) {
    if (!*alive || generation != pull_generation_) return;
    progress_.bytes = received;
    progress_.bytes_total = total;
    if (on_changed) on_changed();
  };
  platform_.send(std::move(req), [this, alive, generation](HttpResponse response) {
    if (!*alive || generation != pull_generation_) return;
    on_image_answer(response);
  });
}

bool SyncEngine::pull_ended_by(const HttpResponse& response) {
  if (response.status == 0) {
    ++pull_generation_;
    went_offline();
    return true;
  }
  online_ = true;
  if (response.status != 401) return false;
  ++pull_generation_;
  pulling_ = false;
  stopped_ = true;
  if (on_signed_out) on_signed_out();
  return true;
}

void SyncEngine::on_image_answer(HttpResponse& response) {
  // A download cut off (offline, or 30 s without a byte) starts again from its first byte: after
  // kImageAttempts of those, the pages, which resume where they stopped, are the better way.
  if (response.status == 0 && ++image_cut_offs_ >= kImageAttempts) image_refused_ = true;
  if (pull_ended_by(response)) return;
  if (response.status != 200 || response.body.empty()) return fall_back_to_pages();
  // Loaded at the second frame from now, not here: loading blocks the page for up to a second, and the
  // screen should say "saving" meanwhile rather than freeze on the download bar.
  image_to_load_ = std::move(response.body);
  image_wait_ticks_ = 1;
  progress_.phase = SyncProgress::Phase::image_load;
  if (on_changed) on_changed();
}

void SyncEngine::fall_back_to_pages() {
  // An older server, one that cannot build the image, or an image that did not load (the cache is as it
  // was): the same data page by page.
  progress_.phase = SyncProgress::Phase::pages;
  image_refused_ = true;
  request_page("0", true);
}

void SyncEngine::load_image() {
  // The image replaces the outbox too: an edit made while it downloaded (the user may leave the syncing
  // screen) must not be lost, so then the same data comes page by page instead.
  if (!outbox_.empty()) {
    std::string().swap(image_to_load_);
    return fall_back_to_pages();
  }
  auto loaded = cache_.load_image(image_to_load_);
  std::string().swap(image_to_load_);  // hundreds of megabytes, no longer needed
  if (!loaded.ok()) return fall_back_to_pages();
  progress_.phase = SyncProgress::Phase::pages;
  progress_.applied = loaded->rows;
  progress_.total = loaded->rows;
  platform_.persist_cache();
  last_persist_ = platform_.monotonic_seconds();
  // What was written since the image was taken, counted for the progress bar.
  request_page(std::to_string(loaded->rev), true);
  if (on_changed) on_changed();
}

void SyncEngine::request_page(const std::string& since, bool count_remaining) {
  HttpRequest req;
  req.path = "/api/v1/sync?since=" + since + "&limit=" + std::to_string(kPullLimit) + (count_remaining ? "&count=1" : "");
  req.headers = {{"Accept-Language", accept_language_}};
  auto alive = alive_;
  const int64_t generation = pull_generation_;
  platform_.send(std::move(req), [this, alive, generation](HttpResponse response) {
    // An answer to a page asked for ahead of a page that then failed to apply: the pull starts again
    // from the cache's position, and this one is dropped.
    if (!*alive || generation != pull_generation_) return;
    on_pull_answer(response);
  });
}

void SyncEngine::pull_failed(std::string error) {
  ++pull_generation_;  // drop the page already asked for
  pulling_ = false;
  last_error_ = std::move(error);
  retry_at_ = platform_.monotonic_seconds() + kRetrySeconds;
}

void SyncEngine::on_pull_answer(const HttpResponse& response) {
  if (pull_ended_by(response)) return;
  json body = response.status == 200 ? json::parse(response.body, nullptr, false) : json();
  if (!body.is_object() || !body.contains("changes")) {
    pull_failed(error_message(response));
    if (on_changed) on_changed();
    return;
  }
  if (body.value("reset", false)) {
    Status cleared = cache_.clear_synced();
    if (cleared.ok()) cleared = cache_.set_meta("sync_next", "0");
    pulling_ = false;
    pull_due_ = true;
    return;
  }
  int64_t count = body["changes"].is_array() ? static_cast<int64_t>(body["changes"].size()) : 0;
  if (body.contains("remaining") && body["remaining"].is_number_integer())
    progress_.total = progress_.applied + count + body["remaining"].get<int64_t>();
  const bool more = body.value("more", false);
  const int64_t next = body.value("next", int64_t{0});
  // Ask for the next page before applying this one: the server reads it while the client applies.
  if (more) request_page(std::to_string(next), false);
  Status applied = ok_status();
  {
    auto txn = Transaction::begin(cache_.db(), true);
    if (!txn.ok()) {
      applied = txn.take_error();
    } else {
      auto stats = apply_sync_changes(cache_.db(), body["changes"]);
      if (!stats.ok()) applied = stats.take_error();
      if (applied.ok()) applied = cache_.set_meta("sync_next", std::to_string(next));
      if (applied.ok()) applied = outbox_.reapply_pending();
      if (applied.ok()) applied = (*txn)->commit();
    }
  }
  if (!applied.ok()) return pull_failed(applied.error().message.en);
  progress_.applied += count;
  if (!more) {
    last_sync_ms_ = platform_.now_ms();
    Status saved = cache_.set_meta("last_sync_ms", std::to_string(last_sync_ms_));
    (void)saved;  // the time shown in the status bar; losing it loses nothing
    next_periodic_ = platform_.monotonic_seconds() + (live_ ? kPeriodicSecondsLive : kPeriodicSeconds);
    last_error_.clear();
  }
  // A first sync rewrites much of the file with every page (the search index merges its segments), so
  // it is persisted every few seconds and at its end rather than after each page: a reload meanwhile
  // resumes from the last persisted page, and the stored copy is still whole transactions.
  const double now = platform_.monotonic_seconds();
  if (!progress_.first || !more || now - last_persist_ >= kFirstSyncPersistSeconds) {
    platform_.persist_cache();
    last_persist_ = now;
  }
  pulling_ = more;  // the next page is already asked for
  if (count > 0 || !more) {
    if (on_changed) on_changed();
  }
}

}  // namespace kehu::client
