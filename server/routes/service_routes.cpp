// service_routes.cpp — activities (联系活动) and tickets (工单): the shared record routes
// (record_routes.h), and
//   POST /api/v1/tickets/{id}/transition {to, note?, assignee_id?, resolution?}   the ticket state machine
//   GET  /api/v1/tickets/{id}/notes     the progress log (处理进度), oldest first -> {items}
//   POST /api/v1/tickets/{id}/notes {text}   adds a progress note -> 201 the note
// (core/rules/workflows.h).
#include "core/rules/workflows.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_service_routes(App& app) {
  const EntityDef& tickets = tickets_def();
  register_record_action(app, tickets, "POST", "transition", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    return write_reply(app, ctx, 200, [&](WriteTxn& txn) { return transition_ticket(txn, id, *body, ctx.viewer()); });
  });
  register_record_action(app, tickets, "POST", "notes", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    return write_reply(app, ctx, 201, [&](WriteTxn& txn) { return add_ticket_note(txn, id, *body, ctx.viewer()); });
  });
  register_record_action(app, tickets, "GET", "notes", [&app](RequestContext& ctx, int64_t id) -> Result<Reply> {
    auto lease = app.db().read();
    auto notes = list_ticket_notes(lease.db(), id, ctx.viewer());
    if (!notes.ok()) return notes.take_error();
    return json_reply(200, {{"items", std::move(*notes)}});
  });
  register_record_routes(app, activities_def());
  register_record_routes(app, tickets);
}

}  // namespace kehu::server
