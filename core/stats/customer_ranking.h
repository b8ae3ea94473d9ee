// customer_ranking.h — which customers bought most over a range of whole months (GET
// /stats/sales/by-customer), without summing every customer's months when the whole company is asked.
//
// The company's sales per customer are kept by year ("2026"), quarter ("2026-Q2"), month ("2026-06") and
// all time ("all") in stat_sales_customer_period, indexed by amount (stat_facts.h). A range that is one
// such period (all time: every year with sales) is read from the top of its index. Any other range is
// covered by a few periods (the range's own months, quarters and years, the quarters or years around
// it, or all time: whichever is likely to stop soonest), and the covering periods' rankings are read
// from the top a batch at a time, each customer met summed exactly over the range's months (the
// threshold algorithm of Fagin, Lotem and Naor). Amounts are never negative (a line's quantity is at
// least 1 and its price at least 0), so a customer not yet met in any covering ranking bought at most
// the sum of the amounts where each ranking was left; the reading stops once enough customers met are
// above that sum. The answer is exactly the summing query's.
//
// Each team's sales are ranked alike (stat_sales_customer_team_period, by the team its owner is in now),
// so a team's ranking, asked by its manager or an administrator, is read the same way from the team's
// rankings, each customer met summed over the team's members' months. A rep's ranking, a page far down
// (offset + count over 1,000) or a range of more than a dozen covering periods is summed from the
// monthly rows (one index range per owner or per month).
#pragma once

#include <string>
#include <vector>

#include "core/db/database.h"
#include "core/stats/stat_query.h"

namespace kehu {

// One customer's purchases in one currency over the range (a customer buying in two currencies ranks twice).
struct CustomerSales {
  int64_t customer_id = 0;
  std::string currency;
  int64_t orders = 0, quantity = 0, amount = 0;
};

// Entries [offset, offset + count) of the ranking over months from_month..to_month ("YYYY-MM") of the
// sales in `within` (owned_source over stat_sales_customer_month, alias s; read through the company's
// rankings when it is the whole company, a team's when it is one team's): largest amount first, then
// the highest customer id, then the currency in reverse order. Only customers with an order in the range.
// `batch` is how many entries of each covering ranking the first reading takes (half as many more each
// time after); tests
// make it small to go through many rounds on little data.
Result<std::vector<CustomerSales>> rank_customers(Database& db, const std::string& from_month, const std::string& to_month,
                                                  const StatSource& within, size_t offset, size_t count, size_t batch = 64);

// The periods of stat_sales_customer_period that the company's ranking over from_month..to_month
// reads, when sales were made in the years first_year..last_year ("YYYY"; months outside them hold
// nothing, so the range counts only the months inside).
struct RankingCover {
  std::vector<std::string> periods;  // none: summed from the monthly rows
  bool is_the_range = false;         // the periods span exactly the range's months with sales
  bool outside_sales = false;        // no month of the range is in a year with sales
};
RankingCover ranking_cover(const std::string& from_month, const std::string& to_month, const std::string& first_year,
                           const std::string& last_year);

}  // namespace kehu
