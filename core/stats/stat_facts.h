// stat_facts.h — what one record adds to the statistics tables (SPEC §5 /stats, §7 "incremental aggregates").
//
// A record contributes "facts": rows of aggregate tables, each a key (period, status, customer, ...) and
// counters to add. A change of a record is its new facts minus its old ones, applied in the write's own
// transaction (stats_upkeep.h), so the figures are always exactly the sum over the live records — which
// is what check_statistics() verifies by counting everything again from the records themselves.
//
// Most figures are read both for the whole company and for one rep or one team, so they are kept twice:
// a company table without the owner (an administrator's dashboard reads a few hundred rows, not one per
// rep) and an "_owner" table keyed by owner first (a rep's or a team's figures are a range of the key).
// Dates are days in the company time zone; a timestamp (created_at, closed_at) counts on its local day.
//
// - Sales (orders): a confirmed order counts on its order date (its local creation day when it has none)
//   in its currency: one order, its total quantity, its total; per customer; per product once for every
//   product on its lines, with that product's quantity and amount. Per customer also by year, quarter,
//   month and all time together, for the rankings: the company's, and each team's (the team its owner
//   is in now: a rep moving to another team takes their sales along).
// - Contracts: every contract by status, and by the month it was signed ("" while unsigned).
// - Funnel (opportunities): by local creation day and stage: count, amount, and for closed ones the days
//   from creation to closing. Forecast: open ones by expected closing month ("" none): count, amount, and
//   amount × probability (divided by 100 when read, so no rounding accumulates).
// - Campaigns: won opportunities' count and amount per campaign.
// - Tickets: by local creation day, status, type and satisfaction (0: not rated): count, resolved count,
//   seconds from creation to resolution.
// - Customers: by local creation month, type, source, level and status: count.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"

namespace kehu {

// One aggregate table: its name, its key columns (in primary-key order; those named *_id are integers,
// the others text) and its counter columns (integers), plus secondary indexes (column lists).
struct StatTable {
  std::string name;
  std::vector<std::string> keys;
  std::vector<std::string> counters;
  std::vector<std::string> indexes;
};

// The period of stat_sales_customer_period holding each customer's sales of every month ever (the other
// periods are "2026", "2026-Q2" and "2026-06"; this label sorts after them all).
inline constexpr const char* kAllTime = "all";

// Every aggregate table, in the order the schema creates them.
const std::vector<StatTable>& stat_tables();
const StatTable& stat_table(const std::string& name);
// "CREATE TABLE <name> (...) WITHOUT ROWID" for `table` under the name `name` (a check counts into copies).
std::string stat_table_sql(const StatTable& table, const std::string& name);

// A key of one table (values in the table's key order) and the counters added to it.
struct StatKey {
  const StatTable* table = nullptr;
  std::vector<SqlValue> values;
  bool operator<(const StatKey& o) const;
};
using StatCounters = std::vector<int64_t>;
using StatFacts = std::map<StatKey, StatCounters>;

// The entities statistics are made of, in the order they are counted.
const std::vector<std::string>& counted_entities();
// Whether statistics are made of `entity` at all.
bool counts_in_statistics(const std::string& entity);

// The team an owner is in now (0: none, or no owner), for the teams' rankings.
using TeamOf = std::function<int64_t(int64_t owner_id)>;

// Adds what record `record` of `entity` contributes, times `sign` (+1 or -1), to `facts`. `zone` is the
// company time zone. Entities that statistics are not made of add nothing.
void add_facts(StatFacts& facts, const std::string& entity, const nlohmann::json& record, const std::string& zone, int sign,
               const TeamOf& team_of);

// What sales of `customer` in `month` ("YYYY-MM") add to the rankings of `team` (its year, quarter, month
// and all time), times `sign`: an order's part, or all of a rep's when the rep moves to another team.
void add_team_ranking_facts(StatFacts& facts, int64_t team, const std::string& month, int64_t customer,
                            const std::string& currency, const StatCounters& sales, int sign);

}  // namespace kehu
