// kiosk_test.cpp — kiosk tokens (SPEC §5, §3 viewer (kiosk)) over the real server: an admin issues, lists
// and revokes them; a display reads company-wide the statistics of the dashboards it was issued and
// nothing else in the API; it hears `stats` events, and a revoked display's stream ends within seconds.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "event_reader.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const char* kKioskPath = "/api/v1/admin/kiosk-tokens";

// Issues a token as `admin` and returns the answer's body (REQUIREs 201).
json issue(TestServer& s, const std::string& admin, const json& body) {
  auto r = s.request("POST", kKioskPath, admin, body);
  REQUIRE(r.status == 201);
  return r.body;
}

}  // namespace

TEST_CASE("a kiosk token reads, company-wide, the statistics of its dashboards and nothing else") {
  TestServer s;
  const std::string admin = s.admin_token();
  s.add_user("rep.a", "sales");
  s.add_user("rep.b", "sales");
  const std::string rep_a = s.login("rep.a"), rep_b = s.login("rep.b");
  for (const auto& [rep, name] : {std::pair{rep_a, "北京朝阳科技"}, std::pair{rep_b, "上海浦东贸易"}}) {
    auto customer = s.request("POST", "/api/v1/customers", rep, {{"name", name}, {"type", "enterprise"}});
    REQUIRE(customer.status == 201);
    REQUIRE(s.request("POST", "/api/v1/opportunities", rep,
                      {{"customer_id", customer.body["id"]}, {"title", "年度采购"}, {"stage", "proposal"}, {"amount", 40000},
                       {"probability", 50}, {"expected_close_date", "2026-12-20"}})
                .status == 201);
  }

  json issued = issue(s, admin, {{"name", "  三楼销售部大屏 "}, {"dashboards", {"pipeline", "customers"}}});
  const std::string kiosk = issued["token"];
  CHECK(kiosk.size() == 43);
  CHECK(issued["name"] == "三楼销售部大屏");
  CHECK(issued["dashboards"] == json({"pipeline", "customers"}));
  CHECK(issued["revoked_at"].is_null());
  CHECK(s.count("SELECT count(*) FROM kiosk_tokens WHERE token_hash = '" + kiosk + "'") == 0);  // only its hash is kept

  auto me = s.request("GET", "/api/v1/kiosk", kiosk);
  REQUIRE(me.status == 200);
  CHECK(me.body["name"] == "三楼销售部大屏");
  CHECK(me.body["dashboards"] == json({"pipeline", "customers"}));
  CHECK(s.request("GET", "/api/v1/kiosk", admin).status == 404);  // a signed-in user is not a display

  // Its dashboards' endpoints: the company's figures, as the admin sees them (both reps' opportunities).
  for (const char* path : {"/api/v1/stats/funnel", "/api/v1/stats/forecast", "/api/v1/stats/customers"}) {
    INFO(path);
    auto seen = s.request("GET", path, kiosk);
    REQUIRE(seen.status == 200);
    CHECK(seen.body == s.request("GET", path, admin).body);
  }
  CHECK(s.request("GET", "/api/v1/stats/forecast", kiosk).body["months"][0]["opportunities"] == 2);
  CHECK(s.request("GET", "/api/v1/stats/forecast", rep_a).body["months"][0]["opportunities"] == 1);
  // Other statistics are not there for it (404, as for a role without them); the rest of the API does not
  // know the token (401).
  for (const char* path : {"/api/v1/stats/sales", "/api/v1/stats/tickets", "/api/v1/stats/churn", "/api/v1/stats/contracts",
                           "/api/v1/stats/campaigns", "/api/v1/stats/sales/by-customer"})
    CHECK(s.request("GET", path, kiosk).status == 404);
  for (const char* path : {"/api/v1/customers", "/api/v1/opportunities", "/api/v1/sync?since=0", "/api/v1/settings",
                           "/api/v1/directory", "/api/v1/users", kKioskPath, "/api/v1/audit"})
    CHECK(s.request("GET", path, kiosk).status == 401);
  CHECK(s.request("POST", "/api/v1/customers", kiosk, {{"name", "大屏写入"}}).status == 401);
  CHECK(s.request("POST", kKioskPath, kiosk, {{"name", "x"}, {"dashboards", {"sales"}}}).status == 401);
  // The token in the query string is for the event stream only.
  CHECK(s.request("GET", "/api/v1/stats/funnel?kiosk=" + kiosk).status == 400);
  CHECK(s.request("GET", "/api/v1/customers?kiosk=" + kiosk).status == 401);

  // The list shows when the display was last seen, never the token.
  auto list = s.request("GET", kKioskPath, admin);
  REQUIRE(list.status == 200);
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["id"] == issued["id"]);
  CHECK(list.body["items"][0]["last_seen_at"].is_string());
  CHECK(list.raw.find(kiosk) == std::string::npos);
  CHECK(list.body["items"][0].count("token") == 0);
}

