// stat_query.h — what every /stats endpoint shares: reading its parameters (each named in the error when
// bad), date ranges with their defaults, who may see which statistics (SPEC §3), and choosing the table
// that answers within the viewer's reach (the company table, or the "_owner" twin narrowed to owners).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db/database.h"
#include "core/i18n.h"
#include "core/users/record_scope.h"

namespace kehu {

using StatParamMap = std::multimap<std::string, std::string>;

// 400 naming parameter `name` and why.
Error bad_stat_param(const std::string& name, Text why);
// 404, as for anything the viewer may not see (a role without these statistics).
Error no_statistics();

// The one value of `name`, or "" when absent; a repeated parameter is refused.
Result<std::string> stat_text(const StatParamMap& params, const std::string& name);
// A positive id, or nullopt when absent.
Result<std::optional<int64_t>> stat_id(const StatParamMap& params, const std::string& name);
// A whole number in [min, max], or `fallback` when absent.
Result<int64_t> stat_number(const StatParamMap& params, const std::string& name, int64_t fallback, int64_t min, int64_t max);
// group=day|month|year among `allowed`, or `fallback` when absent.
Result<std::string> stat_group(const StatParamMap& params, const std::vector<std::string>& allowed, const std::string& fallback);

// A range of dates from/to (YYYY-MM-DD). When absent, `to` is today and `from` goes back to cover the
// last 30 days (day), the last 12 months (month) or the last 5 years (year). A daily or monthly range
// spans at most 1,100 periods, so an answer is bounded whatever is asked.
struct StatRange {
  std::string from, to;
  // The range's months, "YYYY-MM", for tables kept by month.
  std::string from_month() const { return from.substr(0, 7); }
  std::string to_month() const { return to.substr(0, 7); }
};
Result<StatRange> stat_range(const StatParamMap& params, const std::string& group, const std::string& today);
// Every period label ("YYYY-MM-DD", "YYYY-MM" or "YYYY") of `group` from range.from to range.to.
std::vector<std::string> stat_periods(const std::string& group, const StatRange& range);
// The range a range's figures are compared with ("▲ 12 % against the previous period"): as many periods
// just before it. A daily range steps back by its days; a monthly or yearly one by its months, since
// those figures count whole months (2025-12-01..2026-11-25 by month compares with 2024-12-01..2025-11-30).
// nullopt when `range` is not two dates in order or the previous one would start before year 1000.
std::optional<StatRange> previous_range(const std::string& group, const StatRange& range);

// Which statistics a role has (SPEC §3 "stats" column): sales-side figures (sales, funnel, forecast,
// customers, churn) reach all / team / own for admin / manager / sales; contracts also reach all for the
// contract department; tickets reach all for admin and service; campaigns all for admin and manager.
// The "kiosk" viewer (a display's token) reaches all: its routes allow only its dashboards' endpoints.
enum class StatDomain { sales, contracts, tickets, campaigns };
Reach stat_reach(const Viewer& viewer, StatDomain domain);

// Where a figure is read from: `table` (a company table or its "_owner" twin) as alias `s`, and the
// condition (bare `?` parameters, with `args`) that keeps to the viewer's reach and the owner/team
// filters asked for. The company table answers when nothing narrows.
struct StatSource {
  explicit StatSource(std::string from_table) : table(std::move(from_table)) {}
  std::string table;
  std::string where = "1";
  std::vector<SqlValue> args;
  // Adds a condition; the source is then no longer the whole company's, whatever the condition says.
  void also(const std::string& condition, std::vector<SqlValue> more = {});
  // No condition was added: the whole company's figures.
  bool whole_company() const { return !narrowed; }
  // Set when the condition is exactly "owned by a member of this team now" (a team's figures asked by
  // its manager or an administrator), which the teams' own rankings answer.
  std::optional<int64_t> one_team;

 private:
  bool narrowed = false;
};
StatSource stat_source(const std::string& company_table, Reach reach, const Viewer& viewer, std::optional<int64_t> owner = {},
                       std::optional<int64_t> team = {});
// Condition on an `owner_id` column for tables that always carry the owner (per customer, per product).
StatSource owned_source(const std::string& table, Reach reach, const Viewer& viewer, std::optional<int64_t> owner = {},
                        std::optional<int64_t> team = {});

// Membership in a list of ids bound as one JSON array (id_list("3,17") is "[3,17]"), so the statement's
// text is the same whatever the ids: the connection keeps one compiled copy, not one per list it was asked.
inline constexpr const char* kInIdList = " IN (SELECT value FROM json_each(?))";
inline SqlValue id_list(const std::string& comma_separated) { return SqlValue(std::string("[" + comma_separated + "]")); }

// Runs `sql` with `args` and calls `row` for each result row.
Status for_each_row(Database& db, const std::string& sql, const std::vector<SqlValue>& args,
                    const std::function<void(Statement&)>& row);

}  // namespace kehu
