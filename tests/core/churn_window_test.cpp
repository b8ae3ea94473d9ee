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
  auto number = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto pick = [&](const auto& v) { return v[static_cast<size_t>(number(0, static_cast<int64_t>(v.size()) - 1))]; };
  // Order dates around the window: from three weeks back to two days ahead of today.
  auto near_date = [&] { return date_of_day(day_of_date(today()) + number(-21, 2)); };
  auto items = [&] {
    return json::array({json{{"product_id", product}, {"quantity", number(1, 5)}, {"unit_price", number(1, 9999)}}});
  };
  std::vector<int64_t> orders;
  auto live_customers = customers;
  size_t fell_seen = 0, moved = 0, recounted = 0;
  for (int step = 0; step < 1200; ++step) {
    const int64_t what = number(0, 99);
    if (orders.empty() || what < 45) {
      json input = {{"customer_id", pick(live_customers)},
                    {"owner_id", pick(reps)},
                    {"items", items()},
                    {"currency", number(0, 3) == 0 ? "USD" : "CNY"}};
      if (number(0, 9) > 0) input["order_date"] = near_date();  // else today in the company zone
      auto created = t.try_create(orders_def(), input);
      REQUIRE(created.ok());
      orders.push_back((*created)["id"].get<int64_t>());
    } else if (what < 85) {
      const int64_t id = pick(orders);
      auto current = get_record(t.db(), orders_def(), id);
      REQUIRE(current.ok());
      json patch;
      switch (number(0, 4)) {
        case 0:
          patch = {{"order_date", near_date()}};
          break;
        case 1:
          patch = {{"items", items()}};
          break;
        case 2:
          patch = {{"status", (*current)["status"] == "confirmed" ? "cancelled" : "confirmed"}};
          break;
        case 3:
          patch = {{"currency", (*current)["currency"] == "CNY" ? "USD" : "CNY"}};
          break;
        default:
          patch = {{"customer_id", pick(live_customers)}};
          break;
      }
      REQUIRE(t.try_update(orders_def(), id, patch, (*current)["rev"].get<int64_t>()).ok());
    } else if (what < 97) {
      const size_t at = static_cast<size_t>(number(0, static_cast<int64_t>(orders.size()) - 1));
      REQUIRE(t.try_delete(orders_def(), orders[at]).ok());
      orders.erase(orders.begin() + static_cast<long>(at));
    } else if (live_customers.size() > 5) {
      auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
      REQUIRE(txn.ok());
      REQUIRE(merge_customers(**txn, live_customers[0], live_customers.back(), Viewer::system()).ok());
      REQUIRE((*txn)->commit().ok());
      live_customers.pop_back();
    }
    if (step % 30 == 29) {
      // The day turns: mostly by one, sometimes by a few (moved day by day), sometimes by weeks (counted again).
      const int64_t r = number(0, 9);
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
