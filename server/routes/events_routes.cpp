// events_routes.cpp — GET /api/v1/events (SPEC §5, §7): Server-Sent Events telling a signed-in client
// when to pull, so an edit reaches every other screen within moments instead of at the next poll.
//
// Events (data `{}`): `ready` once (the client pulls, having missed anything before it connected),
// `changes` when rows the user may see changed (a change of the user's role or team counts: the pull
// answers `reset`, and the stream answers for the new reach from then on), `stats` when a change moved
// the figures statistics are made of, and a comment line every heartbeat. What the user may see is
// asked of the database (entities_changed_since), so nobody learns that rows they cannot see changed.
// The session is checked again at every heartbeat: signing out, an expired session or a deactivated
// account ends the stream.
// The number of open streams is capped (ChangeFeed): beyond it the answer is 503 and the client polls.
// A kiosk display's token (`?kiosk=TOKEN`: EventSource sends no headers) hears `ready` and `stats` only,
// for company-wide figures; its token is checked every kKioskCheckGap, so a revoked display's stream ends
// within seconds and its reconnect is refused.
#include <chrono>
#include <string>
#include <thread>

#include "core/store/write_txn.h"
#include "core/sync/sync_reader.h"
#include "core/users/role_rights.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

using std::chrono::steady_clock;

// What statistics are counted from (SPEC §5 /stats): a change to any of them is a `stats` event.
bool moves_statistics(const std::string& entity) {
  for (const char* e : {"customers", "opportunities", "contracts", "orders", "tickets", "campaigns", "activities"})
    if (entity == e) return true;
  return false;
}

// The data is empty: the global rev would tell a user how much the whole company writes.
std::string event_text(const std::string& name) { return "event: " + name + "\ndata: {}\n\n"; }

// Each stream checks the database at most this often: one write wakes it at once, a burst of writes
// (an outbox replay) costs one check per gap rather than one per write, on every stream.
constexpr std::chrono::milliseconds kCheckGap{50};
constexpr std::chrono::milliseconds kKioskCheckGap{2000};

bool write(httplib::DataSink& sink, const std::string& text) { return sink.write(text.data(), text.size()); }

// One open stream: what its client was last told, and when it was last checked.
struct EventStream {
  App& app;
  Viewer viewer;
  int64_t user_id = 0;
  int64_t session_id = 0;
  int64_t scope_rev = 0;
  int64_t told_rev = 0;  // the client knows of every visible change up to here
  std::optional<int64_t> kiosk_id;  // a kiosk display's token, instead of a user's session
  bool greeted = false;
  steady_clock::time_point next_heartbeat;
  steady_clock::time_point next_check;  // checks are at least kCheckGap apart: a burst of writes is one check
  steady_clock::time_point next_kiosk_check;

  // Whether the kiosk token still works (not revoked).
  bool kiosk_still_issued() {
    auto lease = app.db().read();
    auto works = kiosk_token_works(lease.db(), *kiosk_id);
    return works.ok() && *works;
  }

  // The user's account as it is now, or nullopt when it is gone or deactivated (the stream ends).
  std::optional<User> active_user(Database& db) {
    auto user = find_user(db, user_id);
    if (!user.ok() || !user->has_value() || !(*user)->active) return std::nullopt;
    return std::move(**user);
  }

  // Whether the session still stands and the account is active.
  bool still_signed_in() {
    auto lease = app.db().read();
    if (!active_user(lease.db())) return false;
    auto sessions = list_sessions(lease.db(), user_id, app.clock().now_ms(), app.config().sessions);
    if (!sessions.ok()) return false;
    for (const auto& s : *sessions)
      if (s.id == session_id) return true;
    return false;
  }

