// kiosk_routes.cpp — kiosk tokens (SPEC §5): an admin issues, lists and revokes the tokens of office
// displays; a display asks what it was issued.
//   POST   /api/v1/admin/kiosk-tokens       (admin) {name, dashboards} → 201 {token, ...the listed row}
//   GET    /api/v1/admin/kiosk-tokens       (admin) {items: [{id, name, dashboards, created_at, created_by,
//                                                             last_seen_at, revoked_at}]}, newest first
//   DELETE /api/v1/admin/kiosk-tokens/{id}  (admin) 204; the display's screen stops within seconds
//   GET    /api/v1/kiosk                    (kiosk token) {name, dashboards, company, option_lists (the labels
//                                             of stages and statuses the dashboards name)}
// The token is in the issue answer only: it is not stored, so it cannot be shown again (issue a new one).
// The issue does not honour Idempotency-Key, whose stored replies would keep the token.
#include "core/settings/settings.h"
#include "core/users/kiosk_token_input.h"
#include "server/http/json_body.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_kiosk_routes(App& app) {
  app.route("POST", "/api/v1/admin/kiosk-tokens", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    auto input = validate_kiosk_token_input(*body);
    if (!input.ok()) return input.take_error();
    auto lease = app.db().write();
    auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
    if (!txn.ok()) return txn.take_error();
    auto issued = issue_kiosk_token(**txn, app.random(), *input);
    if (!issued.ok()) return issued.take_error();
    KEHU_TRY((*txn)->commit());
    nlohmann::json out = kiosk_token_json(issued->second);
    out["token"] = issued->first;
    return json_reply(201, std::move(out));
  });
  app.route("GET", "/api/v1/admin/kiosk-tokens", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    if (auto refused = refuse_unknown_params(ctx.req, {})) return *refused;
    auto lease = app.db().read();
    auto tokens = list_kiosk_tokens(lease.db());
    if (!tokens.ok()) return tokens.take_error();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : *tokens) items.push_back(kiosk_token_json(t));
    return json_reply(200, {{"items", std::move(items)}});
  });
  app.route("DELETE", R"(/api/v1/admin/kiosk-tokens/([^/]+))", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto id = parse_id(ctx.req.matches[1]);
    if (!id.ok()) return id.take_error();
    auto lease = app.db().write();
    auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
    if (!txn.ok()) return txn.take_error();
    auto revoked = revoke_kiosk_token(**txn, *id);
    if (!revoked.ok()) return revoked.take_error();
    if (!*revoked) return nothing_here();
    KEHU_TRY((*txn)->commit());
    return Reply{204, nullptr, {}};
  });
  app.route("GET", "/api/v1/kiosk", Access::signed_in_or_kiosk, [&app](RequestContext& ctx) -> Result<Reply> {
    if (!ctx.kiosk) return nothing_here();  // a signed-in user is not a display
    if (auto refused = refuse_unknown_params(ctx.req, {})) return *refused;
    auto lease = app.db().read();
    auto settings = read_settings(lease.db());
    if (!settings.ok()) return settings.take_error();
    return json_reply(200, {{"name", ctx.kiosk->name},
                            {"dashboards", ctx.kiosk->dashboards},
                            {"company", settings->value("company", nlohmann::json::object())},
                            {"option_lists", settings->value("option_lists", nlohmann::json::object())}});
  });
}

}  // namespace kehu::server
