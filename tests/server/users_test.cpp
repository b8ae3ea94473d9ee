// users_test.cpp — the admin's users and teams, the directory every staff role reads, self-registration
// approval, and the audit trail's read API.
#include <doctest/doctest.h>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("users and teams: the admin creates, lists, filters and changes them; nobody else may") {
  TestServer s;
  std::string admin = s.admin_token();
  auto team = s.request("POST", "/api/v1/teams", admin, {{"name", "华北销售部"}});
  REQUIRE(team.status == 201);
  auto created = s.request("POST", "/api/v1/users", admin,
                           {{"username", "Wang.Fang"}, {"display_name", "王芳"}, {"email", "wang@example.com"}, {"role", "sales"},
                            {"team_id", team.body["id"]}, {"password", "a-long-password-1"}});
  REQUIRE(created.status == 201);
  CHECK(created.body["username"] == "wang.fang");
  CHECK(created.body["team_id"] == team.body["id"]);
  CHECK(created.raw.find("password") == std::string::npos);
  CHECK(created.raw.find("argon2") == std::string::npos);
  CHECK(s.login("wang.fang", "a-long-password-1").size() > 20);

  auto listed = s.request("GET", "/api/v1/users?role=sales&team_id=" + std::to_string(team.body["id"].get<int64_t>()), admin);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["items"].size() == 1);
  CHECK(listed.body["items"][0]["display_name"] == "王芳");
  CHECK(listed.raw.find("argon2") == std::string::npos);
  CHECK(s.request("GET", "/api/v1/users?q=x", admin).status == 400);  // filters, not search

  auto bad = s.request("POST", "/api/v1/users", admin,
                       {{"username", "x"}, {"display_name", ""}, {"role", "boss"}, {"password", "short"}, {"team_id", 999}, {"salary", 1}},
                       {{"Accept-Language", "en"}});
  CHECK(bad.status == 422);
  for (const char* field : {"username", "display_name", "role", "password", "salary"}) CHECK(bad.body["error"]["fields"].contains(field));
  auto bad_team = s.request("POST", "/api/v1/users", admin,
                            {{"username", "li.lei"}, {"display_name", "李雷"}, {"role", "sales"}, {"team_id", 999}, {"password", "a-long-password-1"}});
  CHECK(bad_team.status == 422);
  CHECK(bad_team.body["error"]["fields"].contains("team_id"));

  int64_t id = created.body["id"];
  auto renamed = s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin, {{"rev", created.body["rev"]}, {"role", "manager"}});
  REQUIRE(renamed.status == 200);
  CHECK(renamed.body["role"] == "manager");
  CHECK(s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin, {{"rev", renamed.body["rev"]}, {"username", "other"}}).status == 422);
  CHECK(s.request("DELETE", "/api/v1/users/" + std::to_string(id), admin).status == 403);  // deactivate instead

  std::string sales = s.login("wang.fang", "a-long-password-1");
  CHECK(s.request("GET", "/api/v1/users", sales).status == 404);
  CHECK(s.request("POST", "/api/v1/users", sales, {{"username", "x1"}}).status == 404);
  CHECK(s.request("GET", "/api/v1/teams", sales).status == 200);  // team names for pickers
  CHECK(s.request("POST", "/api/v1/teams", sales, {{"name", "自封部门"}}).status == 403);
  CHECK(s.request("GET", "/api/v1/audit", sales).status == 404);

  // The directory: every staff role, public fields only; not a kiosk viewer.
  auto dir = s.request("GET", "/api/v1/directory", sales);
  REQUIRE(dir.status == 200);
  CHECK(dir.body["items"].size() == 2);
  CHECK(dir.raw.find("wang@example.com") == std::string::npos);
  CHECK(dir.raw.find("wang.fang") == std::string::npos);
  s.add_user("tv1", "viewer");
  CHECK(s.request("GET", "/api/v1/directory", s.login("tv1")).status == 404);
}

TEST_CASE("self-registration: the account waits until an admin approves it with a role") {
  TestServer s;
  std::string admin = s.admin_token();
  auto reg = s.request("POST", "/api/v1/auth/register", "",
                       {{"username", "zhao"}, {"display_name", "赵敏"}, {"email", "zhao@example.com"}, {"password", "a-long-password-2"}});
  REQUIRE(reg.status == 201);
  int64_t id = reg.body["user"]["id"];
  CHECK(s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "a-long-password-2"}}).status == 403);
  auto waiting = s.request("GET", "/api/v1/users?active=false", admin);
  REQUIRE(waiting.status == 200);
  REQUIRE(waiting.body["items"].size() == 1);
  auto approved = s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin,
                            {{"rev", waiting.body["items"][0]["rev"]}, {"active", true}, {"role", "service"}});
  REQUIRE(approved.status == 200);
  auto login = s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "a-long-password-2"}});
  REQUIRE(login.status == 200);
  CHECK(login.body["user"]["role"] == "service");
}

