// sales_stats.h — GET /stats/sales, /stats/sales/by-customer, /stats/sales/by-team (SPEC §5): orders,
// quantity and amount per currency from the aggregates (stat_facts.h), never by counting the orders.
//
// Scoped as SPEC §3: an administrator sees the company, a manager the orders their team owns, a rep
// their own; the other roles have no sales statistics (not_found, as for anything they may not see).
// Filters (customer, owner, team, product) narrow within that reach and never widen it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/stats/stat_query.h"

namespace kehu {

// `params`: group=day|month|year (default month), from/to (stat_range), customer_id, owner_id, team_id,
// product_id (customer and product not together). Every period of the range is in `series`, once per
// currency met (CNY when none), zeros included, oldest first: {group, from, to, series: [{period,
// currency, orders, quantity, amount}], total: [{currency, orders, quantity, amount}]}.
Result<nlohmann::json> sales_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// The customers who bought most in the range (whole months; default this calendar year): group=month|year
// (default month), from/to, limit (1–100, default 20), offset, owner_id, team_id. {group, from, to, more,
// customers: [{customer_id, name, currency, orders, quantity, amount, series: [{period, orders, quantity,
// amount}]}]}, largest amount first, then the newest customer (a customer buying in two currencies is a
// row for each). The company's and a team's ranking are read from the kept rankings by period
// (customer_ranking.h); a rep's sums their months.
Result<nlohmann::json> sales_by_customer(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// Sales per team and per rep in the range (whole months; default the last 12): {from, to, teams:
// [{team_id, name, currency, orders, quantity, amount, members: [{owner_id, name, orders, quantity,
// amount}]}]}, largest amount first. A rep counts in the team they are in now; orders without an owner,
// or of a rep in no team, are under team_id null.
Result<nlohmann::json> sales_by_team(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

}  // namespace kehu
