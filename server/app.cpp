#include "server/app.h"

#include <unistd.h>

#include <algorithm>

#include "core/store/write_txn.h"
#include "server/auth/crypto.h"
#include "server/http/client_address.h"
#include "server/http/gated_http_server.h"
#include "server/http/http_errors.h"
#include "server/http/security_headers.h"
#include "server/time_zone_db.h"

namespace kehu::server {

using nlohmann::json;

namespace {

void write_reply(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_header("Cache-Control", "no-store");
  if (reply.stream) {
    StreamBody stream = *reply.stream;
    ConnectionGate::serving_a_stream();  // long and quiet by design: neither one of its address's workers nor rate-bound
    res.set_chunked_content_provider(
        stream.content_type, [next = stream.next](size_t, httplib::DataSink& sink) { return next(sink); },
        [finished = stream.finished](bool) {
          if (finished) finished();
        });
  } else if (reply.file) {
    FileBody file = *reply.file;
    res.set_content_provider(static_cast<size_t>(file.size), file.content_type,
                             [file](size_t offset, size_t length, httplib::DataSink& sink) {
                               char buffer[128 * 1024];
                               ssize_t n = ::pread(file.fd, buffer, std::min(length, sizeof buffer), static_cast<off_t>(offset));
                               return n > 0 && sink.write(buffer, static_cast<size_t>(n));
                             });
  } else if (!reply.json_text.empty())
    res.set_content(reply.json_text, reply.text_type.empty() ? "application/json; charset=utf-8" : reply.text_type.c_str());
  else if (reply.status != 204 && !reply.body.is_null())
    res.set_content(reply.body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

bool is_write(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

std::string cookie_value(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos && part.compare(start, name.size() + 1, name + "=") == 0)
      return part.substr(start + name.size() + 1);
    pos = end + 1;
  }
  return "";
}

Reply json_reply(int status, json body) { return Reply{status, std::move(body), {}}; }

Reply error_reply(const Error& error, Lang lang) { return Reply{http_status(error.code), error_json(error, lang), {}}; }

std::string App::cookie(const std::string& name, const std::string& value, int64_t max_age_s) const {
  return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls() ? "; Secure" : "") + "; Max-Age=" + std::to_string(max_age_s);
}

Result<int64_t> parse_id(const std::string& text) {
  bool ok = !text.empty() && text.size() <= 15 && text[0] != '0';
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    Error e = Error::make(ErrorCode::bad_request, {"编号应为正整数", "the id must be a positive whole number"});
    e.fields["id"] = {"应为正整数", "must be a positive whole number"};
    return e;
  }
  return std::stoll(text);
}

const Clock& App::default_clock() {
  static SystemClock clock;
  return clock;
}

Random& App::default_random() {
  static server::OsRandom random;
  return random;
}

App::App(ServerConfig config, const Clock& clock, Random& random)
    : config_(std::move(config)), clock_(clock), random_(random), login_throttle_(config_.throttle),
      register_throttle_(ThrottleRules{.account_failures = 1 << 30, .address_failures = 10}),
      changes_(config_.event_streams), jobs_(std::chrono::milliseconds(config_.job_tick_ms)) {}

App::~App() {
  stop();
  jobs_.stop();
}

Result<std::unique_ptr<App>> App::create(ServerConfig config, const Clock& clock, Random& random) {
  install_time_zones(&system_time_zones());  // before the database: a migration may count statistics
  std::unique_ptr<App> app(new App(std::move(config), clock, random));
  auto pool = DbPool::open(app->config_.db_path, app->config_.readers);
  if (!pool.ok()) return pool.take_error();
  app->db_ = std::move(pool.value());
  {
    auto lease = app->db_->read();
    auto rev = committed_rev(lease.db());
    if (!rev.ok()) return rev.take_error();
    app->changes_.publish(*rev);
  }
  app->db_->set_after_write([feed = &app->changes_](Database& db) {
    auto rev = committed_rev(db);
    if (rev.ok()) feed->publish(*rev);  // a failed read only delays the news to the next write
  });
  app->sync_images_ = std::make_unique<SyncImageStore>(app->config_.db_path);
  app->backups_ = std::make_unique<BackupService>(*app->db_, clock, random);
  app->hasher_ = std::make_unique<PasswordHasher>(random, app->config_.argon2_concurrency, app->config_.argon2_memory_kib, 2,
                                                  app->config_.argon2_queue);
  KEHU_TRY(app->configure_http());
  return app;
}

Status App::configure_http() {
  if (config_.tls_cert.empty() != config_.tls_key.empty())
    return Error::make(ErrorCode::bad_request, {"--tls-cert 与 --tls-key 须同时给出", "--tls-cert and --tls-key go together"});
  if (tls()) {
    auto server = std::make_unique<httplib::SSLServer>(config_.tls_cert.c_str(), config_.tls_key.c_str());
    if (!server->is_valid())
      return Error::make(ErrorCode::bad_request, {"无法读取 TLS 证书或私钥（" + config_.tls_cert + "，" + config_.tls_key + "），或二者不匹配",
                                                  "cannot read the TLS certificate or key (" + config_.tls_cert + ", " + config_.tls_key +
                                                      "), or they do not match"});
    http_ = std::move(server);
    // The same pool as the gate's, a thread per connection (gated_http_server.h).
    const GateLimits pool = gate_limits();
    const int workers = pool.workers, queued = pool.max_queued;
    http_->new_task_queue = [workers, queued, gauges = worker_pool_] {
      return new CountedThreadPool(static_cast<size_t>(workers), static_cast<size_t>(queued), gauges);
    };
  } else {
    auto server = std::make_unique<GatedHttpServer>(gate_limits(), worker_pool_,
                                                    [this](int status, std::string_view head) { return refusal(status, head); });
    gated_ = server.get();
    http_ = std::move(server);
  }
  httplib::Headers defaults;
  for (auto& [name, value] : security_headers(tls())) defaults.emplace(name, value);
  http_->set_default_headers(std::move(defaults));
  // Every answer is counted for GET /metrics, httplib's own errors included (request_metrics.h).
  http_->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    RequestMetrics::mark_start();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    request_metrics_.finished(req.method, res.status, res.get_header_value("Content-Type") == "text/event-stream");
  });
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which would let a second crm-server
  // bind a port that is already serving and silently share its connections.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  // Headers and body go out as two writes; with Nagle's algorithm on, the body waits ~40 ms for the
  // client's delayed ACK of the headers on every keep-alive response.
  http_->set_tcp_nodelay(true);
  http_->set_payload_max_length(config_.max_body_bytes);
  http_->set_read_timeout(config_.read_timeout_s, 0);
  http_->set_write_timeout(config_.write_timeout_s, 0);
  http_->set_idle_interval(0, 0);
  http_->set_keep_alive_timeout(config_.idle_timeout_s);
  http_->set_keep_alive_max_count(1000);
  // Errors httplib produces itself (413 before the body is read, 400 for a malformed request line,
  // 404 for an unknown method/path) get the same JSON body as ours.
  http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Lang lang = parse_accept_language(req.get_header_value("Accept-Language"));
    res.set_content(error_json(error_for_status(res.status), lang).dump(), "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  });
  http_->set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    Lang lang = parse_accept_language(req.get_header_value("Accept-Language"));
    res.status = 500;
    res.set_content(error_json(error_for_status(500), lang).dump(), "application/json; charset=utf-8");
  });
  return ok_status();
}

