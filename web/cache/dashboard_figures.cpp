#include "web/cache/dashboard_figures.h"

#include "core/db/json_rows.h"
#include "core/stats/churn.h"

namespace kehu::client {

using nlohmann::json;

namespace {

Result<int64_t> number(Database& db, const std::string& sql, const std::vector<SqlValue>& args = {}) {
  auto v = db.query_int(sql, args);
  if (!v.ok()) return v.take_error();
  return v->value_or(0);
}

}  // namespace

Result<DashboardFigures> read_dashboard(Database& db, int64_t user_id, const std::string& role, const std::string& now,
                                        const std::string& day_start, const std::string& day_end, const std::string& month_start,
                                        const std::string& forgotten_before) {
  DashboardFigures f;
  auto take = [](Result<int64_t> r, int64_t& into) -> Status {
    if (!r.ok()) return r.take_error();
    into = *r;
    return ok_status();
  };
  KEHU_TRY(take(number(db, "SELECT count(*) FROM customers"), f.customers));
  KEHU_TRY(take(number(db, "SELECT count(*) FROM opportunities WHERE stage NOT IN ('won', 'lost')"), f.open_opportunities));
  KEHU_TRY(take(number(db, "SELECT ifnull(sum(amount), 0) FROM opportunities WHERE stage NOT IN ('won', 'lost') AND currency = 'CNY'"),
                f.open_amount));
  KEHU_TRY(take(number(db, "SELECT count(*) FROM contracts WHERE status = 'pending_approval'"), f.contracts_pending));
  KEHU_TRY(take(number(db, "SELECT count(*) FROM tickets WHERE status NOT IN ('resolved', 'closed')"), f.open_tickets));
  const std::string month = "order_date >= ?1 AND order_date < date(?1, '+1 month') AND status != 'cancelled'";
  KEHU_TRY(take(number(db, "SELECT count(*) FROM orders WHERE " + month, {month_start}), f.month_orders));
  KEHU_TRY(take(number(db, "SELECT ifnull(sum(total), 0) FROM orders WHERE " + month + " AND ifnull(currency, 'CNY') = 'CNY'", {month_start}),
                f.month_amount));

  auto notices = query_json_rows(db,
                      "SELECT id, title, body, publish_at FROM announcements WHERE (publish_at IS NULL OR julianday(publish_at) <= julianday(?1)) "
                      "AND (expire_at IS NULL OR julianday(expire_at) > julianday(?1)) AND (audience = '[]' OR EXISTS (SELECT 1 FROM json_each(audience) "
                      "WHERE value = ?2)) ORDER BY ifnull(publish_at, created_at) DESC, id DESC LIMIT 5",
                      {now, role});
  if (!notices.ok()) return notices.take_error();
  f.announcements = std::move(*notices);

  // Times may carry any offset ("+08:00"): compared as instants (julianday), not as text.
  const std::string mine = "owner_id = ?1 AND done = 0";
  auto in_today = [](const char* column) {
    return std::string("(julianday(") + column + ") >= julianday(?2) AND julianday(" + column + ") < julianday(?3))";
  };
  auto today = query_json_rows(db,
                    "SELECT id, type, subject, ifnull(due_at, start_at) AS at, customer_id FROM activities WHERE " + mine + " AND (" +
                        in_today("due_at") + " OR " + in_today("start_at") + " OR julianday(due_at) < julianday(?4))"
                        " ORDER BY julianday(at) LIMIT 50",
                    {user_id, day_start, day_end, now});
  if (!today.ok()) return today.take_error();
  f.today = std::move(*today);
  auto due = query_json_rows(db, "SELECT id, subject, remind_at FROM activities WHERE " + mine + " AND julianday(remind_at) <= julianday(?2) ORDER BY julianday(remind_at) LIMIT 20",
                  {user_id, now});
  if (!due.ok()) return due.take_error();
  f.reminders = std::move(*due);

  // Forgotten customers: the last touch as the server's churn list takes it, served by the index
  // customers_owner_touch. Counted up to kForgottenCountCap, so a user owning a million customers waits
  // for no full count.
  const std::string touched = kCustomerLastTouch;
  const std::string forgotten = "owner_id = ?1 AND " + touched + " < ?2";
  KEHU_TRY(take(number(db, "SELECT count(*) FROM (SELECT 1 FROM customers WHERE " + forgotten + " LIMIT ?3)",
                       {user_id, forgotten_before, kForgottenCountCap}),
                f.forgotten_count));
  auto oldest = query_json_rows(db, "SELECT id, name, " + touched + " AS touched_at FROM customers WHERE " + forgotten +
                                        " ORDER BY " + touched + ", id LIMIT 5",
                                {user_id, forgotten_before});
  if (!oldest.ok()) return oldest.take_error();
  f.forgotten = std::move(*oldest);
  return f;
}

}  // namespace kehu::client
