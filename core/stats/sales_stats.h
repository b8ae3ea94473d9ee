// sales_stats.h — GET /stats/sales (SPEC §5): orders, quantity and amount per day, month or year, per
// currency, from the aggregates (stat_facts.h) — never by counting the orders themselves.
//
// Scoped as SPEC §3: an administrator sees the company, a manager the orders their team owns, a rep
// their own; the other roles have no sales statistics (not_found, as for anything they may not see).
// Filters (customer, owner, team, product) narrow within that reach and never widen it.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/users/record_scope.h"

namespace kehu {

// How far `viewer` reaches in sales statistics.
Reach sales_stats_reach(const Viewer& viewer);

// `params`: group=day|month|year (default month), from/to YYYY-MM-DD (default: the last 30 days, 12
// months or 5 years up to `today`; months and years count whole months, from `from`'s to `to`'s),
// customer_id, owner_id, team_id, product_id (customer and product not together). Every period of the range is in `series`, once per currency met (CNY when none), zeros
// included, oldest first: {series: [{period, currency, orders, quantity, amount}], total: [{currency,
// orders, quantity, amount}], group, from, to}. Bad parameters: ErrorCode::bad_request naming them.
Result<nlohmann::json> sales_statistics(Database& db, const Viewer& viewer, const std::multimap<std::string, std::string>& params,
                                        const std::string& today);

}  // namespace kehu