GateLimits App::gate_limits() const {
  GateLimits limits;
  // The /events streams' threads come on top of the API's: however many streams are open (at most
  // event_streams, ChangeFeed::enter), `workers` threads remain for everything else.
  limits.workers = config_.workers + config_.event_streams;
  limits.max_queued = config_.max_queued;
  limits.workers_per_address = config_.workers_per_address;
  limits.connections_per_address = config_.connections_per_address;
  limits.max_connections = config_.max_connections;
  limits.address_wait_ms = config_.address_wait_s * 1000;
  limits.request_ms = config_.read_timeout_s * 1000;
  limits.idle_ms = config_.idle_timeout_s * 1000;
  limits.framing.max_body = config_.max_body_bytes;
  // Everyone behind a trusted proxy shares its address: the proxy deals with slow clients itself.
  for (const auto& proxy : config_.trusted_proxies) limits.exempt_addresses.push_back(client_address(proxy, "", {}));
  return limits;
}

std::string App::refusal(int status, std::string_view head) {
  // Accept-Language, if the head got that far; the method for the request counts.
  std::string language;
  std::string lower(head.substr(0, std::min<size_t>(head.size(), 16 * 1024)));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (size_t at = lower.find("\naccept-language:"); at != std::string::npos) {
    size_t start = at + 17, end = lower.find_first_of("\r\n", start);
    language = std::string(head.substr(start, (end == std::string::npos ? lower.size() : end) - start));
  }
  std::string method(head.substr(0, std::min(head.find(' '), head.size())));
  request_metrics_.finished(method, status, false);
  std::string body = error_json(error_for_status(status), parse_accept_language(language)).dump();
  std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + httplib::status_message(status) + "\r\n";
  for (auto& [name, value] : security_headers(tls())) answer += name + ": " + value + "\r\n";
  if (status == 503) answer += "Retry-After: 2\r\n";
  answer += "Content-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n" + body;
  return answer;
}

