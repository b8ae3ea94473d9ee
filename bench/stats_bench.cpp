// stats_bench.cpp — kehu-bench-stats: what the statistics cost on a database of many orders (issue 7:
// every stats endpoint p95 <= 20 ms with 1M orders).
//
//   kehu-bench-stats [--orders N] [--db PATH] [--iterations N]
//
// Builds a database of N orders (default 1,000,000) over 3 years, 200 reps in 10 teams, 100,000
// customers and 500 products (1-3 lines each, 10 % in USD, 5 % cancelled), written as rows, then counts
// the statistics from scratch (what migration 4 does to an existing database) and prints how long that took
// and how large the tables are. Then p50/p95/max of sales_statistics() for the series a dashboard asks for,
// as an administrator, a manager (the team's) and a rep (own); and the cost the upkeep adds to writing an
// order (create, edit of a past order, cancel) through the record store.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"
#include "core/stats/sales_stats.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"
#include "core/users/user_store.h"

namespace {

using namespace kehu;
using bench::time_ms;
using nlohmann::json;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-stats: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r.ok()) fail(what + ": " + r.error().message.en);
  return std::move(r).value();
}

void report(const std::string& what, std::vector<double> ms) {
  bench::Percentiles p = bench::percentiles(std::move(ms));
  std::printf("%-46s %8.3f %8.3f %8.3f\n", what.c_str(), p.p50, p.p95, p.max);
}

std::string date_in_range(std::mt19937& rng) {
  return date_of_day(day_of_civil(2024, 1, 1) + std::uniform_int_distribution<int64_t>(0, 3 * 365)(rng));
}

}  // namespace

