// churn_window.h — the churn list's "orders fell" comparison, kept ahead (SPEC §5 /stats/churn).
//
// Per customer and currency: the confirmed order amounts of the `days` days up to `as_of` ("now") and of
// the `days` days before those ("before"). Counted when asked, the comparison sums every customer's
// daily sales over twice the window (a third of a second at a million orders); kept, the list is the
// first rows of an index over the customers whose orders fell by more than half.
//
// The window stays exact because:
// - every write passes its change of the per-customer daily sales through churn_window_add() in the
//   write's transaction (update_statistics does), moving "now" or "before" when the day is inside;
// - when the company's date turns, bring_churn_window_to() moves the window one day at a time (three
//   days of daily sales a step), or counts it again when it is more than a week behind, `days` changed,
//   or it was forgotten (a time-zone change recounts the daily sales and forgets the window).
// The window is kept for one length, the settings' churn_days; a list for another length is counted
// when asked (churn.cpp), as is any list while the window is not yet at today.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/db/database.h"

namespace kehu {

// The kept window: its length in days and the last day it covers (company time zone).
struct ChurnWindow {
  int64_t days = 0;
  std::string as_of;
};

// The kept window, or nullopt when none is kept (never counted, or forgotten).
Result<std::optional<ChurnWindow>> churn_window(Database& db);

// `amount` more (or less) confirmed orders of `customer` in `currency` on `day`. Call in the write's
// transaction for every change of stat_sales_customer_day; nothing happens when no window is kept or
// the day is outside it.
Status churn_window_add(Database& db, const std::optional<ChurnWindow>& window, int64_t customer,
                        const std::string& day, const std::string& currency, int64_t amount);

// Whether the kept window is `days` long and ends on `today`.
Result<bool> churn_window_is_at(Database& db, int64_t days, const std::string& today);

// Moves (or counts again) the kept window so it is `days` long and ends on `today`. Call inside a
// write transaction.
Status bring_churn_window_to(Database& db, int64_t days, const std::string& today);

// Drops the kept window; the next bring_churn_window_to() counts it from the daily sales.
Status forget_churn_window(Database& db);

// Every row of the kept window that differs from a count from the daily sales ("churn_window [17, CNY]:
// stored [100, 900], counted [100, 1000]"), at most `limit`; empty when exact or when none is kept.
Result<std::vector<std::string>> check_churn_window(Database& db, size_t limit = 20);

}  // namespace kehu