Result<bool> App::authenticate(RequestContext& ctx) {
  std::string token;
  std::string auth = ctx.req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    token = auth.substr(7);
  } else {
    token = cookie_value(ctx.req.get_header_value("Cookie"), session_cookie_name());
    ctx.via_cookie = !token.empty();
  }
  if (token.empty()) return false;
  int64_t now = clock_.now_ms();
  std::optional<Session> session;
  std::optional<User> user;
  {
    auto lease = db_->read();
    auto found = find_session(lease.db(), token, now, config_.sessions);
    if (!found.ok()) return found.take_error();
    if (!found->has_value()) return false;
    session = **found;
    auto u = find_user(lease.db(), session->user_id);
    if (!u.ok()) return u.take_error();
    if (!u->has_value() || !(*u)->active) return false;
    user = **u;
  }
  if (now - session->last_seen_ms > 60 * 1000) {
    auto lease = db_->write();
    KEHU_TRY(touch_session(lease.db(), session->id, now));
  }
  ctx.session = *session;
  ctx.user = std::move(user);
  return true;
}

Result<bool> App::authenticate_kiosk(RequestContext& ctx) {
  std::string auth = ctx.req.get_header_value("Authorization");
  std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : ctx.req.get_param_value("kiosk");
  if (token.empty()) return false;
  std::optional<KioskToken> kiosk;
  {
    auto lease = db_->read();
    auto found = find_kiosk_token(lease.db(), token);
    if (!found.ok()) return found.take_error();
    if (!found->has_value()) return false;
    kiosk = std::move(**found);
  }
  const int64_t now = clock_.now_ms();
  if (!kiosk->last_seen_ms || now - *kiosk->last_seen_ms >= 60 * 1000) {
    auto lease = db_->write();
    KEHU_TRY(touch_kiosk_token(lease.db(), kiosk->id, now));
  }
  ctx.kiosk = std::move(kiosk);
  return true;
}

void App::route(const std::string& method, const std::string& pattern, Access access, Handler handler) {
  auto wrapped = [this, method, access, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    GatedHttpServer::note_handled();
    RequestContext ctx{req};
    ctx.lang = parse_accept_language(req.get_header_value("Accept-Language"));
    // The whole header value: get_header_value() goes through a C string and would cut it at a NUL,
    // which client_address() must see to refuse the entry.
    auto forwarded = req.headers.find("X-Forwarded-For");
    ctx.ip = client_address(req.remote_addr, forwarded == req.headers.end() ? "" : forwarded->second, config_.trusted_proxies);
    if (is_write(method) && db_->swapping()) {
      // A restore is swapping the database file: this write would be lost with the old one.
      Reply busy = error_reply(Error::make(ErrorCode::busy, {"正在恢复数据，请几秒后再试", "a restore is in progress; try again in a few seconds"}), ctx.lang);
      busy.headers.emplace_back("Retry-After", "5");
      return write_reply(res, busy);
    }
    // This machine, and not a proxy on it passing on someone else's request.
    const bool loopback = is_loopback_address(req.remote_addr) && !req.has_header("X-Forwarded-For") && !req.has_header("Forwarded");
    if (access != Access::anyone && !(access == Access::admin_or_loopback && loopback)) {
      auto authed = authenticate(ctx);
      if (authed.ok() && !authed.value() && access == Access::signed_in_or_kiosk) authed = authenticate_kiosk(ctx);
      if (!authed.ok()) return write_reply(res, error_reply(authed.error(), ctx.lang));
      if (!authed.value()) {
        return write_reply(res, error_reply(Error::make(ErrorCode::unauthorized, {"请先登录，或登录已过期", "please sign in; your session may have expired"}), ctx.lang));
      }
      if (ctx.via_cookie && is_write(method) && req.get_header_value("X-Requested-With") != "kehu") {
        return write_reply(res, error_reply(Error::make(ErrorCode::forbidden, {"请求缺少 X-Requested-With: kehu 头（防跨站请求伪造）",
                                                                             "the request lacks the X-Requested-With: kehu header (cross-site request guard)"}),
                                            ctx.lang));
      }
    }
    if (access == Access::admin_or_loopback && !loopback && (!ctx.user || ctx.user->role != "admin"))
      return write_reply(res, error_reply(Error::make(ErrorCode::not_found, {"找不到请求的内容", "nothing was found at this address"}), ctx.lang));
    auto reply = handler(ctx);
    if (reply.ok()) return write_reply(res, reply.value());  // by reference: a list page is not copied
    Reply failed = error_reply(reply.error(), ctx.lang);
    if (reply.error().code == ErrorCode::busy) failed.headers.emplace_back("Retry-After", "2");
    write_reply(res, failed);
  };
  if (method == "GET") http_->Get(pattern, wrapped);
  else if (method == "POST") http_->Post(pattern, wrapped);
  else if (method == "PATCH") http_->Patch(pattern, wrapped);
  else if (method == "PUT") http_->Put(pattern, wrapped);
  else if (method == "DELETE") http_->Delete(pattern, wrapped);
}

int App::bind() {
  if (config_.port == 0) return http_->bind_to_any_port(config_.host);
  return http_->bind_to_port(config_.host, config_.port) ? config_.port : -1;
}

bool App::listen_after_bind() {
  jobs_.start();
  return http_->listen_after_bind();
}

void App::stop() {
  changes_.close();
  if (http_ && http_->is_running()) http_->stop();
}

}  // namespace kehu::server
