#include <doctest/doctest.h>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("customers: create, read, list, update, delete") {
  TestServer s;
  std::string t = s.admin_token();
  auto created = s.request("POST", "/api/v1/customers", t, {{"name", "成都天府软件有限公司"}, {"level", "A"}, {"tags", {"西南"}}});
  REQUIRE(created.status == 201);
  int64_t id = created.body["id"];
  CHECK(created.header("Location") == "/api/v1/customers/" + std::to_string(id));
  CHECK(created.body["code"] == "C000001");
  CHECK(created.body["created_by"] == created.body["updated_by"]);

  auto got = s.request("GET", "/api/v1/customers/" + std::to_string(id), t);
  REQUIRE(got.status == 200);
  CHECK(got.body == created.body);

  auto listed = s.request("GET", "/api/v1/customers?level=A&q=%E5%A4%A9%E5%BA%9C", t);  // q=天府
  REQUIRE(listed.status == 200);
  CHECK(listed.body["total"] == 1);
  CHECK(listed.body["total_exact"] == true);
  CHECK(listed.body["next_cursor"].is_null());

  auto updated = s.request("PATCH", "/api/v1/customers/" + std::to_string(id), t, {{"rev", created.body["rev"]}, {"status", "active"}});
  REQUIRE(updated.status == 200);
  CHECK(updated.body["status"] == "active");
  CHECK(updated.body["rev"].get<int64_t>() > created.body["rev"].get<int64_t>());

  CHECK(s.request("DELETE", "/api/v1/customers/" + std::to_string(id), t).status == 204);
  CHECK(s.request("GET", "/api/v1/customers/" + std::to_string(id), t).status == 404);
  CHECK(s.request("DELETE", "/api/v1/customers/" + std::to_string(id), t).status == 404);
  CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'customers'") == 3);
}

TEST_CASE("a stale rev answers 409 conflict with the current record") {
  TestServer s;
  std::string t = s.admin_token();
  auto c = s.request("POST", "/api/v1/customers", t, {{"name", "冲突测试"}});
  std::string path = "/api/v1/customers/" + std::to_string(c.body["id"].get<int64_t>());
  REQUIRE(s.request("PATCH", path, t, {{"rev", c.body["rev"]}, {"region", "华东"}}).status == 200);
  auto stale = s.request("PATCH", path, t, {{"rev", c.body["rev"]}, {"region", "华南"}}, {{"Accept-Language", "en"}});
  CHECK(stale.status == 409);
  CHECK(stale.body["error"]["code"] == "conflict");
  CHECK(stale.body["current"]["region"] == "华东");
  CHECK(stale.body["error"]["message"].get<std::string>().find("someone else") != std::string::npos);
  auto no_rev = s.request("PATCH", path, t, {{"region", "华南"}});
  CHECK(no_rev.status == 422);
  CHECK(no_rev.body["error"]["fields"].contains("rev"));
}

TEST_CASE("Idempotency-Key: the same POST twice creates one customer") {
  TestServer s;
  std::string t = s.admin_token();
  httplib::Headers key = {{"Idempotency-Key", "4f1c2a9e-offline-edit-1"}};
  auto first = s.request("POST", "/api/v1/customers", t, {{"name", "重试客户"}}, key);
  auto second = s.request("POST", "/api/v1/customers", t, {{"name", "重试客户"}}, key);
  REQUIRE(first.status == 201);
  CHECK(second.status == 201);
  CHECK(second.body == first.body);
  CHECK(second.header("Idempotency-Replayed") == "true");
  CHECK(second.header("Location") == first.header("Location"));
  CHECK(s.count("SELECT count(*) FROM customers") == 1);
  auto reused = s.request("POST", "/api/v1/customers", t, {{"name", "另一个客户"}}, key);
  CHECK(reused.status == 422);
  CHECK(reused.body["error"]["fields"].contains("Idempotency-Key"));
  // Keys are per user: another user's same key is a new request.
  s.add_user("qian", "sales");
  auto other = s.request("POST", "/api/v1/customers", s.login("qian"), {{"name", "钱的客户"}}, key);
  CHECK(other.status == 201);
  CHECK(s.count("SELECT count(*) FROM customers") == 2);
  // A failed POST stores nothing: the same key works once the input is fixed.
  httplib::Headers key2 = {{"Idempotency-Key", "fix-and-retry"}};
  CHECK(s.request("POST", "/api/v1/customers", t, {{"name", ""}}, key2).status == 422);
  CHECK(s.request("POST", "/api/v1/customers", t, {{"name", "改好了"}}, key2).status == 201);
  CHECK(s.request("POST", "/api/v1/customers", t, {{"name", "x"}}, {{"Idempotency-Key", std::string(201, 'k')}}).status == 400);
}

