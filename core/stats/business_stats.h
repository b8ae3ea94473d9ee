// business_stats.h — GET /stats/contracts, /stats/funnel, /stats/forecast, /stats/campaigns,
// /stats/tickets and /stats/customers (SPEC §5), each read from the aggregates of stat_facts.h within
// the viewer's reach (stat_query.h: stat_reach). Bad parameters are 400 naming them; a role without
// these statistics gets 404. Periods are days and months in the company time zone; `today` is the
// company's today.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/stats/stat_query.h"

namespace kehu {

// Contracts by status (all of them) and signed contracts (signed, executing, completed) by signing month
// from/to (default the last 12 months, zero-filled): {from, to, by_status: [{status, currency, contracts,
// amount}], by_month: [{period, currency, contracts, amount}], total: [{currency, contracts, amount}]}.
// owner_id / team_id narrow.
Result<nlohmann::json> contract_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// Opportunities created from/to (default the last 12 months) by stage: {from, to, stages: [{stage,
// opportunities, amounts: [{currency, amount}]}] in pipeline order, won, lost, win_rate (won / (won +
// lost), null when none closed), average_days_to_close (of the won ones, null when none)}.
Result<nlohmann::json> funnel_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// Open opportunities by expected closing month (optionally from/to): {months: [{period (null: no date),
// currency, opportunities, amount, weighted (amount × probability / 100, rounded)}], total: [{currency,
// opportunities, amount, weighted}]}.
Result<nlohmann::json> forecast_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// Every campaign (newest first, at most 200): {campaigns: [{campaign_id, name, status, budget,
// actual_cost, members: {targeted, sent, opened, responded, converted}, responses (responded + converted),
// cost_per_response (null when none), won, revenue: [{currency, amount}]}]}.
Result<nlohmann::json> campaign_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// Tickets created from/to (default the last 12 months): {from, to, tickets, by_status: [{status, tickets}],
// by_type: [{type, tickets}], resolved, average_resolution_hours (null when none), satisfaction: {rated,
// average (null), counts: [five counts, 1 to 5]}}.
Result<nlohmann::json> ticket_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

// New customers per month from/to (default the last 12 months, zero-filled) and the split of all
// customers by type, source, level and status: {from, to, new_per_month: [{period, customers}], total,
// by_type: [{value, customers}], by_source, by_level, by_status}. owner_id / team_id narrow.
Result<nlohmann::json> customer_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today);

}  // namespace kehu
