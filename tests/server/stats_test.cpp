// stats_test.cpp — GET /api/v1/stats/sales over the real server (SPEC §5, §3): figures move with the
// orders written through the API, each role sees its own reach (admin: all, manager: the team's, rep:
// own), roles without sales figures get 404, bad parameters a 400 naming them in the caller's language,
// and the default range ends on the company's today (Asia/Shanghai, from the system's tz database).
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "core/clock.h"
#include "core/stats/churn_window.h"
#include "core/stats/stats_upkeep.h"
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

TEST_CASE("every statistics endpoint over HTTP: figures follow API writes, each role its reach, bad input named") {
  TestServer s;
  const std::string admin = s.admin_token();
  auto team = s.request("POST", "/api/v1/teams", admin, {{"name", "华南销售部"}});
  const int64_t rep_id = s.add_user("wang.fang", "sales");
  const int64_t manager_id = s.add_user("zhao.lei", "manager");
  for (int64_t id : {rep_id, manager_id}) {
    auto u = s.request("GET", "/api/v1/users/" + std::to_string(id), admin);
    REQUIRE(s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin, {{"rev", u.body["rev"]}, {"team_id", team.body["id"]}}).status == 200);
  }
  s.add_user("other.rep", "sales");
  s.add_user("kefu", "service");
  s.add_user("hetong", "contract");
  const std::string rep = s.login("wang.fang"), manager = s.login("zhao.lei"), other = s.login("other.rep"),
                    service = s.login("kefu"), contract_dept = s.login("hetong");
  auto customer = s.request("POST", "/api/v1/customers", rep, {{"name", "深圳前海科技"}, {"type", "enterprise"}, {"source", "exhibition"}, {"level", "A"}});
  REQUIRE(customer.status == 201);
  auto others_customer = s.request("POST", "/api/v1/customers", other, {{"name", "别人的客户"}, {"type", "individual"}});
  REQUIRE(others_customer.status == 201);

  // Contracts: one signed (draft → pending_approval → signed) for 80,000, one left in draft.
  auto signed_contract = s.request("POST", "/api/v1/contracts", rep,
                                   {{"customer_id", customer.body["id"]}, {"title", "年度框架合同"}, {"amount", 80000}, {"signed_date", "2026-05-20"}});
  REQUIRE(signed_contract.status == 201);
  const std::string contract_path = "/api/v1/contracts/" + std::to_string(signed_contract.body["id"].get<int64_t>()) + "/transition";
  REQUIRE(s.request("POST", contract_path, rep, {{"to", "pending_approval"}}).status == 200);
  REQUIRE(s.request("POST", contract_path, manager, {{"to", "signed"}}).status == 200);
  REQUIRE(s.request("POST", "/api/v1/contracts", other, {{"customer_id", others_customer.body["id"]}, {"title", "草稿"}, {"amount", 5000}}).status == 201);
  const std::string contracts = "/api/v1/stats/contracts?from=2026-01-01&to=2026-12-31";
  auto all_contracts = s.request("GET", contracts, admin);
  REQUIRE(all_contracts.status == 200);
  int64_t signed_in_may = 0;
  for (const auto& m : all_contracts.body["by_month"])
    if (m["period"] == "2026-05") signed_in_may += m["amount"].get<int64_t>();
  CHECK(signed_in_may == 80000);
  CHECK(all_contracts.body["by_month"].size() == 12);
  CHECK(all_contracts.body["total"][0]["contracts"] == 2);
  CHECK(s.request("GET", contracts, contract_dept).body["total"][0]["contracts"] == 2);  // the contract department sees all
  CHECK(s.request("GET", contracts, manager).body["total"][0]["contracts"] == 1);        // the team's
  CHECK(s.request("GET", contracts, other).body["total"][0]["amount"] == 5000);          // own
  CHECK(s.request("GET", contracts, service).status == 404);

  // Funnel and forecast: one won, one lost, one open at 40 % expected in December.
  auto campaign = s.request("POST", "/api/v1/campaigns", admin, {{"name", "秋季展会"}, {"type", "event"}, {"actual_cost", 9000}});
  REQUIRE(campaign.status == 201);
  auto opportunity = [&](const std::string& stage, int64_t amount, int probability) {
    json input = {{"customer_id", customer.body["id"]}, {"title", "商机 " + stage}, {"stage", stage}, {"amount", amount},
                  {"probability", probability}, {"expected_close_date", "2026-12-15"}, {"campaign_id", campaign.body["id"]}};
    auto r = s.request("POST", "/api/v1/opportunities", rep, input);
    REQUIRE(r.status == 201);
    return r.body;
  };
  opportunity("won", 30000, 100);
  opportunity("lost", 10000, 0);
  opportunity("proposal", 50000, 40);
  auto funnel = s.request("GET", "/api/v1/stats/funnel", rep);
  REQUIRE(funnel.status == 200);
  CHECK(funnel.body["won"] == 1);
  CHECK(funnel.body["lost"] == 1);
  CHECK(funnel.body["win_rate"] == 0.5);
  CHECK(funnel.body["average_days_to_close"] == 0.0);  // won on the day it was created
  CHECK(s.request("GET", "/api/v1/stats/funnel", other).body["won"] == 0);
  auto forecast = s.request("GET", "/api/v1/stats/forecast", manager);
  REQUIRE(forecast.status == 200);
  REQUIRE(forecast.body["months"].size() == 1);
  CHECK(forecast.body["months"][0] == json({{"period", "2026-12"}, {"currency", "CNY"}, {"opportunities", 1}, {"amount", 50000}, {"weighted", 20000}}));

  // Campaigns: members by status, cost per response, revenue from the won opportunity.
  const std::string members = "/api/v1/campaigns/" + std::to_string(campaign.body["id"].get<int64_t>()) + "/members";
  REQUIRE(s.request("POST", members, admin, {{"customer_id", customer.body["id"]}, {"status", "responded"}}).status < 300);
  REQUIRE(s.request("POST", members, admin, {{"customer_id", others_customer.body["id"]}, {"status", "sent"}}).status < 300);
  auto campaigns = s.request("GET", "/api/v1/stats/campaigns", manager);
  REQUIRE(campaigns.status == 200);
  const json& c = campaigns.body["campaigns"][0];
  CHECK(c["members"]["responded"] == 1);
  CHECK(c["members"]["sent"] == 1);
  CHECK(c["cost_per_response"] == 9000);
  CHECK(c["won"] == 1);
  CHECK(c["revenue"] == json::array({{{"currency", "CNY"}, {"amount", 30000}}}));
  CHECK(s.request("GET", "/api/v1/stats/campaigns", rep).status == 404);

  // Tickets: created, then resolved with a resolution and rated 4.
  auto ticket = s.request("POST", "/api/v1/tickets", service, {{"type", "complaint"}, {"subject", "发票开错"}, {"customer_id", customer.body["id"]}});
  REQUIRE(ticket.status == 201);
  const std::string ticket_path = "/api/v1/tickets/" + std::to_string(ticket.body["id"].get<int64_t>());
  const int64_t service_id = s.request("GET", "/api/v1/me", service).body["user"]["id"].get<int64_t>();
  auto t1 = s.request("GET", ticket_path, service).body;
  REQUIRE(s.request("PATCH", ticket_path, service, {{"rev", t1["rev"]}, {"assignee_id", service_id}}).status == 200);
  for (const char* to : {"assigned", "in_progress"}) REQUIRE(s.request("POST", ticket_path + "/transition", service, {{"to", to}}).status == 200);
  auto t2 = s.request("GET", ticket_path, service).body;
  REQUIRE(s.request("PATCH", ticket_path, service, {{"rev", t2["rev"]}, {"resolution", "已重开发票"}, {"satisfaction", 4}}).status == 200);
  REQUIRE(s.request("POST", ticket_path + "/transition", service, {{"to", "resolved"}}).status == 200);
  auto tickets = s.request("GET", "/api/v1/stats/tickets", service);
  REQUIRE(tickets.status == 200);
  CHECK(tickets.body["tickets"] == 1);
  CHECK(tickets.body["resolved"] == 1);
  CHECK(tickets.body["by_status"] == json::array({{{"status", "resolved"}, {"tickets", 1}}}));
  CHECK(tickets.body["satisfaction"]["average"] == 4.0);
  CHECK(s.request("GET", "/api/v1/stats/tickets", manager).status == 404);

  // Customers and the split, by reach; sales per team and per customer.
  auto customers = s.request("GET", "/api/v1/stats/customers", admin);
  REQUIRE(customers.status == 200);
  CHECK(customers.body["total"] == 2);
  CHECK(s.request("GET", "/api/v1/stats/customers", rep).body["by_level"] == json::array({{{"value", "A"}, {"customers", 1}}}));
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "P-9"}, {"name", "交换机"}, {"price", 7000}, {"stock", 10}}).body;
  auto order = s.request("POST", "/api/v1/orders", rep,
                         {{"customer_id", customer.body["id"]}, {"order_date", "2026-06-01"},
                          {"items", json::array({json::object({{"product_id", product["id"]}, {"quantity", 2}})})}});
  REQUIRE(order.status == 201);
  auto by_team = s.request("GET", "/api/v1/stats/sales/by-team?from=2026-01-01&to=2026-12-31", admin);
  REQUIRE(by_team.status == 200);
  REQUIRE(by_team.body["teams"].size() == 1);
  CHECK(by_team.body["teams"][0]["team_id"] == team.body["id"]);
  CHECK(by_team.body["teams"][0]["amount"] == 14000);
  CHECK(by_team.body["teams"][0]["members"][0]["owner_id"] == rep_id);
  auto by_customer = s.request("GET", "/api/v1/stats/sales/by-customer?from=2026-01-01&to=2026-12-31", manager);
  REQUIRE(by_customer.status == 200);
  CHECK(by_customer.body["customers"][0]["name"] == "深圳前海科技");
  CHECK(by_customer.body["customers"][0]["series"].size() == 12);
  CHECK(s.request("GET", "/api/v1/stats/sales/by-customer?from=2026-01-01&to=2026-12-31", other).body["customers"].empty());

  // Churn: both customers made long ago and last heard of in January 2025 are forgotten (no_contact wins
  // over a fall in orders); each rep sees their own.
  {
    auto lease = s.app().db().write();
    REQUIRE(lease.db().exec("UPDATE customers SET created_at = '2024-12-01T00:00:00.000Z', last_contact_at = NULL,"
                            " last_order_at = '2025-01-15T00:00:00.000Z'").ok());
  }
  auto churn = s.request("GET", "/api/v1/stats/churn?days=90", admin);
  REQUIRE(churn.status == 200);
  CHECK(churn.body["customers"].size() == 2);
  CHECK(churn.body["customers"][0]["reason"] == "no_contact");
  CHECK(churn.body["customers"][1]["reason"] == "no_contact");
  CHECK(churn.body["customers"][0]["last_order_at"] == "2025-01-15T00:00:00.000Z");
  auto own = s.request("GET", "/api/v1/stats/churn", rep).body["customers"];
  REQUIRE(own.size() == 1);
  CHECK(own[0]["customer_id"] == customer.body["id"]);

  // Every endpoint: unknown parameters and bad values named, signed-out callers refused.
  for (const char* path : {"sales/by-customer", "sales/by-team", "contracts", "funnel", "forecast", "campaigns", "tickets", "customers", "churn"}) {
    INFO(path);
    const std::string url = std::string("/api/v1/stats/") + path;
    CHECK(s.request("GET", url, "").status == 401);
    auto unknown = s.request("GET", url + "?colour=red", admin);
    CHECK(unknown.status == 400);
    CHECK(unknown.body["error"]["fields"].contains("colour"));
  }
  auto bad_days = s.request("GET", "/api/v1/stats/churn?days=0", admin, nullptr, {{"Accept-Language", "en"}});
  CHECK(bad_days.status == 400);
  CHECK(bad_days.body["error"]["fields"].contains("days"));
  CHECK(s.request("GET", "/api/v1/stats/funnel?from=2026-02-30", admin).body["error"]["fields"].contains("from"));
  CHECK(s.request("GET", "/api/v1/stats/sales/by-customer?limit=1000", admin).body["error"]["fields"].contains("limit"));
  CHECK(s.request("GET", "/api/v1/stats/contracts?team_id=x", admin).body["error"]["fields"].contains("team_id"));
}