TEST_CASE("roles: invisible is 404, visible but not changeable is 403") {
  TestServer s;
  std::string admin = s.admin_token();
  auto c = s.request("POST", "/api/v1/customers", admin, {{"name", "权限测试"}});
  std::string path = "/api/v1/customers/" + std::to_string(c.body["id"].get<int64_t>());
  s.add_user("tv-screen", "viewer");
  s.add_user("kefu", "service");
  s.add_user("hetong", "contract");
  std::string viewer = s.login("tv-screen"), service = s.login("kefu"), contract = s.login("hetong");
  CHECK(s.request("GET", path, viewer).status == 404);
  CHECK(s.request("GET", "/api/v1/customers", viewer).status == 404);
  CHECK(s.request("GET", "/api/v1/sync", viewer).status == 404);
  CHECK(s.request("GET", path, service).status == 200);
  CHECK(s.request("PATCH", path, service, {{"rev", c.body["rev"]}, {"notes", "客服备注"}}).status == 200);
  CHECK(s.request("DELETE", path, service).status == 403);
  CHECK(s.request("POST", "/api/v1/customers", contract, {{"name", "不行"}}).status == 403);
  CHECK(s.request("GET", path, contract).status == 200);
  CHECK(s.request("GET", path, "").status == 401);
  CHECK(s.request("GET", path, "not-a-real-token").status == 401);
}

TEST_CASE("duplicate guard over HTTP: 409 duplicate, override only for managers") {
  TestServer s;
  std::string admin = s.admin_token();
  int64_t owner = s.add_user("zhou", "sales");
  REQUIRE(s.request("POST", "/api/v1/customers", admin,
                    {{"name", "苏州工业园区精密机械"}, {"phone", "0512-6666 8888"}, {"owner_id", owner}}).status == 201);
  std::string sales = s.login("zhou");
  auto dup = s.request("POST", "/api/v1/customers", sales, {{"name", "苏州工业园区精密机械"}});
  CHECK(dup.status == 409);
  CHECK(dup.body["error"]["code"] == "duplicate");
  CHECK(dup.body["error"]["message"].get<std::string>().find("zhou 显示名") != std::string::npos);
  CHECK(s.request("POST", "/api/v1/customers", sales, {{"name", "苏州工业园区精密机械"}, {"force", true}}).status == 403);
  CHECK(s.request("POST", "/api/v1/customers", admin, {{"name", "苏州工业园区精密机械"}, {"force", true}}).status == 201);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'override'") == 1);
}

TEST_CASE("contacts belong to a customer and go with it") {
  TestServer s;
  std::string t = s.admin_token();
  auto c = s.request("POST", "/api/v1/customers", t, {{"name", "联系人测试公司"}});
  int64_t cid = c.body["id"];
  auto orphan = s.request("POST", "/api/v1/contacts", t, {{"name", "无主"}, {"customer_id", 9999}});
  CHECK(orphan.status == 422);
  CHECK(orphan.body["error"]["fields"].contains("customer_id"));
  for (const char* n : {"赵一", "钱二"})
    REQUIRE(s.request("POST", "/api/v1/contacts", t, {{"name", n}, {"customer_id", cid}, {"mobile", "13900001111"}}).status == 201);
  auto list = s.request("GET", "/api/v1/contacts?customer_id=" + std::to_string(cid), t);
  CHECK(list.body["total"] == 2);
  CHECK(s.request("DELETE", "/api/v1/customers/" + std::to_string(cid), t).status == 204);
  CHECK(s.request("GET", "/api/v1/contacts?customer_id=" + std::to_string(cid), t).body["total"] == 0);
}

TEST_CASE("errors speak the request's language") {
  TestServer s;
  std::string t = s.admin_token();
  auto zh = s.request("POST", "/api/v1/customers", t, {{"name", ""}}, {{"Accept-Language", "zh-CN,zh;q=0.9"}});
  auto en = s.request("POST", "/api/v1/customers", t, {{"name", ""}}, {{"Accept-Language", "en-US,en;q=0.9"}});
  CHECK(zh.body["error"]["fields"]["name"] == "客户名称不能为空");
  CHECK(en.body["error"]["fields"]["name"] == "name is required");
}
