// health_routes.cpp — GET /healthz (no sign-in): 200 when the database answers, 503 when it does not.
#include "core/schema/migrations.h"
#include "server/routes/routes.h"
#include "server/version.h"

namespace kehu::server {

void register_health_routes(App& app) {
  app.route("GET", "/healthz", Access::anyone, [&app](RequestContext&) -> Result<Reply> {
    auto lease = app.db().read();
    auto version = schema_version(lease.db());
    if (!version.ok()) return json_reply(503, {{"status", "unavailable"}});
    return json_reply(200, {{"status", "ok"}, {"version", kKehuVersion}, {"schema", *version}});
  });
}

}  // namespace kehu::server