namespace {

// Waits until the server's scheduled jobs have finished `rounds` rounds (at most 10 s).
void wait_for_job_rounds(TestServer& s, int64_t rounds) {
  for (int i = 0; i < 1000 && s.app().jobs().rounds() < rounds; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(s.app().jobs().rounds() >= rounds);
}

// One customer whose single order lies 90 days back: in yesterday's 90-day window it was "now", in
// today's it is "before". Leaves the kept window where a server running since yesterday would hold it.
// Returns the customer's id and today's company date.
std::pair<json, std::string> order_ninety_days_back_window_at_yesterday(TestServer& s) {
  const std::string admin = s.admin_token();
  std::string today;
  {
    auto lease = s.app().db().read();
    auto date = company_date(lease.db(), s.app().clock().now_ms());
    REQUIRE(date.ok());
    today = *date;
  }
  auto day = [&](int64_t back) { return date_of_day(day_of_date(today) - back); };
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "P-7"}, {"name", "路由器"}, {"price", 5000}, {"stock", 100}}).body;
  auto customer = s.request("POST", "/api/v1/customers", admin, {{"name", "刚好九十天"}, {"type", "individual"}});
  REQUIRE(customer.status == 201);
  REQUIRE(s.request("POST", "/api/v1/orders", admin,
                    {{"customer_id", customer.body["id"]}, {"order_date", day(90)},
                     {"items", json::array({json::object({{"product_id", product["id"]}, {"quantity", 1}})})}})
              .status == 201);
  auto lease = s.app().db().write();
  auto txn = Transaction::begin(lease.db(), true);
  REQUIRE(txn.ok());
  REQUIRE(bring_churn_window_to(lease.db(), 90, day(1)).ok());
  REQUIRE((*txn)->commit().ok());
  CHECK(lease.db().query_int("SELECT amount_now FROM churn_window").value() == 5000);
  return {customer.body["id"], today};
}