TEST_CASE("audit: every write, login and override is kept, filterable by entity, record, user and time; nobody can change it") {
  TestServer s;
  std::string admin = s.admin_token();
  int64_t rep = s.add_user("rep", "sales");
  std::string rep_token = s.login("rep");
  auto c = s.request("POST", "/api/v1/customers", rep_token, {{"name", "审计客户"}, {"phone", "13800138000"}});
  REQUIRE(c.status == 201);
  int64_t id = c.body["id"];
  REQUIRE(s.request("PATCH", "/api/v1/customers/" + std::to_string(id), rep_token, {{"rev", c.body["rev"]}, {"level", "A"}}).status == 200);
  auto forced = s.request("POST", "/api/v1/customers", admin, {{"name", "审计客户"}, {"force", true}});
  REQUIRE(forced.status == 201);

  auto trail = s.request("GET", "/api/v1/audit?entity=customers&entity_id=" + std::to_string(id), admin);
  REQUIRE(trail.status == 200);
  REQUIRE(trail.body["items"].size() == 2);
  CHECK(trail.body["items"][0]["action"] == "update");  // newest first
  CHECK(trail.body["items"][0]["user_id"] == rep);
  CHECK(trail.body["items"][0]["changes"]["level"] == json::array({nullptr, "A"}));
  CHECK(trail.body["items"][0]["ip"] == "127.0.0.1");
  CHECK(trail.body["items"][1]["action"] == "create");

  auto by_user = s.request("GET", "/api/v1/audit?user_id=" + std::to_string(rep), admin);
  REQUIRE(by_user.status == 200);
  std::vector<std::string> actions;
  for (const auto& item : by_user.body["items"]) actions.push_back(item["action"]);
  CHECK(actions == std::vector<std::string>{"update", "create", "login"});
  auto overrides = s.request("GET", "/api/v1/audit?action=override", admin);
  REQUIRE(overrides.body["items"].size() == 1);
  CHECK(overrides.body["items"][0]["entity_id"] == forced.body["id"]);

  auto page = s.request("GET", "/api/v1/audit?limit=2", admin);
  REQUIRE(page.status == 200);
  REQUIRE(page.body["next_cursor"].is_string());
  auto page2 = s.request("GET", "/api/v1/audit?limit=2&cursor=" + page.body["next_cursor"].get<std::string>(), admin);
  REQUIRE(page2.status == 200);
  CHECK(page2.body["items"][0]["id"].get<int64_t>() < page.body["items"][1]["id"].get<int64_t>());
  CHECK(s.request("GET", "/api/v1/audit?from=2000-01-01&to=2000-01-02", admin).body["items"].empty());
  CHECK(s.request("GET", "/api/v1/audit?from=yesterday", admin).status == 400);
  CHECK(s.request("GET", "/api/v1/audit?drop=table", admin).status == 400);

  // No route writes audit rows, and the table refuses edits from anywhere.
  CHECK(s.request("DELETE", "/api/v1/audit", admin).status == 404);
  CHECK(s.request("PATCH", "/api/v1/audit/1", admin, {{"action", "x"}}).status == 404);
  auto lease = s.app().db().write();
  CHECK_FALSE(lease.db().run("DELETE FROM audit").ok());
  CHECK_FALSE(lease.db().run("UPDATE audit SET action = 'x'").ok());
}

TEST_CASE("a team with members is not deleted; an empty one is") {
  TestServer s;
  std::string admin = s.admin_token();
  auto team = s.request("POST", "/api/v1/teams", admin, {{"name", "西北销售部"}});
  auto empty = s.request("POST", "/api/v1/teams", admin, {{"name", "临时部门"}});
  REQUIRE(s.request("POST", "/api/v1/users", admin,
                    {{"username", "ma.chao"}, {"display_name", "马超"}, {"role", "sales"}, {"team_id", team.body["id"]}, {"password", "a-long-password-1"}})
              .status == 201);
  auto refused = s.request("DELETE", "/api/v1/teams/" + std::to_string(team.body["id"].get<int64_t>()), admin, nullptr, {{"Accept-Language", "en"}});
  CHECK(refused.status == 409);
  CHECK(refused.body["error"]["code"] == "in_use");
  CHECK(refused.body["error"]["message"].get<std::string>().find("user") != std::string::npos);
  CHECK(s.count("SELECT count(*) FROM users WHERE team_id IS NOT NULL") == 1);
  CHECK(s.request("DELETE", "/api/v1/teams/" + std::to_string(empty.body["id"].get<int64_t>()), admin).status == 204);
}
