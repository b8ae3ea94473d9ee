// churn_window_test.cpp — the churn list's kept comparison (core/stats/churn_window.h) through random
// writes and turning days: after every batch it must equal a count from the daily sales, and the churn
// list read from it must equal the list summed when asked (the window forgotten).
#include <doctest/doctest.h>

#include <random>

#include "core/clock.h"
#include "core/stats/churn.h"
#include "core/stats/churn_window.h"
#include "tests/core/stats_test_support.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 86'400'000;

void require_window_exact(TestDb& t) {
  auto differences = check_churn_window(t.db());
  REQUIRE(differences.ok());
  for (const auto& d : *differences) MESSAGE(d);
  REQUIRE(differences->empty());
}

void in_transaction(TestDb& t, const std::function<Status()>& work) {
  auto txn = Transaction::begin(t.db(), true);
  REQUIRE(txn.ok());
  REQUIRE(work().ok());
  REQUIRE((*txn)->commit().ok());
}

// The churn list as `viewer` sees it from the kept window, and as summed when asked (window forgotten,
// then brought back).
std::pair<json, json> kept_and_summed(TestDb& t, const Viewer& viewer, int64_t days, const std::string& today) {
  const StatParamMap params{{"limit", "500"}};
  const int64_t now = t.clock().now_ms();
  auto at = churn_window_is_at(t.db(), days, today);
  REQUIRE(at.ok());
  REQUIRE(*at);
  auto kept = churn_list(t.db(), viewer, params, today, now);
  REQUIRE(kept.ok());
  in_transaction(t, [&] { return forget_churn_window(t.db()); });
  auto summed = churn_list(t.db(), viewer, params, today, now);
  REQUIRE(summed.ok());
  in_transaction(t, [&] { return bring_churn_window_to(t.db(), days, today); });
  return {*kept, *summed};
}

}  // namespace

TEST_CASE("the churn window stays equal to a count from the daily sales through random writes and turning days") {
  ZonesInstalled zones;
  TestDb t;
  constexpr int64_t kDays = 7;
  t.put_settings({{"churn_days", kDays}});
  std::vector<int64_t> reps = {add_user(t, "rep1", "sales"), add_user(t, "rep2", "sales"),
                               add_user(t, "rep3", "sales")};
  const int64_t product =
      t.create(products_def(), {{"sku", "P"}, {"name", "产品"}, {"price", 100}, {"stock", 1'000'000'000}})["id"]
          .get<int64_t>();
  std::vector<int64_t> customers;
  for (int i = 0; i < 15; ++i)
    customers.push_back(t.create(customers_def(), {{"name", "客户" + std::to_string(i)},
                                                   {"type", "individual"},
                                                   {"owner_id", reps[static_cast<size_t>(i) % 3]}})["id"]
                            .get<int64_t>());
  // Noon in Shanghai, so the company's date is the UTC date.
  t.clock().set_ms(parse_rfc3339_ms("2026-03-01T04:00:00Z"));
  auto today = [&] { return format_rfc3339_ms(t.clock().now_ms()).substr(0, 10); };
  in_transaction(t, [&] { return bring_churn_window_to(t.db(), kDays, today()); });

  std::mt19937 rng(20261124);
  // Order dates around the window: from three weeks back to two days ahead of today; else today.
  const auto near_date = [&]() -> std::string {
    if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) return "";
    return date_of_day(day_of_date(today()) + std::uniform_int_distribution<int64_t>(-21, 2)(rng));
  };
  RandomOrders writer(
      t, rng, near_date,
      [&] {
        return json::array({json{{"product_id", product}, {"quantity", std::uniform_int_distribution<int>(1, 5)(rng)},
                                 {"unit_price", std::uniform_int_distribution<int>(1, 9999)(rng)}}});
      });
  auto live_customers = customers;
  size_t fell_seen = 0, moved = 0, recounted = 0;
  for (int step = 0; step < 1200; ++step) {
    const int roll = static_cast<int>(writer.number(0, 99));
    if (!writer.write(roll, step, live_customers, reps) && roll >= 97 && live_customers.size() > 5) {
      auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
      REQUIRE(txn.ok());
      REQUIRE(merge_customers(**txn, live_customers[0], live_customers.back(), Viewer::system()).ok());
      REQUIRE((*txn)->commit().ok());
      live_customers.pop_back();
    }
    if (step % 30 == 29) {
      // The day turns: mostly by one, sometimes by a few (moved day by day), sometimes by weeks (counted again).
      const int64_t r = writer.number(0, 9);
      const int64_t turn = r < 7 ? 1 : r < 9 ? 3 : 12;
      (turn <= 7 ? moved : recounted) += 1;
      t.clock().advance_ms(turn * kDay);
      in_transaction(t, [&] { return bring_churn_window_to(t.db(), kDays, today()); });
      require_window_exact(t);
    }
    if (step % 120 == 119) {
      require_exact(t);  // the statistics tables and the window
      for (const Viewer& viewer : {Viewer::system(), Viewer{reps[1], "sales", std::nullopt}}) {
        auto [kept, summed] = kept_and_summed(t, viewer, kDays, today());
        CHECK(kept == summed);
        for (const auto& row : kept["customers"]) fell_seen += row["reason"] == "orders_fell";
      }
    }
  }
  CHECK(fell_seen > 10);
  CHECK(moved > 10);
  CHECK(recounted > 0);

  // Another length is counted again; a time-zone change forgets the window, which is counted afresh.
  in_transaction(t, [&] { return bring_churn_window_to(t.db(), 3, today()); });
  require_window_exact(t);
  t.put_settings({{"time_zone", "UTC"}});
  auto window = churn_window(t.db());
  REQUIRE(window.ok());
  CHECK(!window->has_value());
  in_transaction(t, [&] { return bring_churn_window_to(t.db(), kDays, today()); });
  require_exact(t);
}

TEST_CASE("check_churn_window names a tampered row of the kept window") {
  ZonesInstalled zones;
  TestDb t;
  const int64_t customer = t.create(customers_def(), {{"name", "客户"}, {"type", "individual"}})["id"].get<int64_t>();
  const int64_t product =
      t.create(products_def(), {{"sku", "P"}, {"name", "产品"}, {"price", 100}, {"stock", 1000}})["id"].get<int64_t>();
  t.clock().set_ms(parse_rfc3339_ms("2026-03-10T04:00:00Z"));
  t.create(orders_def(),
           {{"customer_id", customer},
            {"order_date", "2026-03-09"},
            {"items", json::array({json{{"product_id", product}, {"quantity", 2}, {"unit_price", 500}}})}});
  in_transaction(t, [&] { return bring_churn_window_to(t.db(), 30, "2026-03-10"); });
  require_window_exact(t);
  CHECK(t.count("SELECT amount_now FROM churn_window WHERE customer_id = " + std::to_string(customer)) == 1000);
  REQUIRE(t.db().run("UPDATE churn_window SET amount_before = 7").ok());
  auto differences = check_churn_window(t.db());
  REQUIRE(differences.ok());
  REQUIRE(differences->size() == 1);
  CHECK((*differences)[0] ==
        "churn_window [" + std::to_string(customer) + ", CNY]: stored [1000, 7], counted [1000, 0]");
}
