// stats_upkeep.h — keeping the statistics tables (stat_facts.h) equal to the sum over the live records.
//
// The record store calls update_statistics() for every create, update and delete inside the write's
// transaction: the figures move with the records or not at all, and no dashboard ever counts the orders
// themselves. rebuild_statistics() counts everything again (the migration that creates the tables, a
// change of the company time zone); check_statistics() counts everything again without writing and
// names every figure that differs from the tables (the property tests, `crm-server check`).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"

namespace kehu {

// The company time zone from the settings (Asia/Shanghai until an administrator sets another).
Result<std::string> company_time_zone(Database& db);
// The date at instant `now_ms` in the company time zone (UTC when this process does not know the zone).
Result<std::string> company_date(Database& db, int64_t now_ms);

// Moves the figures of `entity` from what `before` contributed to what `after` does (null: created /
// deleted). Call inside the transaction that writes the record.
Status update_statistics(Database& db, const EntityDef& entity, const nlohmann::json& before, const nlohmann::json& after);

// Empties the statistics tables and counts every live record again. Call inside a write transaction.
Status rebuild_statistics(Database& db);

// Drops every statistics table there is, creates those of stat_tables() and counts them. The migrations
// that change what statistics are kept call it: the tables are derived data, made again from the records.
Status reset_statistics(Database& db);

// Every figure that differs from a count from scratch ("stat_sales_day [2026-01-31, CNY]: stored
// [2, 5, 900], counted [1, 2, 300]"; "... counted [1, 2, 300], stored nothing"), at most `limit` of them; empty when the tables are exact.
Result<std::vector<std::string>> check_statistics(Database& db, size_t limit = 20);

}  // namespace kehu
