// customer_ranking_test.cpp — the company's best customers read through the kept rankings by period
// (core/stats/customer_ranking.h) must be exactly the ranking summed from the monthly rows, for any range
// and page, however the reading is batched, ties included; and so a team's read through the team's rankings. The monthly rows here are made up (amounts from
// a short list, so ties are many); the periods' rankings are summed from them as the statistics keep them.
// That the kept tables follow the orders is stats_test.cpp's; the endpoint over real orders is
// stats_endpoints_test.cpp's.
#include <doctest/doctest.h>

#include <random>

#include "core/stats/customer_ranking.h"
#include "tests/core/test_db.h"

using namespace kehu;
using namespace kehu::test;

namespace {

std::string month_text(int year, int month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

// `customers` customers buying in random months of 2024–2026, from random owners, in CNY and sometimes USD.
void fill_random_sales(TestDb& t, int customers, std::mt19937& random) {
  REQUIRE(t.db().exec("BEGIN").ok());
  auto insert = t.db().prepare(
      "INSERT INTO stat_sales_customer_month (customer_id, month, owner_id, currency, orders, quantity, amount)"
      " VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET orders = orders + 1, quantity = quantity + excluded.quantity,"
      " amount = amount + excluded.amount");
  REQUIRE(insert.ok());
  const int64_t amounts[] = {0, 100, 250, 1000, 1000, 5000, 12000};
  for (int c = 1; c <= customers; ++c) {
    const int sales = static_cast<int>(random() % 12);
    for (int i = 0; i < sales; ++i) {
      (*insert)->bind_all({int64_t{c}, month_text(2024 + static_cast<int>(random() % 3), 1 + static_cast<int>(random() % 12)),
                           static_cast<int64_t>(random() % 4), std::string(random() % 5 == 0 ? "USD" : "CNY"),
                           static_cast<int64_t>(1 + random() % 9), amounts[random() % 7]});
      REQUIRE((*insert)->run().ok());
    }
  }
  // Owners 1 and 2 are in team 1, owner 3 in team 2; owner 0 stands for orders without an owner.
  REQUIRE(t.db().exec("INSERT INTO users (id, rev, created_at, updated_at, username, display_name, role, team_id) VALUES"
                      " (1, 1, 'x', 'x', 'u1', 'u1', 'sales', 1), (2, 1, 'x', 'x', 'u2', 'u2', 'sales', 1),"
                      " (3, 1, 'x', 'x', 'u3', 'u3', 'sales', 2)").ok());
  for (const char* period : {"'all'", "substr(month, 1, 4)", "substr(month, 1, 5) || 'Q' || ((CAST(substr(month, 6, 2) AS INTEGER) + 2) / 3)", "month"}) {
    REQUIRE(t.db().exec(std::string("INSERT INTO stat_sales_customer_period (period, customer_id, currency, orders, quantity, amount)"
                                     " SELECT ") + period + ", customer_id, currency, sum(orders), sum(quantity), sum(amount)"
                                     " FROM stat_sales_customer_month GROUP BY 1, 2, 3").ok());
    REQUIRE(t.db().exec(std::string("INSERT INTO stat_sales_customer_team_period (team_id, period, customer_id, currency, orders, quantity,"
                                     " amount) SELECT u.team_id, ") + period + ", customer_id, currency, sum(orders), sum(quantity), sum(amount)"
                                     " FROM stat_sales_customer_month JOIN users AS u ON u.id = owner_id GROUP BY 1, 2, 3, 4").ok());
  }
  REQUIRE(t.db().exec("COMMIT").ok());
}

std::string key(const CustomerSales& c) {
  return std::to_string(c.customer_id) + " " + c.currency + " " + std::to_string(c.orders) + "/" + std::to_string(c.quantity) + "/" +
         std::to_string(c.amount);
}

std::vector<std::string> keys(const Result<std::vector<CustomerSales>>& r) {
  REQUIRE(r.ok());
  std::vector<std::string> out;
  for (const auto& c : *r) out.push_back(key(c));
  return out;
}

}  // namespace

TEST_CASE("ranking_cover reads a period's own ranking, or the few around a range likely to stop soonest") {
  using V = std::vector<std::string>;
  // Sales in 2024, 2025 and 2026.
  auto periods = [](const std::string& from, const std::string& to) { return ranking_cover(from, to, "2024", "2026").periods; };
  auto is_the_range = [](const std::string& from, const std::string& to) { return ranking_cover(from, to, "2024", "2026").is_the_range; };
  CHECK(periods("2026-01", "2026-12") == V{"2026"});
  CHECK(is_the_range("2026-01", "2026-12"));
  CHECK(periods("2026-06", "2026-06") == V{"2026-06"});
  CHECK(periods("2026-04", "2026-06") == V{"2026-Q2"});
  CHECK(periods("2026-05", "2026-06") == V{"2026-Q2"});  // a quarter, a month over
  CHECK_FALSE(is_the_range("2026-05", "2026-06"));
  CHECK(periods("2026-06", "2026-07") == V{"2026-06", "2026-07"});  // its quarters would be 6 months
  CHECK(is_the_range("2026-06", "2026-07"));
  CHECK(periods("2026-03", "2026-12") == V{"2026"});
  CHECK(periods("2025-12", "2026-11") == V{"2025-Q4", "2026"});
  CHECK(periods("2024-01", "2025-12") == V{"all"});  // two thirds of all time, in one ranking
  CHECK(ranking_cover("2024-01", "2025-12", "2020", "2026").periods == V{"2024", "2025"});  // two sevenths
  CHECK(periods("2024-03", "2026-10") == V{"all"});  // 32 of the 36 months: one ranking, not three years
  CHECK_FALSE(is_the_range("2024-03", "2026-10"));
  // Months before and after the years with sales hold nothing: the range is what is inside them.
  CHECK(periods("1990-01", "2030-12") == V{"all"});
  CHECK(is_the_range("1990-01", "2030-12"));
  CHECK(periods("2026-01", "2031-06") == V{"2026"});
  CHECK(is_the_range("2026-01", "2031-06"));
  CHECK(periods("2020-01", "2024-03") == V{"2024-Q1"});
  CHECK(ranking_cover("2020-01", "2023-12", "2024", "2026").outside_sales);
  CHECK(ranking_cover("2027-01", "2027-01", "2024", "2026").outside_sales);
  CHECK_FALSE(ranking_cover("2026-12", "2027-01", "2024", "2026").outside_sales);
  // Fifteen years of sales: thirteen odd years are read through all time, not their 15 own periods.
  CHECK(ranking_cover("2011-03", "2023-10", "2010", "2024").periods == V{"all"});
  // A month of them through its own ranking, not all time.
  CHECK(ranking_cover("2011-03", "2011-03", "2010", "2024").periods == V{"2011-03"});
}

TEST_CASE("the company's ranking read through the periods' rankings equals the summed ranking, for any range and page") {
  TestDb t;
  std::mt19937 random(20261125);
  fill_random_sales(t, 400, random);
  // Each source read through the kept rankings, and the same sales summed from the monthly rows.
  const StatSource company{"stat_sales_customer_month"};
  StatSource summed{"stat_sales_customer_month"};
  summed.also("1 = 1");  // narrows nothing, but is not "the whole company": always summed
  REQUIRE(company.whole_company());
  REQUIRE_FALSE(summed.whole_company());
  std::vector<std::pair<StatSource, StatSource>> sources = {{company, summed}};
  for (const int64_t team : {1, 2}) {
    const StatSource ranked = owned_source("stat_sales_customer_month", Reach::all, Viewer::system(), std::nullopt, team);
    REQUIRE(ranked.one_team == team);
    StatSource team_summed{"stat_sales_customer_month"};
    team_summed.also("s.owner_id IN (SELECT id FROM users WHERE team_id = ?)", {team});
    sources.emplace_back(ranked, team_summed);
  }

  std::vector<std::pair<std::string, std::string>> ranges = {{"2026-01", "2026-12"}, {"2026-06", "2026-06"}, {"2026-05", "2026-06"},
                                                             {"2026-06", "2026-07"}, {"2026-03", "2026-12"}, {"2025-12", "2026-11"},
                                                             {"2024-02", "2026-11"}, {"2023-01", "2023-12"}, {"2024-01", "2026-12"},
                                                             {"2024-03", "2026-10"}, {"2020-01", "2030-12"}, {"2026-11", "2027-02"}};
  for (int i = 0; i < 40; ++i) {
    const int first = static_cast<int>(random() % 40), last = first + static_cast<int>(random() % 20);
    ranges.emplace_back(month_text(2023 + first / 12, first % 12 + 1), month_text(2023 + last / 12, last % 12 + 1));
  }
  size_t compared = 0;
  for (const auto& source : sources) {
    const StatSource& ranked = source.first;
    const StatSource& summed_alike = source.second;
    for (const auto& range : ranges) {
      const std::string from = range.first, to = range.second;
      const auto whole = keys(rank_customers(t.db(), from, to, summed_alike, 0, 10000));
      compared += whole.size();
      for (const size_t batch : {1, 3, 64}) {
        for (const auto& page : std::vector<std::pair<size_t, size_t>>{
                 {0, 1}, {0, 21}, {5, 9}, {40, 101}, {whole.size() > 3 ? whole.size() - 3 : 0, 8}, {whole.size() + 2, 5}}) {
          const size_t offset = page.first, count = page.second;
          INFO(ranked.where << ": " << from << ".." << to << " batch " << batch << " offset " << offset << " count " << count);
          std::vector<std::string> want;
          for (size_t k = offset; k < std::min(whole.size(), offset + count); ++k) want.push_back(whole[k]);
          CHECK(keys(rank_customers(t.db(), from, to, ranked, offset, count, batch)) == want);
          CHECK(keys(rank_customers(t.db(), from, to, summed_alike, offset, count)) == want);
        }
      }
    }
  }
  CHECK(compared > 10000);  // the rankings compared were not empty
}
