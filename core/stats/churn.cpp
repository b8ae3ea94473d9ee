#include "core/stats/churn.h"

#include <set>

#include "core/clock.h"
#include "core/settings/settings.h"
#include "core/stats/churn_window.h"

namespace kehu {

using nlohmann::json;

namespace {

json text_or_null(Statement& s, int column) {
  return s.column_type(column) == ColumnType::null ? json() : json(std::string(s.column_text(column)));
}

json customer_row(Statement& s, const char* reason) {
  return {{"customer_id", s.column_int(0)},
          {"name", std::string(s.column_text(1))},
          {"owner_id", s.column_type(2) == ColumnType::null ? json() : json(s.column_int(2))},
          {"level", text_or_null(s, 3)},
          {"last_contact_at", text_or_null(s, 4)},
          {"last_order_at", text_or_null(s, 5)},
          {"reason", reason}};
}

}  // namespace

Result<int64_t> configured_churn_days(Database& db) {
  auto settings = read_settings(db);
  if (!settings.ok()) return settings.take_error();
  return settings->value("churn_days", int64_t{90});
}

Result<json> churn_list(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today,
                        int64_t now_ms) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto configured = configured_churn_days(db);
  if (!configured.ok()) return configured.take_error();
  auto days = stat_number(params, "days", *configured, 1, 3650);
  if (!days.ok()) return days.take_error();
  auto limit = stat_number(params, "limit", 100, 1, 500);
  if (!limit.ok()) return limit.take_error();

  json customers = json::array();
  std::set<int64_t> listed;
  const std::string columns = "c.id, c.name, c.owner_id, c.level, c.last_contact_at, c.last_order_at";
  ScopeCondition scope = owner_condition(reach, viewer, "c.owner_id");
  std::vector<SqlValue> args = {format_rfc3339_ms(now_ms - *days * 86'400'000)};
  args.insert(args.end(), scope.args.begin(), scope.args.end());
  args.emplace_back(*limit);
  KEHU_TRY(for_each_row(db,
                        "SELECT " + columns + " FROM customers AS c WHERE " + kCustomerLastTouch + " < ? AND " + scope.sql +
                            " ORDER BY " + kCustomerLastTouch + ", c.id LIMIT ?",
                        args, [&](Statement& s) {
                          listed.insert(s.column_int(0));
                          customers.push_back(customer_row(s, "no_contact"));
                        }));

  // Orders now against before, per customer and currency; the customer is within reach by its owner,
  // whoever took its orders. From the kept window when it is this one (churn_window.h), else summed
  // from the per-customer daily sales. Rows come largest fall first; a customer falling in two
  // currencies is listed once, so `limit` counts customers.
  std::string within = "1";
  std::vector<SqlValue> within_args;
  if (!scope.everything()) {
    within = "s.customer_id IN (SELECT c.id FROM customers AS c WHERE " + scope.sql + ")";
    within_args = scope.args;
  }
  auto kept = churn_window_is_at(db, *days, today);
  if (!kept.ok()) return kept.take_error();
  std::string falls_sql;
  std::vector<SqlValue> fall_args;
  if (*kept) {
    falls_sql =
        "SELECT s.customer_id, s.currency, s.amount_now, s.amount_before FROM churn_window AS s"
        " WHERE s.amount_before > 0 AND s.amount_before > 2 * s.amount_now AND " +
        within + " ORDER BY s.amount_before - s.amount_now DESC, s.customer_id";
  } else {
    const int64_t end = day_of_date(today);
    const std::string window_start = date_of_day(end - *days + 1), before_start = date_of_day(end - 2 * *days + 1);
    falls_sql =
        "SELECT s.customer_id, s.currency, sum(CASE WHEN s.day >= ? THEN s.amount ELSE 0 END) AS now,"
        " sum(CASE WHEN s.day < ? THEN s.amount ELSE 0 END) AS before FROM stat_sales_customer_day AS s"
        " WHERE s.day BETWEEN ? AND ? AND " +
        within +
        " GROUP BY s.customer_id, s.currency HAVING before > 0 AND now * 2 < before"
        " ORDER BY before - now DESC, s.customer_id";
    fall_args = {window_start, window_start, before_start, today};
  }
  fall_args.insert(fall_args.end(), within_args.begin(), within_args.end());
  auto falls = db.prepare(falls_sql);
  if (!falls.ok()) return falls.take_error();
  (*falls)->bind_all(fall_args);
  for (int64_t added = 0; added < *limit;) {
    auto more = (*falls)->step();
    if (!more.ok()) return more.take_error();
    if (!*more) break;
    Statement& fall = **falls;
    const int64_t customer = fall.column_int(0);
    if (listed.count(customer)) continue;
    const std::string currency(fall.column_text(1));
    const int64_t now = fall.column_int(2), before = fall.column_int(3);
    KEHU_TRY(
        for_each_row(db, "SELECT " + columns + " FROM customers AS c WHERE c.id = ?", {customer}, [&](Statement& s) {
          json row = customer_row(s, "orders_fell");
          row["currency"] = currency, row["amount_before"] = before, row["amount_now"] = now;
          customers.push_back(std::move(row));
          listed.insert(customer);
          ++added;
        }));
  }
  return json{{"days", *days}, {"customers", std::move(customers)}};
}

}  // namespace kehu
