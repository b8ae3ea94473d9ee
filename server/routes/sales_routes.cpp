// sales_routes.cpp — products (产品), opportunities (商机), contracts (合同) and orders (订单): the shared
// record routes (record_routes.h), and
//   POST /api/v1/contracts/{id}/transition {to, reason?}   the contract state machine (core/rules/workflows.h)
// Stock, totals and codes are kept by the record rules (core/rules/record_rules.h).
#include "core/rules/workflows.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_sales_routes(App& app) {
  register_record_action(app, contracts_def(), "POST", "transition", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    return write_reply(app, ctx, 200, [&](WriteTxn& txn) { return transition_contract(txn, id, *body, ctx.viewer()); });
  });
  for (const EntityDef* e : {&products_def(), &opportunities_def(), &contracts_def(), &orders_def()}) register_record_routes(app, *e);
}

}  // namespace kehu::server
