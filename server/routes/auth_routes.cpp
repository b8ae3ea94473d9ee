// auth_routes.cpp — sign-in, sign-out, password change, registration, sessions, /me (SPEC §5 Auth).
//
//   POST   /api/v1/auth/login        {username, password} -> {token, user}; sets the `session` cookie
//   POST   /api/v1/auth/logout       -> 204; ends this session
//   POST   /api/v1/auth/password     {old_password, new_password} -> 204; ends the user's other sessions
//   POST   /api/v1/auth/register     {username, display_name, email, password} -> 201; inactive until approved
//   GET    /api/v1/auth/sessions     the user's live sessions
//   DELETE /api/v1/auth/sessions/:id ends one of them
//   GET    /api/v1/me                the user and the rights their role gives
#include "core/entity/validation.h"
#include "core/store/write_txn.h"
#include "core/text/utf8.h"
#include "server/auth/crypto.h"
#include "server/auth/trusted_devices.h"
#include "server/http/json_body.h"
#include "core/users/role_rights.h"
#include "server/routes/routes.h"

namespace kehu::server {

using nlohmann::json;

namespace {

// The named string members of a body; a missing or non-string member is a field error.
Result<std::vector<std::string>> string_fields(const json& body, const std::vector<std::string>& names) {
  std::map<std::string, Text> problems;
  std::vector<std::string> out;
  for (const auto& n : names) {
    auto it = body.find(n);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
      problems[n] = {"不能为空", "is required"};
      out.emplace_back();
    } else {
      out.push_back(it->get<std::string>());
    }
  }
  if (!problems.empty()) return validation_error(std::move(problems));
  return out;
}

json session_json(const Session& s, int64_t current_id) {
  return {{"id", s.id},
          {"created_at", format_rfc3339_ms(s.created_ms)},
          {"last_seen_at", format_rfc3339_ms(s.last_seen_ms)},
          {"expires_at", format_rfc3339_ms(s.expires_ms)},
          {"ip", s.ip},
          {"user_agent", s.user_agent},
          {"current", s.id == current_id}};
}

Reply throttled_reply(int64_t wait_s, Lang lang) {
  std::string s = std::to_string(wait_s);
  Reply r = error_reply(Error::make(ErrorCode::throttled, {"尝试次数过多，请 " + s + " 秒后再试", "too many attempts; try again in " + s + " seconds"}), lang);
  r.headers.push_back({"Retry-After", s});
  return r;
}

// Reserves an attempt with the throttle, and settles it however the handler leaves: as a failure
// unless told otherwise (an early error return included). `wait` > 0: refused, that many seconds to
// wait, nothing to settle.
class AttemptGuard {
 public:
  AttemptGuard(LoginThrottle& t, LoginThrottle::Attempt who, const Clock& clock)
      : t_(t), who_(std::move(who)), clock_(clock), wait_(t.begin_attempt(who_, clock.now_ms())) {}
  ~AttemptGuard() {
    if (wait_ == 0) t_.finish_attempt(who_, clock_.now_ms(), outcome_);
  }
  int64_t wait() const { return wait_; }
  void succeeded() { outcome_ = LoginThrottle::Outcome::succeeded; }
  // The password was never compared (the hasher was busy): the attempt neither counts nor clears.
  void not_checked() { outcome_ = LoginThrottle::Outcome::not_checked; }

