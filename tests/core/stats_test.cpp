// stats_test.cpp — the statistics tables (core/stats/) against counts made here from the raw order rows:
// thousands of random creates, edits of past orders, cancellations, deletions and customer merges, after
// each of which the kept figures must equal a count from scratch; and /stats/sales's series against an
// independent sum over the orders, at the edges of days, months, years and leap days, in two currencies.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "core/stats/sales_stats.h"
#include "core/stats/stats_upkeep.h"
#include "tests/core/stats_test_support.h"

using namespace kehu;
using nlohmann::json;
using namespace kehu::test;

namespace {

// The independent count: every confirmed order's total per (period, currency), from the order rows.
std::map<std::pair<std::string, std::string>, std::array<int64_t, 3>> count_orders(test::TestDb& t, size_t label_length,
                                                                                  const std::string& where = "1") {
  std::map<std::pair<std::string, std::string>, std::array<int64_t, 3>> out;
  auto s = t.db().prepare("SELECT order_date, currency, total, items FROM orders WHERE status = 'confirmed' AND " + where);
  REQUIRE(s.ok());
  while (*(*s)->step()) {
    auto& sums = out[{std::string((*s)->column_text(0)).substr(0, label_length), std::string((*s)->column_text(1))}];
    int64_t quantity = 0;
    for (const auto& line : json::parse((*s)->column_text(3))) quantity += line["quantity"].get<int64_t>();
    sums[0] += 1;
    sums[1] += quantity;
    sums[2] += (*s)->column_int(2);
  }
  return out;
}

void check_series(const json& figures, const std::map<std::pair<std::string, std::string>, std::array<int64_t, 3>>& expected) {
  size_t matched = 0;
  for (const auto& point : figures["series"]) {
    auto it = expected.find({point["period"].get<std::string>(), point["currency"].get<std::string>()});
    std::array<int64_t, 3> want = it == expected.end() ? std::array<int64_t, 3>{0, 0, 0} : it->second;
    matched += it != expected.end();
    INFO(point.dump());
    CHECK(point["orders"] == want[0]);
    CHECK(point["quantity"] == want[1]);
    CHECK(point["amount"] == want[2]);
  }
  CHECK(matched == expected.size());  // every counted period is in the range asked for
}

Result<json> sales(test::TestDb& t, const Viewer& viewer, std::multimap<std::string, std::string> params) {
  return sales_statistics(t.db(), viewer, params, "2026-12-31");
}

}  // namespace

