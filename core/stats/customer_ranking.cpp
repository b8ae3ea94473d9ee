#include "core/stats/customer_ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/stats/stat_facts.h"

namespace kehu {

namespace {

// Pages further down than this, and ranges covered by more periods, are summed from the monthly rows:
// the threshold reading would go as deep as the page and read as many rankings.
constexpr size_t kDeepestRankedEntry = 1000;
constexpr size_t kMostCoveringPeriods = 12;

// Months counted from year 0: "2026-06" -> 2026 * 12 + 5.
int month_number(const std::string& month) { return std::stoi(month.substr(0, 4)) * 12 + std::stoi(month.substr(5, 2)) - 1; }

std::string year_label(int month) { return std::to_string(month / 12); }
std::string quarter_label(int month) { return year_label(month) + "-Q" + std::to_string(month % 12 / 3 + 1); }
std::string month_label(int month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", month / 12, month % 12 + 1);
  return text;
}

// Periods whose rankings together bound every customer's sum over the range, and how many months they span.
struct Cover {
  std::vector<std::string> periods;
  int months = 0;
};

// The range itself in the fewest periods: whole years, then whole quarters, then months.
Cover exact_cover(int first, int last) {
  Cover c;
  for (int m = first; m <= last;) {
    const int length = m % 12 == 0 && m + 11 <= last ? 12 : m % 3 == 0 && m + 2 <= last ? 3 : 1;
    c.periods.push_back(length == 12 ? year_label(m) : length == 3 ? quarter_label(m) : month_label(m));
    c.months += length;
    m += length;
  }
  return c;
}

// Every quarter the range touches, a year whose four quarters it touches as that year.
Cover quarter_cover(int first, int last) {
  Cover c;
  for (int q = first / 3; q <= last / 3;) {
    const bool whole_year = q % 4 == 0 && q + 3 <= last / 3;
    c.periods.push_back(whole_year ? year_label(q * 3) : quarter_label(q * 3));
    c.months += whole_year ? 12 : 3;
    q += whole_year ? 4 : 1;
  }
  return c;
}

// Every year the range touches.
Cover year_cover(int first, int last) {
  Cover c;
  for (int y = first / 12; y <= last / 12; ++y) c.periods.push_back(std::to_string(y)), c.months += 12;
  return c;
}

// How long the threshold reading is expected to go on, relatively: each further ranking makes the
// stopping sum fall more slowly (about 4 times the depth each, measured on 1M random orders), and a
// cover wider than the range lets customers who bought outside it crowd the top (about the cube of the
// overreach: a month read through its quarter went 7 times as deep as through its own ranking, through
// its year 220 times).
double expected_depth(const Cover& c, int range_months) {
  return std::pow(4.0, static_cast<double>(c.periods.size()) - 1) * std::pow(static_cast<double>(c.months) / range_months, 3);
}

bool ranks_before(const CustomerSales& a, const CustomerSales& b) {
  if (a.amount != b.amount) return a.amount > b.amount;
  if (a.customer_id != b.customer_id) return a.customer_id > b.customer_id;
  return a.currency > b.currency;
}

CustomerSales sales_at(Statement& s) {
  return {s.column_int(0), std::string(s.column_text(1)), s.column_int(2), s.column_int(3), s.column_int(4)};
}

const char* kRankOrder = " ORDER BY s.amount DESC, s.customer_id DESC, s.currency DESC LIMIT ? OFFSET ?";

// The summing query: every customer's months in the range, grouped, sorted.
Result<std::vector<CustomerSales>> summed_ranking(Database& db, const std::string& from_month, const std::string& to_month,
                                                  const StatSource& within, size_t offset, size_t count) {
  std::vector<SqlValue> args = {from_month, to_month};
  args.insert(args.end(), within.args.begin(), within.args.end());
  args.emplace_back(static_cast<int64_t>(count));
  args.emplace_back(static_cast<int64_t>(offset));
  std::vector<CustomerSales> out;
  KEHU_TRY(for_each_row(db,
                        "SELECT s.customer_id, s.currency, sum(s.orders), sum(s.quantity), sum(s.amount)"
                        " FROM stat_sales_customer_month AS s WHERE s.month BETWEEN ? AND ? AND " + within.where +
                            " GROUP BY s.customer_id, s.currency"
                            " ORDER BY sum(s.amount) DESC, s.customer_id DESC, s.currency DESC LIMIT ? OFFSET ?",
                        args, [&out](Statement& s) { out.push_back(sales_at(s)); }));
  return out;
}

// Whose kept rankings are read: the company's, or one team's (its rows of the teams' table).
struct Rankings {
  std::string table;
  std::string owner_where;  // "1", or "s.team_id = ?"
  std::vector<SqlValue> owner_args;

