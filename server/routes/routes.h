// routes.h — one registration function per resource; main() calls each explicitly (STYLE.md §5).
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "server/app.h"

namespace kehu::server {

void register_auth_routes(App& app);
void register_customer_routes(App& app);
void register_contact_routes(App& app);
void register_sales_routes(App& app);
void register_service_routes(App& app);
void register_marketing_routes(App& app);
void register_workspace_routes(App& app);
void register_settings_routes(App& app);
void register_user_routes(App& app);
void register_audit_routes(App& app);
void register_sync_routes(App& app);
void register_events_routes(App& app);
void register_stats_routes(App& app);
void register_kiosk_routes(App& app);
void register_backup_routes(App& app);
void register_metrics_routes(App& app);

// Checks the sync-side routes (/sync, /sync/image, /events) share, in sync_routes.cpp. A role that syncs
// nothing (kiosk viewers) is told there is nothing here (404), as for any record it may not see.
std::optional<Error> refuse_role_without_sync(const RequestContext& ctx);
// The first query parameter not in `known`, refused with a 400 naming it.
std::optional<Error> refuse_unknown_params(const httplib::Request& req, const std::vector<std::string_view>& known);
// What a route answers to someone it does not exist for (a role without the right, a record they may not
// see): the same 404 as an unknown address, so its existence is not given away.
inline Error nothing_here() { return Error::make(ErrorCode::not_found, {"找不到请求的内容", "nothing was found at this address"}); }
// Query parameter `name` as a whole number in [min, max], `fallback` when absent; a 400 naming it otherwise.
Result<int64_t> int_param(const httplib::Request& req, const std::string& name, int64_t fallback, int64_t min, int64_t max);
void register_health_routes(App& app);
// Last: the static client files answer every other GET outside /api.
void register_static_routes(App& app);

inline void register_all_routes(App& app) {
  register_health_routes(app);
  register_auth_routes(app);
  register_customer_routes(app);
  register_contact_routes(app);
  register_sales_routes(app);
  register_service_routes(app);
  register_marketing_routes(app);
  register_workspace_routes(app);
  register_settings_routes(app);
  register_user_routes(app);
  register_audit_routes(app);
  register_sync_routes(app);
  register_events_routes(app);
  register_stats_routes(app);
  register_kiosk_routes(app);
  register_backup_routes(app);
  register_metrics_routes(app);
  register_static_routes(app);
}

}  // namespace kehu::server
