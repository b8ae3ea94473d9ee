// stats_bench.cpp — kehu-bench-stats: what the statistics cost on a database of many orders (issue 7:
// every stats endpoint p95 <= 20 ms with 1M orders).
//
//   kehu-bench-stats [--orders N] [--db PATH] [--iterations N]
//
// Builds a database of N orders (default 1,000,000) over 3 years, 200 reps in 10 teams, 500 products
// (1-3 lines each, 10 % in USD, 5 % cancelled) and, in proportion, N/10 customers, N/5 opportunities,
// N/20 contracts, N/20 tickets and 100 campaigns with N/10 members, written as rows. Then counts the
// statistics from scratch (what migration 5 does to an existing database) and prints how long that took,
// the process's peak memory and how large the tables are; p50/p95/max of every /stats endpoint's function
// for what a dashboard asks, as an administrator, a manager (the team's) and a rep (own); the cost the
// upkeep adds to writing an order (create, edit of a past order, cancel) through the record store; the
// churn list summed when asked and from its kept window, and what counting and moving the window cost;
// and a check of the tables (and the window) against a count from scratch.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <sys/resource.h>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"
#include "core/stats/business_stats.h"
#include "core/stats/churn.h"
#include "core/stats/churn_window.h"
#include "core/stats/sales_stats.h"
#include "core/stats/stat_facts.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"
#include "core/time_zone.h"
#include "core/users/user_store.h"
#include "server/time_zone_db.h"

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

// An instant in the same three years, as the server writes timestamps.
std::string time_in_range(std::mt19937& rng) {
  const int64_t start = day_of_civil(2024, 1, 1) * 86'400'000;
  return format_rfc3339_ms(start + std::uniform_int_distribution<int64_t>(0, 3LL * 365 * 86'400'000)(rng));
}

template <typename T>
const T& one_of(std::mt19937& rng, const std::vector<T>& values) {
  return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
}

// Writes `count` rows of `entity` made by `make(i)`, created at a random instant, in one transaction.
template <typename Make>
void write_rows(Database& db, const EntityDef& entity, int64_t count, std::mt19937& rng, Make make) {
  auto txn = must(Transaction::begin(db, true), "begin");
  for (int64_t i = 0; i < count; ++i) {
    const std::string at = time_in_range(rng);
    must(insert_record_row(db, entity, {{"rev", int64_t{1}}, {"created_at", at}, {"updated_at", at}}, make(i)), "insert " + entity.name);
  }
  must(txn->commit(), "commit");
}

