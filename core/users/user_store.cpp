#include "core/users/user_store.h"

#include <algorithm>

#include "core/entity/validation.h"
#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

const std::vector<std::string>& user_roles() {
  static const std::vector<std::string> kRoles = {"admin", "manager", "sales", "service", "contract", "viewer"};
  return kRoles;
}

Text role_label(const std::string& role) {
  if (role == "admin") return {"系统管理员", "Administrator"};
  if (role == "manager") return {"销售经理", "Sales manager"};
  if (role == "sales") return {"销售人员", "Sales"};
  if (role == "service") return {"客服人员", "Service"};
  if (role == "contract") return {"合同管理员", "Contracts"};
  if (role == "viewer") return {"只读/大屏", "Viewer"};
  return {role, role};
}

namespace {

constexpr const char* kUserColumns =
    "id, rev, username, display_name, email, role, team_id, active, last_login_at, password_hash, scope_rev";

User read_user(const Statement& st) {
  User u;
  u.id = st.column_int(0);
  u.rev = st.column_int(1);
  u.username = st.column_text(2);
  u.display_name = st.column_text(3);
  u.email = st.column_text(4);
  u.role = st.column_text(5);
  if (st.column_type(6) != ColumnType::null) u.team_id = st.column_int(6);
  u.active = st.column_int(7) != 0;
  u.last_login_at = st.column_text(8);
  u.password_hash = st.column_text(9);
  u.scope_rev = st.column_int(10);
  return u;
}

Result<std::vector<User>> query_users(Database& db, const std::string& where, const std::vector<SqlValue>& args) {
  auto st = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users " + where);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  std::vector<User> out;
  for (;;) {
    auto r = (*st)->step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) break;
    out.push_back(read_user(**st));
  }
  return out;
}

}  // namespace

std::map<std::string, Text> check_new_user(const NewUser& in) {
  Error err;
  std::string username = ascii_lower(trim(in.username));
  bool name_ok = username.size() >= 3 && username.size() <= 32;
  for (char c : username) name_ok = name_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  if (!name_ok) err.fields["username"] = {"用户名应为 3-32 个字母、数字、. _ -", "username must be 3-32 letters, digits, . _ or -"};
  std::string display(trim(in.display_name));
  if (display.empty() || !is_valid_utf8(display) || utf8_length(display) > 50)
    err.fields["display_name"] = {"姓名不能为空，最多 50 个字符", "display name is required, at most 50 characters"};
  if (std::find(user_roles().begin(), user_roles().end(), in.role) == user_roles().end())
    err.fields["role"] = {"角色必须是 admin、manager、sales、service、contract、viewer 之一",
                          "role must be one of admin, manager, sales, service, contract, viewer"};
  if (!in.email.empty() && !is_valid_email(in.email)) err.fields["email"] = {"邮箱格式不正确", "e-mail address is not valid"};
  return err.fields;
}

Result<User> create_user(WriteTxn& txn, const NewUser& in, const std::string& password_hash) {
  Error err = Error::make(ErrorCode::validation, validation_summary());
  err.fields = check_new_user(in);
  std::string username = ascii_lower(trim(in.username));
  std::string display(trim(in.display_name));
  if (in.team_id) {
    auto team = txn.db().query_int("SELECT 1 FROM teams WHERE id = ?1", {*in.team_id});
    if (!team.ok()) return team.take_error();
    if (!team->has_value()) err.fields["team_id"] = {"所选部门不存在", "the chosen team does not exist"};
  }
  if (err.fields.empty()) {
    auto existing = find_user_by_name(txn.db(), username);
    if (!existing.ok()) return existing.take_error();
    if (existing->has_value()) err.fields["username"] = {"用户名已被使用", "this username is taken"};
  }
  if (!err.fields.empty()) return err;
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  KEHU_TRY(txn.db().run(
      "INSERT INTO users (rev, created_at, updated_at, created_by, updated_by, username, display_name, email, role, active,"
      " password_hash, team_id) VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      {*rev, txn.now(), txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr), username, display,
       in.email.empty() ? SqlValue(nullptr) : SqlValue(in.email), in.role, int64_t{in.active ? 1 : 0}, password_hash,
       in.team_id ? SqlValue(*in.team_id) : SqlValue(nullptr)}));
  int64_t id = txn.db().last_insert_rowid();
  KEHU_TRY(txn.audit("create", "users", id, json{{"username", {nullptr, username}}, {"role", {nullptr, in.role}}}));
  auto u = find_user(txn.db(), id);
  if (!u.ok()) return u.take_error();
  return **u;
}

Result<std::optional<User>> find_user_by_name(Database& db, const std::string& username) {
  auto r = query_users(db, "WHERE username = ?1", {ascii_lower(username)});
  if (!r.ok()) return r.take_error();
  if (r->empty()) return std::optional<User>{};
  return std::optional<User>{r->front()};
}

Result<std::optional<User>> find_user(Database& db, int64_t id) {
  auto r = query_users(db, "WHERE id = ?1", {id});
  if (!r.ok()) return r.take_error();
  if (r->empty()) return std::optional<User>{};
  return std::optional<User>{r->front()};
}

Result<std::vector<User>> list_users(Database& db) { return query_users(db, "ORDER BY id", {}); }

Status set_password_hash(WriteTxn& txn, int64_t user_id, const std::string& password_hash) {
  KEHU_TRY(txn.db().run("UPDATE users SET password_hash = ?1, updated_at = ?2 WHERE id = ?3",
                        {password_hash, txn.now(), user_id}));
  return txn.audit("update", "users", user_id, json{{"password", {"***", "***"}}});
}

Status touch_last_login(Database& db, int64_t user_id, const std::string& at) {
  return db.run("UPDATE users SET last_login_at = ?1 WHERE id = ?2", {at, user_id});
}

Result<int64_t> count_users(Database& db) {
  auto n = db.query_int("SELECT count(*) FROM users");
  if (!n.ok()) return n.take_error();
  return n->value_or(0);
}

Status note_user_scope_change(WriteTxn& txn, const json& before, const json& after) {
  if (before.value("role", json()) == after.value("role", json()) && before.value("team_id", json()) == after.value("team_id", json()))
    return ok_status();
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  auto team = [](const json& row) { return row.value("team_id", json()).is_number_integer() ? SqlValue(row["team_id"].get<int64_t>()) : SqlValue(nullptr); };
  return txn.db().run("UPDATE users SET scope_rev = ?1 WHERE id = ?2 OR (role = 'manager' AND team_id IN (?3, ?4))",
                      {*rev, after["id"].get<int64_t>(), team(before), team(after)});
}

json user_json(const User& u) {
  return json{{"id", u.id},
              {"username", u.username},
              {"display_name", u.display_name},
              {"email", u.email.empty() ? json(nullptr) : json(u.email)},
              {"role", u.role},
              {"team_id", u.team_id ? json(*u.team_id) : json(nullptr)},
              {"active", u.active},
              {"last_login_at", u.last_login_at.empty() ? json(nullptr) : json(u.last_login_at)}};
}

}  // namespace kehu
