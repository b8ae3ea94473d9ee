// directory_defs.cpp — the users and teams descriptors (SPEC §4): the admin's lists of people and 部门.
//
// They are not synced record entities: a client learns of users through the directory projection
// (sync_reader.h) and never holds usernames, e-mail or hashes. Users are created through their own route
// (a password is hashed there, user_store.h); PATCH and the lists use the shared record code.
#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"
#include "core/users/user_store.h"

namespace kehu {

namespace {

using namespace fields;

EntityDef make_users() {
  EntityDef e;
  e.name = "users";
  e.label = {"用户", "user"};
  auto username = text("username", {"用户名", "username"}, 32);
  username.writable = false;  // chosen at creation (user_store.h checks its form), never edited
  username.filterable = username.sortable = true;
  auto display = text("display_name", {"姓名", "display name"}, 50);
  display.required = display.filterable = display.sortable = true;
  auto email = text("email", {"邮箱", "email"}, 254);
  email.format = TextFormat::email;
  auto role = typed("role", {"角色", "role"}, FieldType::enumerated);
  for (const auto& r : user_roles()) {
    role.values.push_back(r);
    role.value_labels.push_back(role_label(r));
  }
  role.required = role.filterable = role.sortable = true;
  auto team = typed("team_id", {"部门", "team"}, FieldType::reference);
  team.ref_table = "teams";
  team.filterable = team.sortable = true;
  team.restrict_delete = true;  // a team with members is not deleted out from under them
  auto active = typed("active", {"启用", "active"}, FieldType::boolean);
  active.filterable = true;
  auto last_login = typed("last_login_at", {"最近登录", "last sign-in"}, FieldType::datetime);
  last_login.writable = false;
  last_login.sortable = last_login.filterable = true;
  e.fields = {username, display, email, role, team, active, last_login};
  return e;
}

EntityDef make_teams() {
  EntityDef e;
  e.name = "teams";
  e.label = {"部门", "team"};
  auto name = text("name", {"部门名称", "team name"}, 50);
  name.required = name.filterable = name.sortable = true;
  auto manager = typed("manager_id", {"部门经理", "team manager"}, FieldType::reference);
  manager.ref_table = "users";
  manager.filterable = true;
  e.fields = {name, manager};
  return e;
}

}  // namespace

const EntityDef& users_def() {
  static const EntityDef kDef = make_users();
  return kDef;
}

const EntityDef& teams_def() {
  static const EntityDef kDef = make_teams();
  return kDef;
}

}  // namespace kehu
