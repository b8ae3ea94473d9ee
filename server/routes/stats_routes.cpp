// stats_routes.cpp — GET /api/v1/stats/... (SPEC §5 statistics): read-only figures from the aggregates
// core keeps in every write's transaction (core/stats/), scoped to the signed-in user's reach. Periods are
// days in the company time zone: "today" (the default end of a range) is the company's today. A kiosk
// display's token reads, company-wide, the endpoints of the dashboards it was issued (dashboards.h); any
// other answers 404 as for a role without those statistics.
#include <functional>

#include "core/stats/business_stats.h"
#include "core/stats/churn.h"
#include "core/stats/churn_window.h"
#include "core/stats/dashboards.h"
#include "core/stats/sales_stats.h"
#include "core/stats/stats_upkeep.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

// One read-only statistics endpoint: its known parameters and what computes it.
using StatFunction =
    std::function<Result<nlohmann::json>(Database&, const Viewer&, const StatParamMap&, const std::string& today)>;

// `prepare`, when given, runs before the read (a write that keeps derived figures current).
void stat_route(App& app, const std::string& path, std::vector<std::string_view> known, StatFunction compute,
                std::function<Status(App&)> prepare = {}) {
  app.route("GET", "/api/v1/stats/" + path, Access::signed_in_or_kiosk,
            [&app, path, known = std::move(known), compute = std::move(compute),
             prepare = std::move(prepare)](RequestContext& ctx) -> Result<Reply> {
              if (ctx.kiosk && !dashboards_read(ctx.kiosk->dashboards, path)) return no_statistics();
              if (auto refused = refuse_unknown_params(ctx.req, known)) return *refused;
              if (prepare) KEHU_TRY(prepare(app));
              StatParamMap params(ctx.req.params.begin(), ctx.req.params.end());
              auto lease = app.db().read();
              auto today = company_date(lease.db(), app.clock().now_ms());
              if (!today.ok()) return today.take_error();
              auto figures = compute(lease.db(), ctx.viewer(), params, *today);
              if (!figures.ok()) return figures.take_error();
              return json_reply(200, std::move(*figures));
            });
}

// Where the churn list's kept comparison should be: the company's today and the configured length;
// nullopt when it is there already.
Result<std::optional<ChurnWindow>> churn_window_due(App& app, Database& db) {
  auto date = company_date(db, app.clock().now_ms());
  if (!date.ok()) return date.take_error();
  auto configured = configured_churn_days(db);
  if (!configured.ok()) return configured.take_error();
  auto at = churn_window_is_at(db, *configured, *date);
  if (!at.ok()) return at.take_error();
  if (*at) return std::optional<ChurnWindow>();
  return std::optional<ChurnWindow>(ChurnWindow{*configured, *date});
}

// Brings the churn list's kept comparison (churn_window.h) to the company's today and the configured
// length, in a write when it is behind. A scheduled job does it within a tick of midnight (or of
// churn_days changing), so a churn read normally finds it current with one lookup; a read that comes
// first moves it itself. The job and a read may both find it behind: the second looks again under the
// write lock and finds nothing to do.
Status keep_churn_window(App& app) {
  {
    auto lease = app.db().read();
    auto due = churn_window_due(app, lease.db());
    if (!due.ok()) return due.take_error();
    if (!due->has_value()) return ok_status();
  }
  auto lease = app.db().write();
  auto txn = Transaction::begin(lease.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto due = churn_window_due(app, lease.db());
  if (!due.ok()) return due.take_error();
  if (!due->has_value()) return ok_status();
  KEHU_TRY(bring_churn_window_to(lease.db(), (*due)->days, (*due)->as_of));
  return (*txn)->commit();
}

}  // namespace

void register_stats_routes(App& app) {
  stat_route(app, "sales", {"group", "from", "to", "customer_id", "owner_id", "team_id", "product_id"},
             sales_statistics);
  stat_route(app, "sales/by-customer", {"group", "from", "to", "limit", "offset"}, sales_by_customer);
  stat_route(app, "sales/by-team", {"from", "to"}, sales_by_team);
  stat_route(app, "contracts", {"from", "to", "owner_id", "team_id"}, contract_statistics);
  stat_route(app, "funnel", {"from", "to", "owner_id", "team_id"}, funnel_statistics);
  stat_route(app, "forecast", {"from", "to", "owner_id", "team_id"}, forecast_statistics);
  stat_route(app, "campaigns", {"campaign_id"}, campaign_statistics);
  stat_route(app, "tickets", {"from", "to"}, ticket_statistics);
  stat_route(app, "customers", {"from", "to", "owner_id", "team_id"}, customer_statistics);
  stat_route(
      app, "churn", {"days", "limit"},
      [&app](Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
        return churn_list(db, viewer, params, today, app.clock().now_ms());
      },
      keep_churn_window);
  app.jobs().every_tick("churn window", [&app] { return keep_churn_window(app); });
}

}  // namespace kehu::server