// The kept window is 90 days long, ends on `today` and agrees with a count from the daily sales.
void require_window_at(TestServer& s, const std::string& today) {
  auto lease = s.app().db().read();
  auto window = churn_window(lease.db());
  REQUIRE(window.ok());
  REQUIRE(window->has_value());
  CHECK((*window)->as_of == today);
  CHECK((*window)->days == 90);
  CHECK(lease.db().query_int("SELECT amount_before FROM churn_window").value() == 5000);
  auto differences = check_churn_window(lease.db());
  REQUIRE(differences.ok());
  CHECK(differences->empty());
}

}  // namespace

TEST_CASE("a churn read that finds the kept window behind moves it to the company's today first") {
  TestServer s([](server::ServerConfig& c) { c.job_tick_ms = 3'600'000; });  // the job's next round: an hour away
  wait_for_job_rounds(s, 1);
  auto [customer, today] = order_ninety_days_back_window_at_yesterday(s);
  auto churn = s.request("GET", "/api/v1/stats/churn", s.admin_token());
  REQUIRE(churn.status == 200);
  REQUIRE(churn.body["customers"].size() == 1);
  CHECK(churn.body["customers"][0]["customer_id"] == customer);
  CHECK(churn.body["customers"][0]["reason"] == "orders_fell");
  CHECK(churn.body["customers"][0]["amount_before"] == 5000);
  CHECK(churn.body["customers"][0]["amount_now"] == 0);
  require_window_at(s, today);
}

TEST_CASE("a running server's job moves the kept churn window to the company's today without a read") {
  TestServer s([](server::ServerConfig& c) { c.job_tick_ms = 20; });
  wait_for_job_rounds(s, 1);
  auto [customer, today] = order_ninety_days_back_window_at_yesterday(s);
  wait_for_job_rounds(s, s.app().jobs().rounds() + 2);  // a whole round begun after the window was put back
  require_window_at(s, today);
}
