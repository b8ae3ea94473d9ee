// users_routes.cpp — people and teams (SPEC §4, §5):
//   /api/v1/users   (admin) the shared record routes over users_def(), except
//   POST /api/v1/users {username, display_name, email?, role, team_id?, active?, password} -> 201 the user
//                   (the password is hashed here and never returned); DELETE is refused: deactivate instead
//   /api/v1/teams   the shared record routes over teams_def() (admin writes; every staff role reads)
//   GET /api/v1/directory -> {items: [{id, display_name, role, team_id, active}]} for owner and assignee
//                   pickers, for every staff role
// Approving a self-registered account is PATCH /users/{id} {active: true, role}. A change of role or team
// makes that user's next sync start over (user_store.h: note_user_scope_change).
#include <set>

#include "core/entity/validation.h"
#include "core/store/record_store.h"
#include "core/users/role_rights.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

using nlohmann::json;

namespace {

Result<Reply> create_user_route(App& app, RequestContext& ctx) {
  if (!role_may(ctx.user->role, "users", Action::read)) return nothing_here();
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  std::map<std::string, Text> bad;
  auto text = [&](const char* name, bool required) -> std::string {
    auto it = body->find(name);
    if (it == body->end() || it->is_null()) {
      if (required) bad[name] = {"不能为空", "is required"};
      return "";
    }
    if (!it->is_string()) {
      bad[name] = {"应为文本", "must be text"};
      return "";
    }
    return it->get<std::string>();
  };
  NewUser user{text("username", true), text("display_name", true), text("email", false), text("role", true)};
  std::string password = text("password", true);
  if (auto active = body->find("active"); active != body->end()) {
    if (active->is_boolean()) user.active = active->get<bool>();
    else bad["active"] = {"应为 true 或 false", "must be true or false"};
  }
  if (auto team = body->find("team_id"); team != body->end() && !team->is_null()) {
    if (team->is_number_integer()) user.team_id = team->get<int64_t>();
    else bad["team_id"] = {"应为部门编号", "must be a team id"};
  }
  for (const auto& [key, value] : body->items()) {
    static const std::set<std::string> kKnown = {"username", "display_name", "email", "role", "password", "active", "team_id"};
    if (!kKnown.count(key)) bad[key] = {"未知字段", "unknown field"};
  }
  if (!password.empty()) {
    if (auto problem = check_password_policy(password)) bad["password"] = *problem;
  }
  if (!bad.empty()) {
    bad.merge(check_new_user(user));  // every bad field named at once, not one round at a time
    return validation_error(bad);
  }
  auto hash = app.hasher().hash(password);
  if (!hash.ok()) return hash.take_error();
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  auto created = create_user(**txn, user, *hash);
  if (!created.ok()) return created.take_error();
  KEHU_TRY((*txn)->commit());
  auto stored = get_record(lease.db(), users_def(), created->id);
  if (!stored.ok()) return stored.take_error();
  Reply reply = json_reply(201, *stored);
  reply.headers.push_back({"Location", "/api/v1/users/" + std::to_string(created->id)});
  return reply;
}

Result<Reply> directory(App& app, RequestContext& ctx) {
  if (ctx.user->role == "viewer") return nothing_here();
  auto lease = app.db().read();
  auto st = lease.db().prepare("SELECT id, display_name, role, team_id, active FROM users ORDER BY id");
  if (!st.ok()) return st.take_error();
  json items = json::array();
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    const Statement& r = **st;
    items.push_back({{"id", r.column_int(0)},
                     {"display_name", std::string(r.column_text(1))},
                     {"role", std::string(r.column_text(2))},
                     {"team_id", r.column_type(3) == ColumnType::null ? json(nullptr) : json(r.column_int(3))},
                     {"active", r.column_int(4) != 0}});
  }
  return json_reply(200, {{"items", std::move(items)}});
}

}  // namespace

void register_user_routes(App& app) {
  app.route("POST", "/api/v1/users", Access::signed_in, [&app](RequestContext& ctx) { return create_user_route(app, ctx); });
  register_record_routes(app, users_def());
  register_record_routes(app, teams_def());
  app.route("GET", "/api/v1/directory", Access::signed_in, [&app](RequestContext& ctx) { return directory(app, ctx); });
}

}  // namespace kehu::server
