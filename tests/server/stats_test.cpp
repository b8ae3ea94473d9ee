// stats_test.cpp — GET /api/v1/stats/sales over the real server (SPEC §5, §3): figures move with the
// orders written through the API, each role sees its own reach (admin: all, manager: the team's, rep:
// own), roles without sales figures get 404, bad parameters a 400 naming them in the caller's language,
// and the default range ends on the company's today (Asia/Shanghai, from the system's tz database).
#include <doctest/doctest.h>

#include "core/clock.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

int64_t amount_in(const json& figures) {
  int64_t sum = 0;
  for (const auto& t : figures["total"]) sum += t["amount"].get<int64_t>();
  return sum;
}

}  // namespace

TEST_CASE("sales statistics over HTTP: moved by orders, scoped by role, bad parameters named") {
  TestServer s;
  const std::string admin = s.admin_token();
  auto team = s.request("POST", "/api/v1/teams", admin, {{"name", "华东销售部"}});
  const int64_t rep_id = s.add_user("zhang.wei", "sales");
  const int64_t outsider_id = s.add_user("li.na", "sales");
  const int64_t manager_id = s.add_user("chen.jing", "manager");
  for (int64_t id : {rep_id, manager_id}) {
    auto u = s.request("GET", "/api/v1/users/" + std::to_string(id), admin);
    REQUIRE(s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin, {{"rev", u.body["rev"]}, {"team_id", team.body["id"]}}).status == 200);
  }
  s.add_user("sun.li", "service");
  const std::string rep = s.login("zhang.wei"), outsider = s.login("li.na"), manager = s.login("chen.jing"), service = s.login("sun.li");
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "P-1"}, {"name", "服务器"}, {"price", 10000}, {"stock", 100}}).body;
  auto order_for = [&](const std::string& token, const std::string& date, int quantity) {
    auto customer = s.request("POST", "/api/v1/customers", token, {{"name", "客户" + date + std::to_string(quantity)}, {"type", "individual"}});
    REQUIRE(customer.status == 201);
    auto order = s.request("POST", "/api/v1/orders", token,
                           {{"customer_id", customer.body["id"]}, {"order_date", date},
                            {"items", json::array({json::object({{"product_id", product["id"]}, {"quantity", quantity}})})}});
    REQUIRE(order.status == 201);
    return order.body;
  };
  order_for(rep, "2026-03-31", 2);       // 20,000 in March, the team's rep
  auto april = order_for(outsider, "2026-04-01", 3);  // 30,000 in April, outside the team
  const std::string range = "/api/v1/stats/sales?group=month&from=2026-01-01&to=2026-06-30";

  auto all = s.request("GET", range, admin);
  REQUIRE(all.status == 200);
  CHECK(amount_in(all.body) == 50000);
  CHECK(all.body["series"].size() == 6);
  CHECK(all.body["series"][2] == json({{"period", "2026-03"}, {"currency", "CNY"}, {"orders", 1}, {"quantity", 2}, {"amount", 20000}}));
  CHECK(all.body["series"][3]["amount"] == 30000);
  CHECK(amount_in(s.request("GET", range, manager).body) == 20000);  // the team's
  CHECK(amount_in(s.request("GET", range, rep).body) == 20000);      // own
  CHECK(amount_in(s.request("GET", range, outsider).body) == 30000);
  CHECK(amount_in(s.request("GET", range + "&team_id=" + std::to_string(team.body["id"].get<int64_t>()), admin).body) == 20000);
  CHECK(amount_in(s.request("GET", range + "&owner_id=" + std::to_string(outsider_id), manager).body) == 0);  // outside the reach
  CHECK(s.request("GET", range, service).status == 404);

  // Cancelling an order takes it out of the figures at once.
  auto cancelled = s.request("PATCH", "/api/v1/orders/" + std::to_string(april["id"].get<int64_t>()), outsider,
                             {{"rev", april["rev"]}, {"status", "cancelled"}});
  REQUIRE(cancelled.status == 200);
  CHECK(amount_in(s.request("GET", range, admin).body) == 20000);

  auto bad = s.request("GET", "/api/v1/stats/sales?group=week&from=2026-13-01", admin, nullptr, {{"Accept-Language", "en"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["code"] == "bad_request");
  CHECK(bad.body["error"]["fields"].contains("group"));
  auto unknown = s.request("GET", "/api/v1/stats/sales?grop=day", admin);
  CHECK(unknown.status == 400);
  CHECK(unknown.body.dump().find("grop") != std::string::npos);
  CHECK(s.request("GET", "/api/v1/stats/sales", "").status == 401);

  // The default range ends on today in Asia/Shanghai.
  auto defaults = s.request("GET", "/api/v1/stats/sales?group=day", admin);
  REQUIRE(defaults.status == 200);
  const std::string shanghai_today = format_rfc3339_ms(s.app().clock().now_ms() + 8 * 3600 * 1000).substr(0, 10);
  CHECK(defaults.body["to"] == shanghai_today);
  CHECK(defaults.body["series"].size() == 30);

  // A time zone the system's database does not know is refused by name.
  auto settings = s.request("PUT", "/api/v1/admin/settings", admin, {{"time_zone", "Mars/Olympus_Mons"}});
  CHECK(settings.status == 422);
  CHECK(settings.body["error"]["fields"].contains("time_zone"));
}
