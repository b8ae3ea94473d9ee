// app.h — the HTTP server: configuration, shared services, and the routing wrapper every handler uses.
//
// A handler is registered with route(); before it runs, the wrapper picks the language from
// Accept-Language, authenticates (Bearer token or the `session` cookie), applies the CSRF rule (a
// cookie-authenticated write must carry `X-Requested-With: kehu`), and afterwards turns a returned
// Error into the SPEC §5 error body through http_errors.h. Route files (routes/*.cpp) only parse,
// call core and build replies. Threads: handlers run on httplib's worker pool; App is shared.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/users/record_scope.h"
#include "core/users/user_store.h"
#include "server/auth/kiosk_tokens.h"
#include "server/auth/login_throttle.h"
#include "server/auth/password_hasher.h"
#include "server/auth/session_store.h"
#include "server/backup/backup_service.h"
#include "server/db_pool.h"
#include "server/events/change_feed.h"
#include "server/http/gated_http_server.h"
#include "server/jobs/job_runner.h"
#include "server/metrics/request_metrics.h"
#include "server/sync_image_store.h"

namespace kehu::server {

struct ServerConfig {
  std::string db_path = "data/kehu.db";
  std::string static_dir;            // empty: no static files
  std::string host = "0.0.0.0";
  int port = 8080;                   // 0: any free port (tests)
  int workers = 32;                  // HTTP worker threads; a connection holds one only while a request is served
  int max_queued = 256;              // ready requests waiting for a worker; beyond this they get 503
  // The connection gate (server/http/connection_gate.h): requests from one address served at once (0: no
  // limit; the rest wait their turn), connections from one address, and connections in all.
  int workers_per_address = 16, connections_per_address = 1024, max_connections = 10'000;
  int address_wait_s = 30;           // a ready request waits this long for its address's turn, then 503
  int event_streams = 64;            // open GET /events streams; each has its own thread beyond `workers`
  int event_heartbeat_s = 15;        // a comment line this often keeps proxies from closing a quiet stream
  int job_tick_ms = 30'000;          // how often the scheduled jobs look whether they have work (jobs/)
  bool scheduled_backups = true;     // the settings' backup schedule runs (tests that count files turn it off)
  int readers = 8;                   // read connections
  size_t max_body_bytes = 1 << 20;   // 413 above this, before the body is read
  // read: a whole request (head and first 64 KiB of body) must arrive within it, and each later read of
  // its body; write: each write of the answer; idle: a kept-alive connection's wait for its next request.
  int read_timeout_s = 10, write_timeout_s = 10, idle_timeout_s = 5;
  int argon2_concurrency = 2;
  int argon2_queue = 16;             // password checks that may wait for a turn; more get 503 (password_hasher.h)
  uint32_t argon2_memory_kib = 19456;
  SessionRules sessions;
  ThrottleRules throttle;
  // Both set: the server speaks https itself (PEM files; cookies become `__Host-` and Secure, and
  // responses carry HSTS). Both empty: plain http, e.g. behind a proxy that ends TLS.
  std::string tls_cert, tls_key;
  // Peers whose X-Forwarded-For is believed (client_address.h); empty: the socket's address is the client's.
  std::vector<std::string> trusted_proxies;
};

// A body streamed from an open file with pread(), never held in memory whole; `keep` owns what keeps
// `fd` open until the last byte is sent.
struct FileBody {
  int fd = -1;
  int64_t size = 0;
  std::string content_type;
  std::shared_ptr<const void> keep;
};

// A body written piece by piece for as long as the connection lasts (GET /events). `next` runs again and
// again on the connection's thread, writes to the sink or not, and returns false to end the stream;
// httplib checks between calls that the peer is still there. `finished` runs once, however it ended.
struct StreamBody {
  std::string content_type;
  std::function<bool(httplib::DataSink&)> next;
  std::function<void()> finished;
};

struct Reply {
  int status = 200;
  nlohmann::json body;  // null with status 204: no body
  std::vector<std::pair<std::string, std::string>> headers;
  std::string json_text;  // when set, sent as the body instead of `body` (already serialized JSON)
  std::string text_type;  // json_text's Content-Type when it is not JSON (GET /metrics)
  std::optional<FileBody> file;  // when set, sent as the body instead of either
  std::optional<StreamBody> stream;  // when set, streamed instead of any of them
};

// What a handler knows about the request.
struct RequestContext {
  const httplib::Request& req;
  Lang lang = Lang::zh;
  std::string ip;
  std::optional<User> user;  // set when the route requires sign-in
  Session session;
  bool via_cookie = false;
  std::optional<KioskToken> kiosk;  // set instead of `user` when a kiosk display asks (Access::signed_in_or_kiosk)

