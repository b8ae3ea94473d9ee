// marketing_routes.cpp — campaigns (市场活动) and e-mail records: the shared record routes
// (record_routes.h), and the campaign's members (core/rules/campaign_members.h):
//   GET    /api/v1/campaigns/{id}/members                         -> {items}
//   POST   /api/v1/campaigns/{id}/members {customer_id, contact_id?, status?}   -> 200 the member
//   DELETE /api/v1/campaigns/{id}/members?customer_id=&contact_id=             -> 204
#include "core/rules/campaign_members.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_marketing_routes(App& app) {
  const EntityDef& campaigns = campaigns_def();
  register_record_action(app, campaigns, "GET", "members", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto lease = app.db().read();
    auto members = list_campaign_members(lease.db(), id, ctx.viewer());
    if (!members.ok()) return members.take_error();
    return json_reply(200, {{"items", std::move(*members)}});
  });
  register_record_action(app, campaigns, "POST", "members", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    return write_reply(app, ctx, 200, [&](WriteTxn& txn) { return put_campaign_member(txn, id, *body, ctx.viewer()); });
  });
  register_record_action(app, campaigns, "DELETE", "members", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    std::multimap<std::string, std::string> params(ctx.req.params.begin(), ctx.req.params.end());
    return write_reply(app, ctx, 204, [&](WriteTxn& txn) -> Result<nlohmann::json> {
      KEHU_TRY(remove_campaign_member(txn, id, params, ctx.viewer()));
      return nlohmann::json();
    });
  });
  register_record_routes(app, campaigns);
  register_record_routes(app, emails_def());
}

}  // namespace kehu::server