 private:
  LoginThrottle& t_;
  LoginThrottle::Attempt who_;
  const Clock& clock_;
  int64_t wait_;
  LoginThrottle::Outcome outcome_ = LoginThrottle::Outcome::failed;
};

// verify() under an attempt: a busy hasher leaves the attempt unsettled either way.
Result<bool> checked_password(App& app, AttemptGuard& attempt, const std::string& password, const std::string& encoded) {
  auto good = app.hasher().verify(password, encoded);
  if (!good.ok()) attempt.not_checked();
  return good;
}

Result<Reply> login(App& app, RequestContext& ctx) {
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  auto fields = string_fields(*body, {"username", "password"});
  if (!fields.ok()) return fields.take_error();
  if ((*fields)[0].size() > 64 || (*fields)[1].size() > 1024)  // before the throttle map and the audit see it
    return Error::make(ErrorCode::invalid_credentials, {"用户名或密码不正确", "wrong username or password"});
  const std::string username = ascii_lower((*fields)[0]);
  const std::string& password = (*fields)[1];
  const std::string device = cookie_value(ctx.req.get_header_value("Cookie"), app.device_cookie_name());
  std::optional<User> user;
  bool trusted = false;
  {
    auto lease = app.db().read();
    auto found = find_user_by_name(lease.db(), username);
    if (!found.ok()) return found.take_error();
    user = *found;
    if (user && !device.empty()) {
      auto known = is_trusted_device(lease.db(), device, user->id, app.clock().now_ms());
      if (!known.ok()) return known.take_error();
      trusted = *known;
    }
  }
  AttemptGuard attempt(app.login_throttle(), {username, ctx.ip, trusted ? sha256_hex(device) : ""}, app.clock());
  if (attempt.wait() > 0) return throttled_reply(attempt.wait(), ctx.lang);
  // Same work for an unknown user (dummy hash) as for a wrong password.
  auto checked = checked_password(app, attempt, password, user ? user->password_hash : std::string());
  if (!checked.ok()) return checked.take_error();
  const bool good = *checked;
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{user ? user->id : 0, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  if (!good || !user->active) {
    KEHU_TRY((*txn)->audit("login_failed", "users", user ? user->id : 0,
                           json{{"username", username}, {"reason", good ? "inactive" : "credentials"}}));
    KEHU_TRY((*txn)->commit());
    if (!good) return Error::make(ErrorCode::invalid_credentials, {"用户名或密码不正确", "wrong username or password"});
    return Error::make(ErrorCode::forbidden, {"账号尚未启用，请等待管理员审批", "this account is not active yet; an administrator must approve it"});
  }
  attempt.succeeded();
  auto session = create_session(lease.db(), app.random(), user->id, app.clock().now_ms(), ctx.ip, ctx.req.get_header_value("User-Agent"), app.config().sessions);
  if (!session.ok()) return session.take_error();
  KEHU_TRY(touch_last_login(lease.db(), user->id, (*txn)->now()));
  std::string new_device;
  if (trusted) {
    KEHU_TRY(note_device_sign_in(lease.db(), device, app.clock().now_ms()));
  } else {
    auto made = trust_new_device(lease.db(), app.random(), user->id, app.clock().now_ms());
    if (!made.ok()) return made.take_error();
    new_device = *made;
  }
  KEHU_TRY((*txn)->audit("login", "users", user->id));
  KEHU_TRY((*txn)->commit());
  user->last_login_at = (*txn)->now();
  Reply r = json_reply(200, {{"token", session->first}, {"user", user_json(*user)}});
  r.headers.push_back({"Set-Cookie", app.cookie(app.session_cookie_name(), session->first, app.config().sessions.absolute_ms / 1000)});
  if (!new_device.empty()) r.headers.push_back({"Set-Cookie", app.cookie(app.device_cookie_name(), new_device, kDeviceTrustMs / 1000)});
  return r;
}

Result<Reply> logout(App& app, RequestContext& ctx) {
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  KEHU_TRY(revoke_session(lease.db(), ctx.session.id));
  KEHU_TRY((*txn)->audit("logout", "users", ctx.user->id));
  KEHU_TRY((*txn)->commit());
  Reply r{204, nullptr, {{"Set-Cookie", app.cookie(app.session_cookie_name(), "", 0)}}};
  return r;
}

Result<Reply> change_password(App& app, RequestContext& ctx) {
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  auto fields = string_fields(*body, {"old_password", "new_password"});
  if (!fields.ok()) return fields.take_error();
  AttemptGuard attempt(app.login_throttle(), {ctx.user->username, ctx.ip, ""}, app.clock());
  if (attempt.wait() > 0) return throttled_reply(attempt.wait(), ctx.lang);
  auto checked = checked_password(app, attempt, (*fields)[0], ctx.user->password_hash);
  if (!checked.ok()) return checked.take_error();
  if (!*checked)
    return validation_error({{"old_password", {"原密码不正确", "the current password is wrong"}}});
  attempt.succeeded();
  if (auto problem = check_password_policy((*fields)[1])) return validation_error({{"new_password", *problem}});
  auto hash = app.hasher().hash((*fields)[1]);
  if (!hash.ok()) return hash.take_error();
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  KEHU_TRY(set_password_hash(**txn, ctx.user->id, *hash));
  KEHU_TRY(revoke_user_sessions(lease.db(), ctx.user->id, ctx.session.id));
  KEHU_TRY(forget_user_devices(lease.db(), ctx.user->id));
  KEHU_TRY((*txn)->commit());
  return Reply{204, nullptr, {}};
}

Result<Reply> register_account(App& app, RequestContext& ctx) {
  auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
  if (!body.ok()) return body.take_error();
  // Every attempt counts against the address, and is counted before any hashing work.
  AttemptGuard attempt(app.register_throttle(), {"", ctx.ip, ""}, app.clock());
  if (attempt.wait() > 0) return throttled_reply(attempt.wait(), ctx.lang);
  auto fields = string_fields(*body, {"username", "display_name", "password"});
  if (!fields.ok()) return fields.take_error();
  if (auto problem = check_password_policy((*fields)[2])) return validation_error({{"password", *problem}});
  std::string email = body->value("email", json("")).is_string() ? body->value("email", "") : "";
  {  // a taken name is refused before the costly hash
    auto lease = app.db().read();
    auto taken = find_user_by_name(lease.db(), ascii_lower((*fields)[0]));
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return validation_error({{"username", {"用户名已被使用", "this username is taken"}}});
  }
  auto hash = app.hasher().hash((*fields)[2]);
  if (!hash.ok()) return hash.take_error();
  auto lease = app.db().write();
  auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{0, ctx.ip});
  if (!txn.ok()) return txn.take_error();
  // Inactive, with the least role, until an administrator approves it and gives it a role.
  auto user = create_user(**txn, NewUser{(*fields)[0], (*fields)[1], email, "viewer", false}, *hash);
  if (!user.ok()) return user.take_error();
  KEHU_TRY((*txn)->commit());
  return json_reply(201, {{"user", user_json(*user)},
                          {"message", ctx.lang == Lang::zh ? "注册成功，请等待管理员审批" : "registered; an administrator must approve the account"}});
}

}  // namespace

