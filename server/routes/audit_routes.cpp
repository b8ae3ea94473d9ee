// audit_routes.cpp — GET /api/v1/audit?entity=&entity_id=&user_id=&action=&from=&to=&limit=&cursor=
// (admin) -> {items, next_cursor}, newest first (core/audit/audit_query.h). There is no route that writes,
// changes or deletes audit rows; the table's triggers refuse it even from inside the server.
#include "core/audit/audit_query.h"
#include "core/users/role_rights.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_audit_routes(App& app) {
  app.route("GET", "/api/v1/audit", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (!role_may(ctx.user->role, "audit", Action::read))
      return nothing_here();
    std::multimap<std::string, std::string> params(ctx.req.params.begin(), ctx.req.params.end());
    auto lease = app.db().read();
    auto page = read_audit(lease.db(), params);
    if (!page.ok()) return page.take_error();
    return json_reply(200, {{"items", std::move(page->items)},
                            {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page->next_cursor)}});
  });
}

}  // namespace kehu::server
