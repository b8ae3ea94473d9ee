// stats_routes.cpp — GET /api/v1/stats/... (SPEC §5 statistics): read-only figures from the aggregates
// core keeps in every write's transaction (core/stats/), scoped to the signed-in user's reach. Periods are
// days in the company time zone: "today" (the default end of a range) is the company's today.
#include "core/stats/sales_stats.h"
#include "core/stats/stats_upkeep.h"
#include "core/time_zone.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

// Today in the company's time zone (UTC when the zone is unknown to this machine's tz database).
Result<std::string> company_today(Database& db, const Clock& clock) {
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  if (auto today = local_date(*zone, clock.now_ms())) return *today;
  return format_rfc3339_ms(clock.now_ms()).substr(0, 10);
}

}  // namespace

void register_stats_routes(App& app) {
  app.route("GET", "/api/v1/stats/sales", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (auto refused = refuse_unknown_params(ctx.req, {"group", "from", "to", "customer_id", "owner_id", "team_id", "product_id"}))
      return *refused;
    std::multimap<std::string, std::string> params(ctx.req.params.begin(), ctx.req.params.end());
    auto lease = app.db().read();
    auto today = company_today(lease.db(), app.clock());
    if (!today.ok()) return today.take_error();
    auto figures = sales_statistics(lease.db(), ctx.viewer(), params, *today);
    if (!figures.ok()) return figures.take_error();
    return json_reply(200, std::move(*figures));
  });
}

}  // namespace kehu::server