  // What changed that this user may see since told_rev: entity names, empty for nothing. False when the
  // stream must end (the account is gone, or may no longer read records).
  bool changed_since(std::vector<std::string>& changed) {
    auto lease = app.db().read();
    if (kiosk_id) {
      auto found = entities_changed_since(lease.db(), Viewer::system(), told_rev);
      if (!found.ok()) return false;
      changed = std::move(*found);
      return true;
    }
    auto user = active_user(lease.db());
    if (!user) return false;
    if (user->scope_rev != scope_rev) {
      // A new role or team: from now on the stream answers for the new reach, and the client's pull resets.
      scope_rev = user->scope_rev;
      viewer = Viewer{user->id, user->role, user->team_id};
      if (!role_may(viewer.role, "customers", Action::read)) return false;
      changed.push_back("scope");
    }
    auto found = entities_changed_since(lease.db(), viewer, told_rev);
    if (!found.ok()) return false;  // the client reconnects (retry) and pulls
    changed.insert(changed.end(), found->begin(), found->end());
    return true;
  }

  // Called again and again on the connection's thread; false ends the stream.
  bool next(httplib::DataSink& sink) {
    ChangeFeed& feed = app.changes();
    if (feed.closed()) return false;
    const auto now = steady_clock::now();
    if (!greeted) {
      greeted = true;
      next_heartbeat = now + std::chrono::seconds(app.config().event_heartbeat_s);
      return write(sink, "retry: 3000\n" + event_text("ready"));
    }
    int64_t rev = feed.wait_past(told_rev, std::chrono::milliseconds(250));
    if (feed.closed()) return false;
    if (kiosk_id && steady_clock::now() >= next_kiosk_check) {
      next_kiosk_check = steady_clock::now() + kKioskCheckGap;
      if (!kiosk_still_issued()) return false;
    }
    if (rev == told_rev && feed.outside_check_due()) {
      // A quiet spell: has another process written to the file (change_feed.h)?
      auto lease = app.db().read();
      auto committed = committed_rev(lease.db());
      if (committed.ok()) feed.publish(*committed);
      rev = feed.rev();
    }
    if (rev > told_rev && steady_clock::now() < next_check) {
      std::this_thread::sleep_until(next_check);  // wait_past would not wait: the rev has moved already
      return true;
    }
    if (rev > told_rev) {
      std::vector<std::string> changed;
      if (!changed_since(changed)) return false;
      told_rev = rev;
      next_check = steady_clock::now() + kCheckGap;
      std::string out;
      if (!changed.empty() && !kiosk_id) out += event_text("changes");
      for (const auto& e : changed)
        if (moves_statistics(e)) {
          out += event_text("stats");
          break;
        }
      if (!out.empty()) return write(sink, out);
    }
    if (steady_clock::now() >= next_heartbeat) {
      next_heartbeat = steady_clock::now() + std::chrono::seconds(app.config().event_heartbeat_s);
      if (kiosk_id ? !kiosk_still_issued() : !still_signed_in()) return false;
      return write(sink, ": heartbeat\n\n");
    }
    return true;
  }
};

}  // namespace

void register_events_routes(App& app) {
  app.route("GET", "/api/v1/events", Access::signed_in_or_kiosk, [&app](RequestContext& ctx) -> Result<Reply> {
    if (!ctx.kiosk)
      if (auto refused = refuse_role_without_sync(ctx)) return *refused;
    if (auto refused = refuse_unknown_params(ctx.req, {"kiosk"})) return *refused;
    if (!app.changes().enter()) {
      Error full = Error::make(ErrorCode::busy, {"实时通知连接已满，将定时刷新",
                                                 "too many live connections; the client will check for changes periodically"});
      Reply busy = error_reply(full, ctx.lang);
      busy.headers = {{"Retry-After", "60"}};
      return busy;
    }
    auto stream = std::make_shared<EventStream>(EventStream{app, ctx.viewer()});
    stream->told_rev = app.changes().rev();
    if (ctx.kiosk) {
      stream->kiosk_id = ctx.kiosk->id;
    } else {
      stream->user_id = ctx.user->id;
      stream->session_id = ctx.session.id;
      stream->scope_rev = ctx.user->scope_rev;
    }
    Reply reply;
    reply.headers = {{"X-Accel-Buffering", "no"}};
    reply.stream = StreamBody{"text/event-stream", [stream](httplib::DataSink& sink) { return stream->next(sink); },
                              [&app] { app.changes().leave(); }};
    return reply;
  });
}

}  // namespace kehu::server