void register_auth_routes(App& app) {
  app.route("POST", "/api/v1/auth/login", Access::anyone, [&app](RequestContext& ctx) { return login(app, ctx); });
  app.route("POST", "/api/v1/auth/logout", Access::signed_in, [&app](RequestContext& ctx) { return logout(app, ctx); });
  app.route("POST", "/api/v1/auth/password", Access::signed_in, [&app](RequestContext& ctx) { return change_password(app, ctx); });
  app.route("POST", "/api/v1/auth/register", Access::anyone, [&app](RequestContext& ctx) { return register_account(app, ctx); });
  app.route("GET", "/api/v1/auth/sessions", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    auto lease = app.db().read();
    auto list = list_sessions(lease.db(), ctx.user->id, app.clock().now_ms(), app.config().sessions);
    if (!list.ok()) return list.take_error();
    json items = json::array();
    for (const auto& s : *list) items.push_back(session_json(s, ctx.session.id));
    return json_reply(200, {{"items", items}});
  });
  app.route("DELETE", R"(/api/v1/auth/sessions/([^/]+))", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    auto id = parse_id(ctx.req.matches[1]);
    if (!id.ok()) return id.take_error();
    auto lease = app.db().write();
    auto owner = lease.db().query_int("SELECT user_id FROM sessions WHERE id = ?1", {*id});
    if (!owner.ok()) return owner.take_error();
    if (!owner->has_value() || **owner != ctx.user->id)
      return Error::make(ErrorCode::not_found, {"找不到该会话", "no such session"});
    auto txn = WriteTxn::begin(lease.db(), app.clock(), Actor{ctx.user->id, ctx.ip});
    if (!txn.ok()) return txn.take_error();
    KEHU_TRY(revoke_session(lease.db(), *id));
    KEHU_TRY((*txn)->audit("logout", "sessions", *id));
    KEHU_TRY((*txn)->commit());
    return Reply{204, nullptr, {}};
  });
  app.route("GET", "/api/v1/me", Access::signed_in, [](RequestContext& ctx) -> Result<Reply> {
    json user = user_json(*ctx.user);
    return json_reply(200, {{"user", user},
                            {"role_label", role_label(ctx.user->role).in(ctx.lang)},
                            {"rights", role_rights_json(ctx.user->role)}});
  });
}

}  // namespace kehu::server