TEST_CASE("statistics stay equal to a count from scratch through random order changes, merges, deletions and team moves") {
  ZonesInstalled zones;
  test::TestDb t;
  std::vector<int64_t> reps = {add_user(t, "rep1", "sales"), add_user(t, "rep2", "sales"), add_user(t, "rep3", "sales")};
  // Teams rank their reps' sales; reps move between them (and out of any) as the steps go.
  const std::vector<json> teams = {t.create(teams_def(), {{"name", "华东"}})["id"], t.create(teams_def(), {{"name", "华南"}})["id"], nullptr};
  std::vector<int64_t> products;
  for (int i = 0; i < 4; ++i)
    products.push_back(t.create(products_def(), {{"sku", "P" + std::to_string(i)}, {"name", "产品" + std::to_string(i)},
                                                 {"price", 100 * (i + 1)}, {"stock", 1'000'000'000}})["id"].get<int64_t>());
  std::vector<int64_t> customers;
  for (int i = 0; i < 12; ++i)
    customers.push_back(t.create(customers_def(), {{"name", "客户" + std::to_string(i)}, {"type", "individual"},
                                                   {"owner_id", reps[static_cast<size_t>(i) % 3]}})["id"].get<int64_t>());

  std::mt19937 rng(20261124);
  const std::vector<std::string> dates = {"2024-02-28", "2024-02-29", "2024-03-01", "2024-12-31", "2025-01-01",
                                          "2025-06-15", "2025-12-31", "2026-01-01", "2026-03-31", "2026-04-01"};
  const auto some_date = [&]() -> std::string {  // "" one time in ten: today in the company zone
    if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) return "";
    return dates[std::uniform_int_distribution<size_t>(0, dates.size() - 1)(rng)];
  };
  RandomOrders writer(
      t, rng, some_date,
      [&] {
        json items = json::array();
        const int lines = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int i = 0; i < lines; ++i) {
          json line = {{"product_id", products[std::uniform_int_distribution<size_t>(0, products.size() - 1)(rng)]},
                       {"quantity", std::uniform_int_distribution<int>(1, 9)(rng)}};
          if (std::uniform_int_distribution<int>(0, 1)(rng)) line["unit_price"] = std::uniform_int_distribution<int>(1, 100000)(rng);
          items.push_back(line);
        }
        return items;
      });
  auto live_customers = customers;
  for (int step = 0; step < 1500; ++step) {
    const int what = static_cast<int>(writer.number(0, 99));
    if (writer.write(what, step, live_customers, reps)) {
      // An order written, edited or deleted.
    } else if (what < 97) {
      // A rep moves to the other team or out of any, taking their sales along.
      const int64_t rep = writer.pick(reps);
      auto current = get_record(t.db(), users_def(), rep);
      REQUIRE(current.ok());
      REQUIRE(t.try_update(users_def(), rep, {{"team_id", writer.pick(teams)}}, (*current)["rev"].get<int64_t>()).ok());
    } else if (live_customers.size() > 3) {
      // A merge moves the merged customer's orders to the kept one.
      const int64_t keep = live_customers[0];
      const int64_t merge = live_customers.back();
      auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
      REQUIRE(txn.ok());
      REQUIRE(merge_customers(**txn, keep, merge, Viewer::system()).ok());
      REQUIRE((*txn)->commit().ok());
      live_customers.pop_back();
    }
    if (step % 50 == 0) t.clock().advance_ms(7 * 3600 * 1000);  // "today" moves across days
    if (step % 100 == 99) require_exact(t);
  }
  require_exact(t);
  CHECK(t.count("SELECT count(*) FROM stat_sales_customer_month") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_sales_customer_team_period") > 0);  // some rep ended in a team

  // Every series against the independent count over the order rows.
  check_series(*sales(t, Viewer::system(), {{"group", "month"}, {"from", "2024-01-01"}, {"to", "2026-12-31"}}), count_orders(t, 7));
  check_series(*sales(t, Viewer::system(), {{"group", "year"}, {"from", "2024-01-01"}, {"to", "2026-12-31"}}), count_orders(t, 4));
  check_series(*sales(t, Viewer::system(), {{"group", "day"}, {"from", "2024-01-01"}, {"to", "2026-12-31"}}), count_orders(t, 10));
  check_series(*sales(t, Viewer::system(), {{"group", "month"}, {"from", "2024-01-01"}, {"to", "2026-12-31"},
                                            {"owner_id", std::to_string(reps[1])}}),
               count_orders(t, 7, "owner_id = " + std::to_string(reps[1])));
  check_series(*sales(t, Viewer::system(), {{"group", "day"}, {"from", "2024-01-01"}, {"to", "2026-12-31"},
                                            {"customer_id", std::to_string(customers[0])}}),
               count_orders(t, 10, "customer_id = " + std::to_string(customers[0])));
  // A rep sees their own orders only, whatever owner they ask for.
  const Viewer rep{reps[2], "sales", std::nullopt};
  check_series(*sales(t, rep, {{"group", "month"}, {"from", "2024-01-01"}, {"to", "2026-12-31"}}),
               count_orders(t, 7, "owner_id = " + std::to_string(reps[2])));
  auto other = sales(t, rep, {{"group", "year"}, {"from", "2024-01-01"}, {"to", "2026-12-31"}, {"owner_id", std::to_string(reps[0])}});
  REQUIRE(other.ok());
  for (const auto& point : (*other)["series"]) CHECK(point["amount"] == 0);

  // Rebuilding gives the same tables.
  auto before = t.count("SELECT sum(amount) + count(*) FROM stat_sales_product_day");
  {
    auto txn = Transaction::begin(t.db(), true);
    REQUIRE(txn.ok());
    REQUIRE(rebuild_statistics(t.db()).ok());
    REQUIRE((*txn)->commit().ok());
  }
  CHECK(t.count("SELECT sum(amount) + count(*) FROM stat_sales_product_day") == before);
  require_exact(t);
}

TEST_CASE("an order counts on its order date, or on today in the company time zone; a product counts its own lines") {
  ZonesInstalled zones;
  test::TestDb t;
  const int64_t p1 = t.create(products_def(), {{"sku", "A"}, {"name", "甲"}, {"price", 1000}, {"stock", 100}})["id"].get<int64_t>();
  const int64_t p2 = t.create(products_def(), {{"sku", "B"}, {"name", "乙"}, {"price", 250}, {"stock", 100}})["id"].get<int64_t>();
  const int64_t c = t.create(customers_def(), {{"name", "客户"}, {"type", "individual"}})["id"].get<int64_t>();
  // 2026-01-31T16:01 UTC is 2026-02-01 00:01 in Shanghai; 15:59 UTC is 23:59 on the 31st.
  t.clock().set_ms(parse_rfc3339_ms("2026-01-31T16:01:00Z"));
  auto feb = t.create(orders_def(), {{"customer_id", c}, {"items", json::array({json::object({{"product_id", p1}, {"quantity", 2}})})}});
  CHECK(feb["order_date"] == "2026-02-01");
  t.clock().set_ms(parse_rfc3339_ms("2026-01-31T15:59:00Z"));
  auto jan = t.create(orders_def(), {{"customer_id", c},
                                     {"items", json::array({json::object({{"product_id", p1}, {"quantity", 1}}),
                                                            json::object({{"product_id", p2}, {"quantity", 4}})})}});
  CHECK(jan["order_date"] == "2026-01-31");
  require_exact(t);

  auto months = sales(t, Viewer::system(), {{"group", "month"}, {"from", "2026-01-01"}, {"to", "2026-02-28"}});
  REQUIRE(months.ok());
  REQUIRE((*months)["series"].size() == 2);
  CHECK((*months)["series"][0] == json({{"period", "2026-01"}, {"currency", "CNY"}, {"orders", 1}, {"quantity", 5}, {"amount", 2000}}));
  CHECK((*months)["series"][1] == json({{"period", "2026-02"}, {"currency", "CNY"}, {"orders", 1}, {"quantity", 2}, {"amount", 2000}}));
  CHECK((*months)["total"] == json::array({json::object({{"currency", "CNY"}, {"orders", 2}, {"quantity", 7}, {"amount", 4000}})}));
  auto product = sales(t, Viewer::system(), {{"group", "year"}, {"from", "2026-01-01"}, {"to", "2026-12-31"},
                                             {"product_id", std::to_string(p2)}});
  REQUIRE(product.ok());
  CHECK((*product)["series"][0]["orders"] == 1);
  CHECK((*product)["series"][0]["quantity"] == 4);
  CHECK((*product)["series"][0]["amount"] == 1000);

  // Cancelling takes the order out; confirming again puts it back.
  auto cancelled = t.try_update(orders_def(), feb["id"].get<int64_t>(), {{"status", "cancelled"}}, feb["rev"].get<int64_t>());
  REQUIRE(cancelled.ok());
  CHECK(t.count("SELECT count(*) FROM stat_sales_day WHERE day = '2026-02-01'") == 0);
  require_exact(t);
}

TEST_CASE("sales statistics refuse bad parameters by name and roles without sales figures") {
  test::TestDb t;
  auto refused = [&](std::multimap<std::string, std::string> params, const std::string& field) {
    auto r = sales(t, Viewer::system(), std::move(params));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_request);
    CHECK(r.error().fields.count(field) == 1);
  };
  refused({{"group", "week"}}, "group");
  refused({{"from", "2026-02-30"}}, "from");
  refused({{"to", "yesterday"}}, "to");
  refused({{"from", "2026-05-01"}, {"to", "2026-04-01"}}, "to");
  refused({{"group", "day"}, {"from", "2020-01-01"}, {"to", "2026-01-01"}}, "from");
  refused({{"group", "month"}, {"from", "0001-01-01"}, {"to", "2026-01-01"}}, "from");
  REQUIRE(sales(t, Viewer::system(), {{"group", "year"}, {"from", "0001-01-01"}, {"to", "2026-01-01"}}).ok());
  refused({{"owner_id", "-3"}}, "owner_id");
  refused({{"team_id", "1; DROP TABLE orders"}}, "team_id");
  refused({{"customer_id", "99999999999999999999"}}, "customer_id");
  refused({{"customer_id", "1"}, {"product_id", "2"}}, "product_id");
  refused({{"group", "day"}, {"group", "month"}}, "group");
  for (const char* role : {"service", "contract", "viewer"}) {
    auto r = sales(t, Viewer{7, role, std::nullopt}, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::not_found);
  }
  // The defaults: the last 12 months up to today, zeros where nothing was sold.
  auto figures = sales(t, Viewer::system(), {});
  REQUIRE(figures.ok());
  CHECK((*figures)["from"] == "2026-01-01");
  CHECK((*figures)["series"].size() == 12);
  CHECK((*figures)["series"].back()["period"] == "2026-12");
}

TEST_CASE("a change of the company time zone counts every timestamp again on its new local day") {
  ZonesInstalled zones;
  TestDb t;
  // 16:30 UTC on 31 January is already 1 February in Shanghai (UTC+8).
  t.clock().set_ms(parse_rfc3339_ms("2026-01-31T16:30:00Z"));
  t.create(customers_def(), {{"name", "跨月客户"}, {"type", "individual"}, {"source", "website"}});
  auto month_count = [&](const std::string& month) {
    return t.count("SELECT ifnull(sum(customers), 0) FROM stat_customers_month WHERE month = '" + month + "'");
  };
  CHECK(month_count("2026-02") == 1);
  CHECK(month_count("2026-01") == 0);
  t.put_settings({{"time_zone", "UTC"}});
  CHECK(month_count("2026-02") == 0);
  CHECK(month_count("2026-01") == 1);
  require_exact(t);
  t.put_settings({{"time_zone", "Asia/Shanghai"}});
  CHECK(month_count("2026-02") == 1);
  require_exact(t);
}
