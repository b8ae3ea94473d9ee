// metrics_routes.cpp — GET /metrics (SPEC §5): Prometheus text for monitoring, from this machine or with
// an admin's token. The database's rev and size, and the backups' successes, failures and last success
// (backup_service.h), so a monitor alerts when backups stop.
#include <filesystem>

#include "core/store/write_txn.h"
#include "server/routes/routes.h"

namespace kehu::server {

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
    std::string text = "# HELP kehu_database_rev The rev of the last committed write.\n# TYPE kehu_database_rev counter\n"
                       "kehu_database_rev " + std::to_string(rev) + "\n"
                       "# HELP kehu_database_bytes Size of the database file (without its write-ahead log).\n"
                       "# TYPE kehu_database_bytes gauge\nkehu_database_bytes " + std::to_string(ec ? 0 : bytes) + "\n" +
                       app.backups().metrics();
    Reply reply;
    reply.json_text = std::move(text);
    reply.text_type = "text/plain; version=0.0.4; charset=utf-8";
    return reply;
  });
}

}  // namespace kehu::server