  // The arguments of a statement whose first parameters are owner_where's, then `more`.
  std::vector<SqlValue> args(std::vector<SqlValue> more) const {
    more.insert(more.begin(), owner_args.begin(), owner_args.end());
    return more;
  }
};

Rankings rankings_of(const StatSource& within) {
  if (within.one_team) return {"stat_sales_customer_team_period", "s.team_id = ?", {*within.one_team}};
  return {"stat_sales_customer_period", "1", {}};
}

// The threshold reading over the covering rankings (see the header); each customer met is summed over
// the range's months of the sales in `within`, the sales the rankings hold.
Result<std::vector<CustomerSales>> threshold_ranking(Database& db, const std::string& from_month, const std::string& to_month,
                                                     const Rankings& rankings, const StatSource& within,
                                                     const std::vector<std::string>& cover, size_t offset, size_t count,
                                                     size_t batch) {
  const size_t wanted = offset + count;
  std::set<int64_t> met;             // customers summed over the range (every currency of theirs)
  std::vector<CustomerSales> found;  // their sums, one per currency bought in the range
  size_t depth = 0, step = std::max<size_t>(batch, 2);
  for (;;) {
    int64_t unmet_at_most = 0;
    bool every_ranking_read = true;
    std::string fresh;  // customers met for the first time, "12,40,7"
    for (const auto& period : cover) {
      size_t rows = 0;
      int64_t last = 0;
      KEHU_TRY(for_each_row(db,
                            "SELECT s.customer_id, s.amount FROM " + rankings.table + " AS s WHERE " + rankings.owner_where +
                                " AND s.period = ?" + kRankOrder,
                            rankings.args({period, static_cast<int64_t>(step), static_cast<int64_t>(depth)}), [&](Statement& s) {
                              ++rows, last = s.column_int(1);
                              if (met.insert(s.column_int(0)).second)
                                fresh += (fresh.empty() ? "" : ",") + std::to_string(s.column_int(0));
                            }));
      // A ranking read to its end holds nothing more for anyone not met.
      if (rows == step) unmet_at_most += last, every_ranking_read = false;
    }
    if (!fresh.empty()) {
      std::vector<SqlValue> args = {id_list(fresh), from_month, to_month};
      args.insert(args.end(), within.args.begin(), within.args.end());
      KEHU_TRY(for_each_row(db,
                            "SELECT s.customer_id, s.currency, sum(s.orders), sum(s.quantity), sum(s.amount)"
                            " FROM stat_sales_customer_month AS s WHERE s.customer_id" + std::string(kInIdList) +
                                " AND s.month BETWEEN ? AND ? AND " + within.where + " GROUP BY s.customer_id, s.currency",
                            args, [&found](Statement& s) { found.push_back(sales_at(s)); }));
    }
    depth += step;
    step += step / 2;  // half as much again: doubling read up to twice as deep as the stop
    if (every_ranking_read) break;
    if (found.size() >= wanted) {
      // The wanted-th largest amount met: when above what anyone not met can have, the page is known.
      std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(wanted - 1), found.end(), ranks_before);
      if (found[wanted - 1].amount > unmet_at_most) break;
    }
  }
  std::sort(found.begin(), found.end(), ranks_before);
  if (found.size() <= offset) return std::vector<CustomerSales>{};
  found.erase(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(offset));
  if (found.size() > count) found.resize(count);
  return found;
}

}  // namespace

RankingCover ranking_cover(const std::string& from_month, const std::string& to_month, const std::string& first_year,
                           const std::string& last_year) {
  // Months outside the years with sales hold nothing: the range is what is left of it inside them.
  const int first = std::max(month_number(from_month), month_number(first_year + "-01"));
  const int last = std::min(month_number(to_month), month_number(last_year + "-12"));
  RankingCover out;
  if (first > last) {
    out.outside_sales = true;
    return out;
  }
  const int months = last - first + 1;
  Cover all_time;
  all_time.periods = {kAllTime};
  all_time.months = month_number(last_year + "-12") - month_number(first_year + "-01") + 1;
  const Cover exact = exact_cover(first, last);
  const Cover covers[] = {exact, quarter_cover(first, last), year_cover(first, last), all_time};
  const Cover* best = &covers[0];
  for (const Cover& c : covers)
    if (expected_depth(c, months) < expected_depth(*best, months)) best = &c;
  if (best->periods.size() > kMostCoveringPeriods) return out;
  out.periods = best->periods;
  out.is_the_range = best->months == months;  // one period spanning the range, or the range's own periods
  return out;
}

Result<std::vector<CustomerSales>> rank_customers(Database& db, const std::string& from_month, const std::string& to_month,
                                                  const StatSource& within, size_t offset, size_t count, size_t batch) {
  if (count == 0) return std::vector<CustomerSales>{};
  RankingCover cover;
  const Rankings rankings = rankings_of(within);
  if ((within.whole_company() || within.one_team) && offset <= kDeepestRankedEntry && count <= kDeepestRankedEntry - offset) {
    // The years with sales: the first and last years' rankings (the all-time label sorts after them).
    std::string first_year, last_year;
    KEHU_TRY(for_each_row(db,
                          "SELECT (SELECT min(s.period) FROM " + rankings.table + " AS s WHERE " + rankings.owner_where +
                              "), (SELECT max(s.period) FROM " + rankings.table + " AS s WHERE " + rankings.owner_where +
                              " AND s.period < ?)",
                          rankings.args(rankings.args({std::string(kAllTime)})), [&](Statement& s) {
                            first_year = std::string(s.column_text(0)).substr(0, 4);
                            last_year = std::string(s.column_text(1)).substr(0, 4);
                          }));
    if (first_year.empty()) return std::vector<CustomerSales>{};  // nothing sold yet
    cover = ranking_cover(from_month, to_month, first_year, last_year);
    if (cover.outside_sales) return std::vector<CustomerSales>{};
  }
  if (cover.periods.empty()) return summed_ranking(db, from_month, to_month, within, offset, count);
  if (cover.periods.size() == 1 && cover.is_the_range) {
    // The range is one period: its ranking is the answer.
    std::vector<CustomerSales> out;
    KEHU_TRY(for_each_row(db,
                          "SELECT s.customer_id, s.currency, s.orders, s.quantity, s.amount FROM " + rankings.table +
                              " AS s WHERE " + rankings.owner_where + " AND s.period = ?" + kRankOrder,
                          rankings.args({cover.periods[0], static_cast<int64_t>(count), static_cast<int64_t>(offset)}),
                          [&out](Statement& s) { out.push_back(sales_at(s)); }));
    return out;
  }
  return threshold_ranking(db, from_month, to_month, rankings, within, cover.periods, offset, count, batch);
}

}  // namespace kehu
