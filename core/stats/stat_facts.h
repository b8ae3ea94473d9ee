// stat_facts.h — what one record adds to the statistics tables (SPEC §5 /stats, §7 "incremental aggregates").
//
// A record contributes "facts": rows of aggregate tables, each a key (period, owner, customer, ...) and
// counters to add. A change of a record is its new facts minus its old ones, applied in the write's own
// transaction (stats_upkeep.h), so the figures are always exactly the sum over the live records — which
// is what check_statistics() verifies by counting everything again from the records themselves.
//
// Sales (orders): a confirmed order counts on its order date (the creation day in the company time zone
// when it has none) for its owner (0: none) in its currency: one order, its total quantity, its total.
// Per product, an order counts once for every product on its lines, with that product's quantity and amount.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"

namespace kehu {

// One aggregate table: its name, its key columns (in primary-key order) and its counter columns.
struct StatTable {
  std::string name;
  std::vector<std::string> keys;
  std::vector<std::string> counters;
};

// Every aggregate table, in the order the schema creates them.
const std::vector<StatTable>& stat_tables();

// A key of one table (values in the table's key order) and the counters added to it.
struct StatKey {
  const StatTable* table = nullptr;
  std::vector<SqlValue> values;
  bool operator<(const StatKey& o) const;
};
using StatCounters = std::vector<int64_t>;
using StatFacts = std::map<StatKey, StatCounters>;

// Adds what record `record` of `entity` contributes, times `sign` (+1 or -1), to `facts`. `zone` is the
// company time zone. Entities that statistics are not made of add nothing.
void add_facts(StatFacts& facts, const std::string& entity, const nlohmann::json& record, const std::string& zone, int sign);

// Whether statistics are made of `entity` at all.
bool counts_in_statistics(const std::string& entity);

}  // namespace kehu