  // Whom reads and writes are scoped to (record_scope.h); without a signed-in user, a viewer who reaches
  // nothing, or for a kiosk display the "kiosk" viewer (its routes keep it to its dashboards).
  Viewer viewer() const {
    if (user) return Viewer{user->id, user->role, user->team_id};
    return Viewer{0, kiosk ? "kiosk" : "", std::nullopt};
  }
};

// Who may call a route: anyone; a signed-in user (session token or cookie); or also a kiosk display's
// token (Authorization: Bearer, or `?kiosk=` where a header cannot be set: EventSource), for the few
// routes a display reads. A kiosk token is unknown (401) everywhere else.
// `admin_or_loopback` (GET /metrics): anyone from this machine, else only an admin's token.
enum class Access { anyone, signed_in, signed_in_or_kiosk, admin_or_loopback };
using Handler = std::function<Result<Reply>(RequestContext&)>;

class App {
 public:
  // `random` backs tokens and salts; the default is the OS CSPRNG.
  static Result<std::unique_ptr<App>> create(ServerConfig config, const Clock& clock = default_clock(),
                                             Random& random = default_random());
  ~App();

  // Registers a handler. `pattern` is a cpp-httplib regex path.
  void route(const std::string& method, const std::string& pattern, Access access, Handler handler);

  // Binds (port 0 picks a free one) without serving yet; returns the port or -1.
  int bind();
  // Starts the scheduled jobs, then serves until stop().
  bool listen_after_bind();
  // Ends serving; safe in a signal handler. The jobs end when the App is destroyed.
  void stop();

  DbPool& db() { return *db_; }
  SyncImageStore& sync_images() { return *sync_images_; }
  ChangeFeed& changes() { return changes_; }
  JobRunner& jobs() { return jobs_; }
  BackupService& backups() { return *backups_; }
  const Clock& clock() const { return clock_; }
  PasswordHasher& hasher() { return *hasher_; }
  LoginThrottle& login_throttle() { return login_throttle_; }
  LoginThrottle& register_throttle() { return register_throttle_; }
  const ServerConfig& config() const { return config_; }
  httplib::Server& http() { return *http_; }
  bool tls() const { return !config_.tls_cert.empty(); }
  // "session", or under TLS "__Host-session": a name only a secure, host-only, Path=/ cookie may carry,
  // so neither plain http nor a sibling subdomain can plant one.
  const char* session_cookie_name() const { return tls() ? "__Host-session" : "session"; }
  // The trusted-device cookie (trusted_devices.h), named by the same rule.
  const char* device_cookie_name() const { return tls() ? "__Host-kehu_device" : "kehu_device"; }
  // A Set-Cookie value for one of those: HttpOnly (no script reads it), SameSite=Strict, Path=/, and
  // Secure under TLS. `max_age_s` 0 with an empty value deletes the cookie.
  std::string cookie(const std::string& name, const std::string& value, int64_t max_age_s) const;
  RequestMetrics& request_metrics() { return request_metrics_; }
  const WorkerPoolGauges& worker_pool() const { return *worker_pool_; }
  // The connection gate in front of the workers; null under TLS (gated_http_server.h).
  const ConnectionGate* gate() const { return gated_ ? &gated_->gate() : nullptr; }

  Random& random() { return random_; }
  static const Clock& default_clock();
  static Random& default_random();

 private:
  App(ServerConfig config, const Clock& clock, Random& random);
  Status configure_http();
  GateLimits gate_limits() const;
  // A whole response refusing a request in the gate, in the request's language (ConnectionGate::Refusal).
  std::string refusal(int status, std::string_view head);
  Result<bool> authenticate(RequestContext& ctx);
  Result<bool> authenticate_kiosk(RequestContext& ctx);

  ServerConfig config_;
  const Clock& clock_;
  Random& random_;  // thread-safe (see core/random.h)
  std::unique_ptr<DbPool> db_;
  std::unique_ptr<SyncImageStore> sync_images_;
  std::unique_ptr<PasswordHasher> hasher_;
  std::unique_ptr<BackupService> backups_;
  LoginThrottle login_throttle_;
  LoginThrottle register_throttle_;
  ChangeFeed changes_;
  RequestMetrics request_metrics_;
  std::shared_ptr<WorkerPoolGauges> worker_pool_ = std::make_shared<WorkerPoolGauges>();
  std::unique_ptr<httplib::Server> http_;  // an httplib::SSLServer under TLS, else gated_
  GatedHttpServer* gated_ = nullptr;
  JobRunner jobs_;  // last: its thread ends before the services its jobs use go
};

// Reply helpers shared by the route files.
Reply json_reply(int status, nlohmann::json body);
Reply error_reply(const Error& error, Lang lang);
// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(const std::string& header, const std::string& name);
// Parses a path id ("/customers/12"): a positive whole number, else a bad_request naming "id".
Result<int64_t> parse_id(const std::string& text);

}  // namespace kehu::server
