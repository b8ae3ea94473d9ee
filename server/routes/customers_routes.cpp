// customers_routes.cpp — /api/v1/customers (客户): the shared record routes over customers_def(), and
//   POST /api/v1/customers/{id}/claim   take a pool customer (公海) as its owner -> 200 the customer;
//                                       409 conflict when someone claimed it first
//   GET  /api/v1/customers/{id}/timeline?limit=&cursor=   activities, e-mails, tickets, orders and
//                                       contracts of the customer, newest first -> {items, next_cursor}
//   POST /api/v1/customers/merge {keep_id, merge_id}   every related record moves to keep_id, merge_id
//                                       is deleted -> 200 the kept customer (managers and admins)
// The customer rules (code numbering, duplicate guard) live in core/entity/customer_rules.h, scoping in
// core/users/record_scope.h.
#include "core/entity/validation.h"
#include "core/query/customer_timeline.h"
#include "core/store/record_store.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

Result<Reply> merge(App& app, RequestContext& ctx) {
  if (!role_may(ctx.user->role, "customers", Action::read))
    return nothing_here();
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  std::map<std::string, Text> bad;
  for (const char* name : {"keep_id", "merge_id"}) {
    auto it = body->find(name);
    if (it == body->end() || !it->is_number_integer() || it->get<int64_t>() <= 0) bad[name] = {"应为客户编号（正整数）", "must be a customer id (a positive whole number)"};
  }
  for (const auto& [key, value] : body->items())
    if (key != "keep_id" && key != "merge_id") bad[key] = {"未知字段", "unknown field"};
  if (!bad.empty()) return validation_error(bad);
  return write_reply(app, ctx, 200, [&](WriteTxn& txn) {
    return merge_customers(txn, (*body)["keep_id"].get<int64_t>(), (*body)["merge_id"].get<int64_t>(), ctx.viewer());
  });
}

}  // namespace

void register_customer_routes(App& app) {
  app.route("POST", "/api/v1/customers/merge", Access::signed_in, [&app](RequestContext& ctx) { return merge(app, ctx); });
  register_record_action(app, customers_def(), "POST", "claim", [&app](RequestContext& ctx, int64_t id) {
    return write_reply(app, ctx, 200, [&](WriteTxn& txn) { return claim_customer(txn, id, ctx.viewer()); });
  });
  register_record_action(app, customers_def(), "GET", "timeline", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    std::multimap<std::string, std::string> params(ctx.req.params.begin(), ctx.req.params.end());
    auto lease = app.db().read();
    auto page = read_customer_timeline(lease.db(), id, ctx.viewer(), params);
    if (!page.ok()) return page.take_error();
    return json_reply(200, {{"items", std::move(page->items)},
                            {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page->next_cursor)}});
  });
  register_record_routes(app, customers_def());
}

}  // namespace kehu::server
