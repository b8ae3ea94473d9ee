// dashboard_figures.h — what the dashboard (工作台) shows, read from the cache: so it is instant, works
// offline, and shows exactly what the user may see (the cache holds only their rows).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::client {

struct DashboardFigures {
  int64_t customers = 0;            // customers the user sees
  int64_t open_opportunities = 0;   // not won or lost
  int64_t open_amount = 0;          // their amount in CNY, minor units
  int64_t contracts_pending = 0;    // awaiting approval
  int64_t open_tickets = 0;         // not resolved or closed
  int64_t month_orders = 0;         // orders dated this month (not cancelled)
  int64_t month_amount = 0;         // their total in CNY, minor units
  nlohmann::json announcements = nlohmann::json::array();  // current ones for the role, newest first (max 5)
  nlohmann::json today = nlohmann::json::array();          // the user's open activities due or starting today, or overdue
  nlohmann::json reminders = nlohmann::json::array();      // the user's open activities whose reminder time has come
  // The user's own customers forgotten: no counted contact, no order and not created since
  // `forgotten_before` (the churn list's "no_contact", SPEC §5), longest forgotten first (max 5), each
  // {id, name, touched_at}; and how many there are, at most kForgottenCountCap.
  nlohmann::json forgotten = nlohmann::json::array();
  int64_t forgotten_count = 0;
};

constexpr int64_t kForgottenCountCap = 1000;

// `now` is RFC 3339 UTC; `day_start`/`day_end` bound the user's local today in UTC; `month_start` is the
// local month's first day ("YYYY-MM-01"); `forgotten_before` the instant churn_days before now.
Result<DashboardFigures> read_dashboard(Database& db, int64_t user_id, const std::string& role, const std::string& now,
                                        const std::string& day_start, const std::string& day_end, const std::string& month_start,
                                        const std::string& forgotten_before);

}  // namespace kehu::client
