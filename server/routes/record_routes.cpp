#include "server/routes/record_routes.h"

#include "core/entity/validation.h"
#include "core/query/list_query.h"
#include "core/settings/settings.h"
#include "core/store/record_store.h"
#include "core/users/role_rights.h"
#include "server/http/json_body.h"
#include "server/idempotency.h"

namespace kehu::server {

using nlohmann::json;

namespace {

Error not_found(const EntityDef& e) {
  return Error::make(ErrorCode::not_found, {"找不到该" + e.label.zh, "no such " + e.label.en});
}
Error forbidden(const EntityDef& e, Text what) {
  return Error::make(ErrorCode::forbidden, {"你的角色不能" + what.zh + e.label.zh, "your role may not " + what.en + " " + e.label.en + " records"});
}

// Read right first: without it the resource does not exist for this user. Without the right to change
// it, a record they cannot see still answers 404 (`id`, when given, is looked up first): 403 only ever
// says something about a record the user can see.
Status check_right(App& app, const RequestContext& ctx, const EntityDef& e, Action action, std::optional<int64_t> id = std::nullopt) {
  if (!role_may(ctx.user->role, e.name, Action::read)) return not_found(e);
  if (action == Action::read || role_may(ctx.user->role, e.name, action)) return ok_status();
  if (id) {
    auto lease = app.db().read();
    auto visible = get_visible_record(lease.db(), e, *id, ctx.viewer());
    if (!visible.ok()) return visible.take_error();
  }
  switch (action) {
    case Action::create: return forbidden(e, {"新建", "create"});
    case Action::update: return forbidden(e, {"修改", "change"});
    default: return forbidden(e, {"删除", "delete"});
  }
}

// Takes `force` out of a write body; only roles that may override may set it.
Result<bool> take_force(const RequestContext& ctx, json& body) {
  auto it = body.find("force");
  if (it == body.end()) return false;
  if (!it->is_boolean()) {
    return validation_error({{"force", {"应为 true 或 false", "must be true or false"}}});
  }
  bool force = it->get<bool>();
  body.erase(it);
  if (force && !role_may_override(ctx.user->role))
    return Error::make(ErrorCode::forbidden, {"只有经理或管理员可以强制保存重复客户", "only a manager or administrator may override the duplicate check"});
  return force;
}

Result<Reply> list(App& app, const EntityDef& e, RequestContext& ctx) {
  KEHU_TRY(check_right(app, ctx, e, Action::read));
  std::multimap<std::string, std::string> params(ctx.req.params.begin(), ctx.req.params.end());
  auto lease = app.db().read();
  auto settings = read_settings(lease.db());  // option lists the admin extended can be filtered by
  if (!settings.ok()) return settings.take_error();
  const auto choices = filter_choices(*settings, e);
  auto query = parse_list_query(e, params, ctx.viewer(), &choices);
  if (!query.ok()) return query.take_error();
  auto body = run_list_query_json(lease.db(), e, *query);
  if (!body.ok()) return body.take_error();
  Reply reply{200, nullptr, {}};
  reply.json_text = std::move(body).value();
  return reply;
}

Result<Reply> get_one(App& app, const EntityDef& e, RequestContext& ctx) {
  KEHU_TRY(check_right(app, ctx, e, Action::read));
  auto id = parse_id(ctx.req.matches[1]);
  if (!id.ok()) return id.take_error();
  auto lease = app.db().read();
  auto record = get_visible_record(lease.db(), e, *id, ctx.viewer());
  if (!record.ok()) return record.take_error();
  return json_reply(200, *record);
}

Result<Reply> create(App& app, const EntityDef& e, RequestContext& ctx) {
  KEHU_TRY(check_right(app, ctx, e, Action::create));
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  auto force = take_force(ctx, *body);
  if (!force.ok()) return force.take_error();
  auto reply = write_reply(app, ctx, 201, [&](WriteTxn& txn) { return create_record(txn, e, *body, WriteOptions{*force, ctx.viewer()}); });
  if (!reply.ok()) return reply;
  // A replay carries the Location of the record the first request created.
  if (reply->body.is_object() && reply->body["id"].is_number_integer())
    reply->headers.push_back({"Location", "/api/v1/" + e.name + "/" + std::to_string(reply->body["id"].get<int64_t>())});
  return reply;
}

Result<Reply> update(App& app, const EntityDef& e, RequestContext& ctx) {
  auto id = parse_id(ctx.req.matches[1]);
  if (!id.ok()) return id.take_error();
  KEHU_TRY(check_right(app, ctx, e, Action::update, *id));
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  auto rev_it = body->find("rev");
  if (rev_it == body->end() || !rev_it->is_number_integer()) {
    return validation_error({{"rev", {"请带上你所编辑版本的 rev（整数）", "send the rev (a whole number) of the version you edited"}}});
  }
  int64_t rev = rev_it->get<int64_t>();
  body->erase("rev");
  auto force = take_force(ctx, *body);
  if (!force.ok()) return force.take_error();

  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  auto record = update_record(**txn, e, *id, *body, rev, WriteOptions{*force, ctx.viewer()});
  if (!record.ok()) {
    if (record.error().code != ErrorCode::conflict) return record.take_error();
    // 409 carries the current record so the client can merge field by field.
    auto current = get_visible_record(lease.db(), e, *id, ctx.viewer());
    Reply r = error_reply(record.error(), ctx.lang);
    if (current.ok()) r.body["current"] = *current;
    return r;
  }
  KEHU_TRY((*txn)->commit());
  return json_reply(200, *record);
}

Result<Reply> remove(App& app, const EntityDef& e, RequestContext& ctx) {
  auto id = parse_id(ctx.req.matches[1]);
  if (!id.ok()) return id.take_error();
  KEHU_TRY(check_right(app, ctx, e, Action::remove, *id));
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  KEHU_TRY(delete_record(**txn, e, *id, ctx.viewer()));
  KEHU_TRY((*txn)->commit());
  return Reply{204, nullptr, {}};
}

}  // namespace

Result<Reply> write_reply(App& app, RequestContext& ctx, int status, const std::function<Result<json>(WriteTxn&)>& write) {
  // SPEC §5: a POST honours Idempotency-Key. Other methods ignore it (PATCH carries rev, DELETE is idempotent).
  const bool keyed = ctx.req.method == "POST" && ctx.req.has_header("Idempotency-Key");
  const std::string key = keyed ? ctx.req.get_header_value("Idempotency-Key") : std::string();
  if (keyed && !is_valid_idempotency_key(key)) {
    Error err = Error::make(ErrorCode::bad_request, {"Idempotency-Key 无效", "invalid Idempotency-Key"});
    err.fields["Idempotency-Key"] = {"应为 1-200 个可见 ASCII 字符", "must be 1-200 visible ASCII characters"};
    return err;
  }
  const std::string fingerprint = keyed ? request_fingerprint(ctx.req.method, ctx.req.path, ctx.req.body) : std::string();

  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  if (keyed) {
    auto earlier = find_reply(lease.db(), ctx.user->id, key, app.clock().now_ms());
    if (!earlier.ok()) return earlier.take_error();
    if (earlier->has_value()) {
      if ((*earlier)->request != fingerprint) {
        return validation_error({{"Idempotency-Key", {"这个 Idempotency-Key 已用于另一个请求",
                                                       "this Idempotency-Key was already used for a different request"}}});
      }
      Reply replay{(*earlier)->status, json::parse((*earlier)->body, nullptr, false), {{"Idempotency-Replayed", "true"}}};
      if (replay.status == 204) replay.body = nullptr;
      return replay;
    }
  }
  auto result = write(**txn);
  if (!result.ok()) return result.take_error();  // rolled back, key not stored: the same key may be retried after a fix
  Reply reply = status == 204 ? Reply{204, nullptr, {}} : json_reply(status, std::move(*result));
  if (keyed)
    KEHU_TRY(store_reply(lease.db(), ctx.user->id, key, StoredReply{status, reply.body.dump(), fingerprint}, app.clock().now_ms()));
  KEHU_TRY((*txn)->commit());
  return reply;
}

void register_record_action(App& app, const EntityDef& entity, const std::string& method, const std::string& suffix,
                            std::function<Result<Reply>(RequestContext&, int64_t)> handler) {
  const EntityDef* e = &entity;
  app.route(method, "/api/v1/" + entity.name + R"(/([^/]+)/)" + suffix, Access::signed_in,
            [e, handler = std::move(handler)](RequestContext& ctx) -> Result<Reply> {
              if (!role_may(ctx.user->role, e->name, Action::read)) return not_found(*e);
              auto id = parse_id(ctx.req.matches[1]);
              if (!id.ok()) return id.take_error();
              return handler(ctx, *id);
            });
}

void register_record_routes(App& app, const EntityDef& entity) {
  const EntityDef* e = &entity;
  const std::string base = "/api/v1/" + entity.name;
  const std::string one = base + R"(/([^/]+))";
  app.route("GET", base, Access::signed_in, [&app, e](RequestContext& ctx) { return list(app, *e, ctx); });
  app.route("POST", base, Access::signed_in, [&app, e](RequestContext& ctx) { return create(app, *e, ctx); });
  app.route("GET", one, Access::signed_in, [&app, e](RequestContext& ctx) { return get_one(app, *e, ctx); });
  app.route("PATCH", one, Access::signed_in, [&app, e](RequestContext& ctx) { return update(app, *e, ctx); });
  app.route("DELETE", one, Access::signed_in, [&app, e](RequestContext& ctx) { return remove(app, *e, ctx); });
}

}  // namespace kehu::server