TEST_CASE("only an admin issues kiosk tokens, and bad input is named and changes nothing") {
  TestServer s;
  const std::string admin = s.admin_token();
  s.add_user("manager", "manager");
  const std::string manager = s.login("manager");
  CHECK(s.request("POST", kKioskPath, manager, {{"name", "大屏"}, {"dashboards", {"sales"}}}).status == 404);
  CHECK(s.request("GET", kKioskPath, manager).status == 404);
  CHECK(s.request("GET", kKioskPath).status == 401);

  const auto refused = [&](const json& body, const std::string& field) {
    INFO(body.dump());
    auto r = s.request("POST", kKioskPath, admin, body);
    CHECK(r.status == 422);
    CHECK(r.body["error"]["fields"].contains(field));
  };
  refused({{"dashboards", {"sales"}}}, "name");
  refused({{"name", "   "}, {"dashboards", {"sales"}}}, "name");
  refused({{"name", 42}, {"dashboards", {"sales"}}}, "name");
  refused({{"name", std::string(101, 'x')}, {"dashboards", {"sales"}}}, "name");
  refused({{"name", "大屏"}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", json::array()}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", "sales"}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", {"sales", "nope"}}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", {"sales", "sales"}}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", {1}}}, "dashboards");
  refused({{"name", "大屏"}, {"dashboards", {"sales"}}, {"role", "admin"}}, "role");
  CHECK(s.request("POST", kKioskPath, admin, json::array({1, 2})).status == 400);
  CHECK(s.raw_request("POST", kKioskPath, "{\"name\":", "application/json", {{"Authorization", "Bearer " + admin}}).status == 400);
  CHECK(s.count("SELECT count(*) FROM kiosk_tokens") == 0);
  CHECK(s.request("DELETE", std::string(kKioskPath) + "/999", admin).status == 404);
  CHECK(s.request("DELETE", std::string(kKioskPath) + "/abc", admin).status == 400);
  // A made-up token is nobody.
  CHECK(s.request("GET", "/api/v1/kiosk", "not-a-token").status == 401);
  CHECK(s.request("GET", "/api/v1/stats/funnel", std::string(200, 'k')).status == 401);
}

TEST_CASE("a kiosk display hears stats events, and a revoked one stops within seconds") {
  TestServer s([](server::ServerConfig& c) { c.event_heartbeat_s = 1; });
  const std::string admin = s.admin_token();
  json issued = issue(s, admin, {{"name", "前台大屏"}, {"dashboards", {"customers"}}});
  const std::string kiosk = issued["token"];
  EventReader events(s.port(), "", "/api/v1/events?kiosk=" + kiosk);
  REQUIRE(events.status() == 200);
  REQUIRE(events.wait_for("ready", 1));

  const auto started = std::chrono::steady_clock::now();
  REQUIRE(s.request("POST", "/api/v1/customers", admin, {{"name", "广州天河电子"}}).status == 201);
  REQUIRE(events.wait_for("stats", 1, 2s));  // SPEC: within 2 s of a change that moves a number
  MESSAGE("stats event after " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() << " ms");
  CHECK(events.count("changes") == 0);  // a display pulls no records

  // Revoked: its figures are refused at once, its stream ends within seconds, and it cannot reconnect.
  auto revoke = s.request("DELETE", std::string(kKioskPath) + "/" + std::to_string(issued["id"].get<int64_t>()), admin);
  CHECK(revoke.status == 204);
  CHECK(s.request("GET", "/api/v1/stats/customers", kiosk).status == 401);
  CHECK(events.wait_ended(4s));
  EventReader again(s.port(), "", "/api/v1/events?kiosk=" + kiosk);
  CHECK(again.status() == 401);
  // Revoking again changes nothing; the list keeps the row with when it was revoked; both are audited.
  CHECK(s.request("DELETE", std::string(kKioskPath) + "/" + std::to_string(issued["id"].get<int64_t>()), admin).status == 204);
  auto list = s.request("GET", kKioskPath, admin);
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["revoked_at"].is_string());
  CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'kiosk_tokens' AND action = 'create'") == 1);
  CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'kiosk_tokens' AND action = 'revoke'") == 1);
}