long peak_rss_mb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
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
  install_time_zones(&server::system_time_zones());  // as the server does: local days in Asia/Shanghai
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

  // The rest of the business, in proportion to the orders.
  const int64_t customers = std::max<int64_t>(orders / 10, 100);
  const std::vector<std::string> types = {"enterprise", "individual", "government", "partner", "other"};
  const std::vector<std::string> sources = {"referral", "website", "exhibition", "cold_call", "advertising", "social_media", "partner", "other"};
  const std::vector<std::string> levels = {"A", "B", "C", "D"}, statuses = {"prospect", "active", "dormant", "lost"};
  const std::vector<std::string> stages = {"lead", "qualified", "proposal", "negotiation", "won", "lost"};
  const std::vector<std::string> contract_states = {"draft", "pending_approval", "signed", "executing", "completed", "terminated"};
  const std::vector<std::string> ticket_states = {"new", "assigned", "in_progress", "resolved", "closed"};
  const std::vector<std::string> ticket_types = {"feedback", "complaint", "inquiry", "after_sales"};
  auto random_owner = [&] { return reps[std::uniform_int_distribution<size_t>(0, reps.size() - 1)(rng)]; };
  auto random_customer = [&] { return std::uniform_int_distribution<int64_t>(1, customers)(rng); };
  const double others_ms = time_ms([&] {
    write_rows(*db, customers_def(), customers, rng, [&](int64_t i) {
      json c = {{"code", "C" + std::to_string(i + 1)}, {"name", "客户" + std::to_string(i + 1)}, {"type", one_of(rng, types)},
                {"source", one_of(rng, sources)}, {"level", one_of(rng, levels)}, {"status", one_of(rng, statuses)}};
      if (i % 10 != 0) c["owner_id"] = random_owner();
      if (i % 3 != 0) c["last_contact_at"] = time_in_range(rng);
      if (i % 2 != 0) c["last_order_at"] = time_in_range(rng);
      return c;
    });
    write_rows(*db, campaigns_def(), 100, rng, [&](int64_t i) {
      return json{{"name", "活动" + std::to_string(i + 1)}, {"type", "event"}, {"status", "active"}, {"actual_cost", 100000 * (i + 1)}};
    });
    write_rows(*db, opportunities_def(), orders / 5, rng, [&](int64_t) {
      const std::string stage = one_of(rng, stages);
      json o = {{"customer_id", random_customer()}, {"title", "商机"}, {"stage", stage}, {"owner_id", random_owner()},
                {"amount", std::uniform_int_distribution<int64_t>(1000, 10'000'000)(rng)}, {"currency", "CNY"},
                {"probability", std::uniform_int_distribution<int>(0, 100)(rng)}, {"expected_close_date", date_in_range(rng)}};
      if (stage == "won" || stage == "lost") o["closed_at"] = "2026-12-31T00:00:00.000Z";
      if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) o["campaign_id"] = std::uniform_int_distribution<int>(1, 100)(rng);
      return o;
    });
    write_rows(*db, contracts_def(), orders / 20, rng, [&](int64_t i) {
      const std::string status = one_of(rng, contract_states);
      json c = {{"code", "HT" + std::to_string(i + 1)}, {"customer_id", random_customer()}, {"title", "合同"}, {"status", status},
                {"amount", std::uniform_int_distribution<int64_t>(1000, 10'000'000)(rng)}, {"owner_id", random_owner()}};
      if (status != "draft" && status != "pending_approval") c["signed_date"] = date_in_range(rng);
      return c;
    });
    write_rows(*db, tickets_def(), orders / 20, rng, [&](int64_t i) {
      const std::string status = one_of(rng, ticket_states);
      json t = {{"code", "GD" + std::to_string(i + 1)}, {"type", one_of(rng, ticket_types)}, {"subject", "工单"},
                {"customer_id", random_customer()}, {"status", status}};
      if (status == "resolved" || status == "closed") {
        t["resolved_at"] = "2026-12-31T00:00:00.000Z";
        t["satisfaction"] = std::uniform_int_distribution<int>(1, 5)(rng);
      }
      return t;
    });
    auto txn = must(Transaction::begin(*db, true), "begin");
    for (int64_t i = 0; i < orders / 10; ++i)
      (void)db->run("INSERT OR IGNORE INTO campaign_members (campaign_id, customer_id, status, added_at) VALUES (?1, ?2, ?3, '2026-01-01')",
                    {int64_t{1} + i % 100, random_customer(), one_of(rng, std::vector<std::string>{"targeted", "sent", "opened", "responded", "converted"})});
    must(txn->commit(), "commit");
  });
  std::printf("customers, opportunities, contracts, tickets, campaign members written as rows in %.1f s\n", others_ms / 1000);

  const double rebuild_ms = time_ms([&] {
    auto txn = must(Transaction::begin(*db, true), "begin");
    must(rebuild_statistics(*db), "rebuild");
    must(txn->commit(), "commit");
  });
  std::printf("statistics counted from scratch (migration 5 on this database): %.1f s; peak memory of the process %ld MB\n",
              rebuild_ms / 1000, peak_rss_mb());
  for (const auto& table : stat_tables())
    std::printf("  %-28s %9lld rows\n", table.name.c_str(),
                static_cast<long long>(must(db->query_int("SELECT count(*) FROM " + table.name), "count").value_or(0)));
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

  // Every other endpoint, as the dashboards ask for it.
  using StatFn = Result<json> (*)(Database&, const Viewer&, const StatParamMap&, const std::string&);
  struct EndpointCase {
    std::string name;
    StatFn fn;
    Viewer viewer;
    StatParamMap params;
  };
  const Viewer contract_dept{reps[2], "contract", std::nullopt}, service{reps[3], "service", std::nullopt};
  std::vector<EndpointCase> endpoints = {
      // Company-wide, read through the kept rankings (customer_ranking.h): one period's own, or a few around.
      {"sales/by-customer admin: 2026 (its ranking)", sales_by_customer, admin, {{"from", "2026-01-01"}}},
      {"sales/by-customer admin: 2026 by year", sales_by_customer, admin, {{"group", "year"}, {"from", "2026-01-01"}}},
      {"sales/by-customer admin: 1 month (its ranking)", sales_by_customer, admin, {{"from", "2026-12-01"}}},
      {"sales/by-customer admin: Mar-Dec (year's)", sales_by_customer, admin, {{"from", "2026-03-01"}}},
      {"sales/by-customer admin: May-Jun (quarter's)", sales_by_customer, admin, {{"from", "2026-05-01"}, {"to", "2026-06-30"}}},
      {"sales/by-customer admin: Jun-Jul (2 months')", sales_by_customer, admin, {{"from", "2026-06-01"}, {"to", "2026-07-31"}}},
      {"sales/by-customer admin: Dec-Nov (Q4 + year)", sales_by_customer, admin, {{"from", "2025-12-01"}, {"to", "2026-11-30"}}},
      {"sales/by-customer admin: 24-03..26-10 (all's)", sales_by_customer, admin, {{"from", "2024-03-01"}, {"to", "2026-10-31"}}},
      {"sales/by-customer admin: 2024-2025 (all's)", sales_by_customer, admin, {{"from", "2024-01-01"}, {"to", "2025-12-31"}}},
      {"sales/by-customer admin: 2020-2030 (all)", sales_by_customer, admin, {{"from", "2020-01-01"}, {"to", "2030-12-31"}}},
      {"sales/by-customer admin: Mar-Dec, 41st page", sales_by_customer, admin, {{"from", "2026-03-01"}, {"offset", "800"}}},
      {"sales/by-customer manager: 12 months (team's)", sales_by_customer, manager, {{"from", "2026-01-01"}}},
      {"sales/by-customer manager: Dec-Nov (team's)", sales_by_customer, manager, {{"from", "2025-12-01"}, {"to", "2026-11-30"}}},
      {"sales/by-customer admin: a team, 24-03..26-10", sales_by_customer, admin,
       {{"from", "2024-03-01"}, {"to", "2026-10-31"}, {"team_id", std::to_string(teams[3])}}},
      {"sales/by-customer rep: 12 months", sales_by_customer, rep, {{"from", "2026-01-01"}}},
      {"sales/by-team admin: 12 months", sales_by_team, admin, {}},
      {"sales/by-team manager: 12 months", sales_by_team, manager, {}},
      {"contracts admin", contract_statistics, admin, {}},
      {"contracts contract department", contract_statistics, contract_dept, {}},
      {"contracts manager", contract_statistics, manager, {}},
      {"contracts rep", contract_statistics, rep, {}},
      {"funnel admin: 12 months", funnel_statistics, admin, {}},
      {"funnel admin: 3 years", funnel_statistics, admin, {{"from", "2024-01-01"}}},
      {"funnel manager: 12 months", funnel_statistics, manager, {}},
      {"funnel rep: 12 months", funnel_statistics, rep, {}},
      {"forecast admin", forecast_statistics, admin, {}},
      {"forecast manager", forecast_statistics, manager, {}},
      {"forecast rep", forecast_statistics, rep, {}},
      {"campaigns admin", campaign_statistics, admin, {}},
      {"tickets service: 12 months", ticket_statistics, service, {}},
      {"tickets admin: 3 years", ticket_statistics, admin, {{"from", "2024-01-01"}}},
      {"customers admin", customer_statistics, admin, {}},
      {"customers manager", customer_statistics, manager, {}},
      {"customers rep", customer_statistics, rep, {}},
  };
  std::printf("\n%-46s %8s %8s %8s   (ms, %d runs each)\n", "other /stats endpoints", "p50", "p95", "max", iterations);
  for (const auto& c : endpoints) {
    std::vector<double> ms;
    for (int i = 0; i < iterations; ++i) ms.push_back(time_ms([&] { must(c.fn(*db, c.viewer, c.params, today), c.name); }));
    report(c.name, std::move(ms));
  }
  // Churn: summed when asked, then from the kept window (churn_window.h) — counted once, then moved a
  // day at a time as the server's "churn window" job does just after each midnight (server/jobs/).
  const int64_t now_ms = day_of_civil(2026, 12, 31) * 86'400'000 + 12 * 3'600'000;
  auto churn_rows = [&](const std::string& how, const std::string& day, int64_t at_ms) {
    for (const auto& [role, viewer] : {std::pair<std::string, Viewer>{"admin", admin}, {"manager", manager}, {"rep", rep}}) {
      std::vector<double> ms;
      for (int i = 0; i < iterations; ++i) ms.push_back(time_ms([&] { must(churn_list(*db, viewer, {}, day, at_ms), role); }));
      report("churn " + role + ": 90 days, " + how, std::move(ms));
    }
  };
  churn_rows("summed when asked", today, now_ms);
  auto in_write = [&](const std::string& day) {
    return time_ms([&] {
      auto txn = must(Transaction::begin(*db, true), "begin");
      must(bring_churn_window_to(*db, 90, day), "churn window");
      must(txn->commit(), "commit");
    });
  };
  const double counted_ms = in_write(today);  // before the counts below (argument order is unspecified)
  std::printf("churn window counted: %.1f ms; %lld customer-currency rows, %lld of them falling\n", counted_ms,
              static_cast<long long>(must(db->query_int("SELECT count(*) FROM churn_window"), "count").value_or(0)),
              static_cast<long long>(must(db->query_int("SELECT count(*) FROM churn_window WHERE amount_before > 0"
                                                        " AND amount_before > 2 * amount_now"), "count").value_or(0)));
  churn_rows("kept window", today, now_ms);
  std::vector<double> move_ms;
  std::string day = today;
  for (int i = 0; i < 30; ++i) move_ms.push_back(in_write(day = date_of_day(day_of_date(day) + 1)));
  report("churn window moved a day (the job's transaction)", move_ms);
  churn_rows("kept window, 30 days on", day, now_ms + int64_t{30} * 86'400'000);

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
