// metrics_routes.cpp — GET /metrics (SPEC §5): Prometheus text for monitoring, from this machine or with
// an admin's token. What a monitor alerts on:
//   traffic      kehu_http_requests_total{method,status}, kehu_http_request_duration_seconds (histogram)
//                (metrics/request_metrics.h: every answer, httplib's own errors included)
//   saturation   worker threads busy, connections waiting for one and refused; password checks running,
//                waiting and refused (password_hasher.h); open event streams
//   sign-ins     password checks that succeeded, failed, or were turned away by the throttle, and what
//                the throttle holds locked now (login_throttle.h); the same for registrations
//   data         the database's rev and size, backups' successes, failures and last success
#include <filesystem>

#include "core/store/write_txn.h"
#include "server/metrics/prometheus_text.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

void write_throttle(PrometheusText& out, const std::string& name, const std::string& what, LoginThrottle::Tally tally) {
  out.family(name + "_total", what + " by outcome: succeeded, failed (wrong password), throttled (turned away before checking).",
             "counter");
  out.sample(name + "_total", static_cast<double>(tally.succeeded), {{"result", "succeeded"}});
  out.sample(name + "_total", static_cast<double>(tally.failed), {{"result", "failed"}});
  out.sample(name + "_total", static_cast<double>(tally.refused), {{"result", "throttled"}});
  out.single(name + "_locks", "Accounts, addresses and devices locked out of " + what + " now.", "gauge", static_cast<double>(tally.locked));
}

}  // namespace

void register_metrics_routes(App& app) {
  app.route("GET", "/metrics", Access::admin_or_loopback, [&app](RequestContext&) -> Result<Reply> {
    int64_t rev = 0;
    {
      auto lease = app.db().read();
      auto committed = committed_rev(lease.db());
      if (!committed.ok()) return committed.take_error();
      rev = *committed;
    }
    std::error_code ec;
    auto bytes = std::filesystem::file_size(app.db().path(), ec);
    const int64_t now = app.clock().now_ms();

    PrometheusText out;
    app.request_metrics().write(out);
    app.worker_pool().write(out);
    if (const ConnectionGate* gate = app.gate()) gate->write_metrics(out);
    auto hashing = app.hasher().load();
    out.single("kehu_password_checks_running", "Password hashes being computed now (at most argon2_concurrency).", "gauge", hashing.running);
    out.single("kehu_password_checks_waiting", "Password hashes waiting for their turn.", "gauge", hashing.waiting);
    out.single("kehu_password_checks_refused_total", "Password hashes refused because too many were waiting (503).", "counter",
               static_cast<double>(hashing.refused));
    write_throttle(out, "kehu_logins", "sign-ins and password confirmations", app.login_throttle().tally(now));
    write_throttle(out, "kehu_registrations", "self-registrations", app.register_throttle().tally(now));
    out.single("kehu_event_streams_open", "Open GET /events streams.", "gauge", app.changes().open_streams());
    out.single("kehu_database_rev", "The rev of the last committed write.", "counter", static_cast<double>(rev));
    out.single("kehu_database_bytes", "Size of the database file (without its write-ahead log).", "gauge", ec ? 0.0 : static_cast<double>(bytes));
    app.backups().write_metrics(out);

    Reply reply;
    reply.json_text = out.text();
    reply.text_type = "text/plain; version=0.0.4; charset=utf-8";
    return reply;
  });
}

}  // namespace kehu::server