int main(int argc, char** argv) {
  int64_t orders = 1'000'000;
  int iterations = 100;
  std::string path = "/tmp/kehu-bench-stats.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--orders") orders = std::atoll(argv[i + 1]);
    else if (a == "--db") path = argv[i + 1];
    else if (a == "--iterations") iterations = std::atoi(argv[i + 1]);
    else fail("unknown option " + a);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  auto db = must(SqliteDatabase::open(path), "open " + path);
  must(migrate(*db), "migrate");
  SystemClock clock;
  std::mt19937 rng(7);

  // Reps in teams, products, then the orders as rows (no rules: this is the data, not the write path).
  std::vector<int64_t> reps, teams;
  {
    auto txn = must(WriteTxn::begin(*db, clock, Actor{}), "begin");
    for (int t = 0; t < 10; ++t)
      teams.push_back(must(create_record(*txn, teams_def(), {{"name", "销售" + std::to_string(t + 1) + "部"}}), "team")["id"].get<int64_t>());
    for (int r = 0; r < 200; ++r) {
      NewUser u{"rep" + std::to_string(r), "销售" + std::to_string(r), "rep" + std::to_string(r) + "@example.com", r % 20 == 0 ? "manager" : "sales"};
      u.team_id = teams[static_cast<size_t>(r) % teams.size()];
      reps.push_back(must(create_user(*txn, u, "$argon2id$x"), "user").id);
    }
    for (int p = 0; p < 500; ++p)
      must(create_record(*txn, products_def(), {{"sku", "SKU" + std::to_string(p)}, {"name", "产品" + std::to_string(p)},
                                               {"price", 100 * (p + 1)}, {"stock", 1'000'000'000}}),
           "product");
    must(txn->commit(), "commit");
  }
  const double load_ms = time_ms([&] {
    auto txn = must(Transaction::begin(*db, true), "begin");
    auto rev = must(db->query_int("SELECT value FROM meta WHERE key = 'rev'"), "rev").value_or(1);
    for (int64_t i = 0; i < orders; ++i) {
      json items = json::array();
      int64_t total = 0;
      for (int l = std::uniform_int_distribution<int>(1, 3)(rng); l > 0; --l) {
        int64_t q = std::uniform_int_distribution<int>(1, 20)(rng), price = std::uniform_int_distribution<int>(100, 500000)(rng);
        items.push_back({{"product_id", std::uniform_int_distribution<int>(1, 500)(rng)}, {"quantity", q}, {"unit_price", price}});
        total += q * price;
      }
      json order = {{"code", "DD" + std::to_string(i)}, {"customer_id", std::uniform_int_distribution<int>(1, 100000)(rng)},
                    {"owner_id", reps[std::uniform_int_distribution<size_t>(0, reps.size() - 1)(rng)]},
                    {"order_date", date_in_range(rng)}, {"status", std::uniform_int_distribution<int>(0, 99)(rng) < 5 ? "cancelled" : "confirmed"},
                    {"items", items}, {"total", total}, {"currency", std::uniform_int_distribution<int>(0, 9)(rng) == 0 ? "USD" : "CNY"}};
      const std::string now = format_rfc3339_ms(clock.now_ms());
      must(insert_record_row(*db, orders_def(), {{"rev", rev}, {"created_at", now}, {"updated_at", now}}, order), "insert order");
    }
    must(txn->commit(), "commit");
  });
  std::printf("orders written as rows: %lld in %.1f s\n", static_cast<long long>(orders), load_ms / 1000);

  const double rebuild_ms = time_ms([&] {
    auto txn = must(Transaction::begin(*db, true), "begin");
    must(rebuild_statistics(*db), "rebuild");
    must(txn->commit(), "commit");
  });
  std::printf("statistics counted from scratch (migration 4 on this database): %.1f s\n", rebuild_ms / 1000);
  for (const char* table : {"stat_sales_day", "stat_sales_month", "stat_sales_customer_day", "stat_sales_customer_month",
                            "stat_sales_product_day", "stat_sales_product_month"})
    std::printf("  %-28s %9lld rows\n", table, static_cast<long long>(must(db->query_int(std::string("SELECT count(*) FROM ") + table), "count").value_or(0)));
  std::printf("database file: %.1f MB\n", static_cast<double>(std::filesystem::file_size(path)) / 1e6);

  // The series a dashboard asks for, as the admin, a manager (rep0: team 1) and a rep (rep1).
  const Viewer admin{0, "admin", std::nullopt};
  const Viewer manager{reps[0], "manager", teams[0]};
  const Viewer rep{reps[1], "sales", teams[1]};
  const std::string today = "2026-12-31";
  struct Case {
    std::string name;
    Viewer viewer;
    std::multimap<std::string, std::string> params;
  };
  std::vector<Case> cases = {
      {"admin: 12 months", admin, {{"group", "month"}, {"from", "2026-01-01"}}},
      {"admin: 30 days", admin, {{"group", "day"}}},
      {"admin: 365 days", admin, {{"group", "day"}, {"from", "2026-01-01"}}},
      {"admin: 3 years", admin, {{"group", "year"}, {"from", "2024-01-01"}}},
      {"admin: team, 12 months", admin, {{"group", "month"}, {"from", "2026-01-01"}, {"team_id", std::to_string(teams[3])}}},
      {"manager (team's): 12 months", manager, {{"group", "month"}, {"from", "2026-01-01"}}},
      {"manager (team's): 90 days", manager, {{"group", "day"}, {"from", "2026-10-02"}}},
      {"rep (own): 12 months", rep, {{"group", "month"}, {"from", "2026-01-01"}}},
      {"rep (own): 30 days", rep, {{"group", "day"}}},
      {"admin: a customer, 3 years by month", admin, {{"group", "month"}, {"from", "2024-01-01"}, {"customer_id", "4242"}}},
      {"admin: a customer, 365 days", admin, {{"group", "day"}, {"from", "2026-01-01"}, {"customer_id", "4242"}}},
      {"admin: a product, 12 months", admin, {{"group", "month"}, {"from", "2026-01-01"}, {"product_id", "77"}}},
      {"admin: a product, 90 days", admin, {{"group", "day"}, {"from", "2026-10-02"}, {"product_id", "77"}}},
  };
  std::printf("\n%-46s %8s %8s %8s   (ms, %d runs each)\n", "GET /stats/sales", "p50", "p95", "max", iterations);
  for (const auto& c : cases) {
    std::vector<double> ms;
    for (int i = 0; i < iterations; ++i)
      ms.push_back(time_ms([&] { must(sales_statistics(*db, c.viewer, c.params, today), c.name); }));
    report(c.name, std::move(ms));
  }

  // What the upkeep adds to a write: orders created, past orders edited and cancelled through the store.
  std::vector<double> create_ms, edit_ms, cancel_ms;
  std::vector<json> made;
  auto customer_txn = must(WriteTxn::begin(*db, clock, Actor{}), "begin");
  const int64_t customer_id = must(create_record(*customer_txn, customers_def(), {{"name", "基准客户甲"}, {"type", "individual"}}), "customer")["id"].get<int64_t>();
  must(customer_txn->commit(), "commit");
  for (int i = 0; i < 300; ++i) {
    create_ms.push_back(time_ms([&] {
      auto txn = must(WriteTxn::begin(*db, clock, Actor{}), "begin");
      made.push_back(must(create_record(*txn, orders_def(), {{"customer_id", customer_id}, {"owner_id", reps[5]}, {"order_date", date_in_range(rng)},
                                                              {"items", json::array({json::object({{"product_id", 3}, {"quantity", 2}}),
                                                                                     json::object({{"product_id", 9}, {"quantity", 1}})})}}),
                          "create order"));
      must(txn->commit(), "commit");
    }));
  }
  for (auto& order : made) {
    edit_ms.push_back(time_ms([&] {
      auto txn = must(WriteTxn::begin(*db, clock, Actor{}), "begin");
      order = must(update_record(*txn, orders_def(), order["id"].get<int64_t>(), {{"order_date", date_in_range(rng)}}, order["rev"].get<int64_t>()), "edit");
      must(txn->commit(), "commit");
    }));
  }
  for (auto& order : made) {
    cancel_ms.push_back(time_ms([&] {
      auto txn = must(WriteTxn::begin(*db, clock, Actor{}), "begin");
      must(update_record(*txn, orders_def(), order["id"].get<int64_t>(), {{"status", "cancelled"}}, order["rev"].get<int64_t>()), "cancel");
      must(txn->commit(), "commit");
    }));
  }
  std::printf("\n%-46s %8s %8s %8s   (ms, whole write transaction)\n", "order writes (upkeep included)", "p50", "p95", "max");
  report("create (2 lines)", create_ms);
  report("edit the date of a past order", edit_ms);
  report("cancel", cancel_ms);

  auto differences = must(check_statistics(*db, 5), "check");
  std::printf("\ncheck against a count from scratch: %s\n", differences.empty() ? "exact" : differences.front().c_str());
  return differences.empty() ? 0 : 1;
}
