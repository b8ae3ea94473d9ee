// churn.h — GET /stats/churn (SPEC §5, the churn warning list 流失预警): customers slipping away, each with
// the reason, so a rep can call them before they are lost.
//
// Two reasons, for customers within the viewer's sales reach (admin all, manager the team's, rep own):
// - "no_contact": no counted contact (a done call, visit, meeting or e-mail), no order, and not created,
//   for `days` days — the longest forgotten first;
// - "orders_fell": confirmed orders in the last `days` days (company time zone) came to less than half
//   of the `days` before, per currency — the largest fall first.
// A customer forgotten altogether is listed once, as no_contact. The comparison is read from the kept
// window (churn_window.h) when it has this length and ends today, else summed when asked.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/stats/stat_query.h"

namespace kehu {

// A customer's last touch, as SQL over the customers table: its last counted contact, last order or
// creation, whichever is latest (canonical UTC text, compared as text). The same expression as the
// indexes customers_last_touch and customers_owner_touch (migrations.cpp), so queries written with it
// are served by them; the churn list and the dashboard's forgotten customers (web/) use it.
inline constexpr const char* kCustomerLastTouch = "max(ifnull(last_contact_at, ''), ifnull(last_order_at, ''), created_at)";

// The churn window's length in days the settings give (churn_days; 90 until an administrator sets one):
// the length the list uses unless asked for another, and the one kept ahead (churn_window.h).
Result<int64_t> configured_churn_days(Database& db);

// `params`: days (1–3650, default the settings' churn_days), limit (1–500, default 100, per reason).
// `today` is the company's date, `now_ms` the instant. {days, customers: [{customer_id, name, owner_id,
// level, reason, last_contact_at, last_order_at, currency, amount_before, amount_now}]} (the last three
// only for orders_fell).
Result<nlohmann::json> churn_list(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today,
                                  int64_t now_ms);

}  // namespace kehu
