#include "core/stats/churn_window.h"

#include "core/clock.h"
#include "core/stats/stat_query.h"

namespace kehu {

namespace {

// A window more than this many days behind is counted again rather than moved day by day: each step
// reads three days of daily sales, a count reads 2 × days of them.
constexpr int64_t kMostDaysMoved = 7;

// Adds each customer's confirmed amounts of one day of daily sales, times now_sign to "now" and times
// before_sign to "before".
Status move_day(Database& db, const std::string& day, int now_sign, int before_sign) {
  return db.run(
      "INSERT INTO churn_window (customer_id, currency, amount_now, amount_before)"
      " SELECT customer_id, currency, ?2 * sum(amount), ?3 * sum(amount) FROM stat_sales_customer_day WHERE day = ?1"
      " GROUP BY customer_id, currency"
      " ON CONFLICT DO UPDATE SET amount_now = amount_now + excluded.amount_now,"
      " amount_before = amount_before + excluded.amount_before",
      {day, int64_t{now_sign}, int64_t{before_sign}});
}

// Drops the rows of the customers with sales on `day` that no longer hold anything.
Status drop_empty_rows_of(Database& db, const std::string& day) {
  return db.run(
      "DELETE FROM churn_window WHERE amount_now = 0 AND amount_before = 0"
      " AND customer_id IN (SELECT customer_id FROM stat_sales_customer_day WHERE day = ?)",
      {day});
}

// The window [end - days + 1, end] ("now") and the `days` before it, counted from the daily sales into
// `table` (empty).
Status count_window_into(Database& db, const std::string& table, int64_t days, const std::string& end) {
  const int64_t last = day_of_date(end);
  return db.run("INSERT INTO " + table +
                    " (customer_id, currency, amount_now, amount_before)"
                    " SELECT customer_id, currency, sum(CASE WHEN day >= ?1 THEN amount ELSE 0 END) AS now,"
                    " sum(CASE WHEN day < ?1 THEN amount ELSE 0 END) AS before FROM stat_sales_customer_day"
                    " WHERE day BETWEEN ?2 AND ?3 GROUP BY customer_id, currency HAVING now <> 0 OR before <> 0",
                {date_of_day(last - days + 1), date_of_day(last - 2 * days + 1), end});
}

}  // namespace

Result<std::optional<ChurnWindow>> churn_window(Database& db) {
  std::optional<ChurnWindow> window;
  KEHU_TRY(for_each_row(db, "SELECT days, as_of FROM churn_window_state WHERE id = 1", {}, [&](Statement& s) {
    window = ChurnWindow{s.column_int(0), std::string(s.column_text(1))};
  }));
  return window;
}

Status churn_window_add(Database& db, const std::optional<ChurnWindow>& window, int64_t customer,
                        const std::string& day, const std::string& currency, int64_t amount) {
  if (!window || amount == 0) return ok_status();
  const int64_t end = day_of_date(window->as_of), at = day_of_date(day);
  if (at > end || at <= end - 2 * window->days) return ok_status();
  const bool now = at > end - window->days;
  KEHU_TRY(
      db.run("INSERT INTO churn_window (customer_id, currency, amount_now, amount_before) VALUES (?1, ?2, ?3, ?4)"
             " ON CONFLICT DO UPDATE SET amount_now = amount_now + excluded.amount_now,"
             " amount_before = amount_before + excluded.amount_before",
             {customer, currency, now ? amount : 0, now ? 0 : amount}));
  return db.run(
      "DELETE FROM churn_window WHERE customer_id = ? AND currency = ? AND amount_now = 0 AND amount_before = 0",
      {customer, currency});
}

Result<bool> churn_window_is_at(Database& db, int64_t days, const std::string& today) {
  auto window = churn_window(db);
  if (!window.ok()) return window.take_error();
  return window->has_value() && (*window)->days == days && (*window)->as_of == today;
}

Status bring_churn_window_to(Database& db, int64_t days, const std::string& today) {
  auto window = churn_window(db);
  if (!window.ok()) return window.take_error();
  const int64_t target = day_of_date(today);
  const int64_t from = *window ? day_of_date((*window)->as_of) : 0;
  if (*window && (*window)->days == days && from <= target && target - from <= kMostDaysMoved) {
    // The window [end - days + 1, end] becomes [end - days + 2, end + 1]: the new day comes in, the
    // day that leaves "now" goes to "before", and the oldest day of "before" goes.
    for (int64_t end = from + 1; end <= target; ++end) {
      const std::string in = date_of_day(end), across = date_of_day(end - days), out = date_of_day(end - 2 * days);
      KEHU_TRY(move_day(db, in, +1, 0));
      KEHU_TRY(move_day(db, across, -1, +1));
      KEHU_TRY(move_day(db, out, 0, -1));
      for (const auto& day : {in, across, out}) KEHU_TRY(drop_empty_rows_of(db, day));
    }
  } else if (!*window || (*window)->days != days || from != target) {
    KEHU_TRY(db.run("DELETE FROM churn_window"));
    KEHU_TRY(count_window_into(db, "churn_window", days, today));
  }
  return db.run(
      "INSERT INTO churn_window_state (id, days, as_of) VALUES (1, ?1, ?2)"
      " ON CONFLICT DO UPDATE SET days = excluded.days, as_of = excluded.as_of",
      {days, today});
}

Status forget_churn_window(Database& db) {
  KEHU_TRY(db.run("DELETE FROM churn_window_state"));
  return db.run("DELETE FROM churn_window");
}

Result<std::vector<std::string>> check_churn_window(Database& db, size_t limit) {
  std::vector<std::string> differences;
  auto window = churn_window(db);
  if (!window.ok()) return window.take_error();
  if (!*window) return differences;
  KEHU_TRY(
      db.exec("DROP TABLE IF EXISTS temp.check_churn_window;"
              "CREATE TABLE temp.check_churn_window (customer_id INTEGER NOT NULL, currency TEXT NOT NULL,"
              " amount_now INTEGER NOT NULL, amount_before INTEGER NOT NULL, PRIMARY KEY (customer_id, currency))"));
  Status compared = count_window_into(db, "temp.check_churn_window", (*window)->days, (*window)->as_of);
  // Both ways: rows stored but not counted (or other amounts), and rows counted but not stored.
  const char* sides[2][3] = {{"main.churn_window", "temp.check_churn_window", "stored"},
                             {"temp.check_churn_window", "main.churn_window", "counted"}};
  for (const auto& side : sides) {
    if (!compared.ok()) break;
    const std::string columns = "customer_id, currency, amount_now, amount_before";
    compared = for_each_row(
        db,
        std::string("SELECT d.customer_id, d.currency, d.amount_now, d.amount_before, o.amount_now, o.amount_before "
                    "FROM (SELECT ") +
            columns + " FROM " + side[0] + " EXCEPT SELECT " + columns + " FROM " + side[1] + ") AS d LEFT JOIN " +
            side[1] + " AS o USING (customer_id, currency)",
        {}, [&](Statement& s) {
          const bool in_other = s.column_type(4) != ColumnType::null;
          if (differences.size() >= limit || (in_other && std::string(side[2]) == "counted")) return;
          const std::string mine = "[" + std::to_string(s.column_int(2)) + ", " + std::to_string(s.column_int(3)) + "]";
          const std::string theirs =
              in_other ? "[" + std::to_string(s.column_int(4)) + ", " + std::to_string(s.column_int(5)) + "]"
                       : "nothing";
          differences.push_back("churn_window [" + std::to_string(s.column_int(0)) + ", " +
                                std::string(s.column_text(1)) + "]: " + side[2] + " " + mine + ", " +
                                (side[2] == std::string("stored") ? "counted " : "stored ") + theirs);
        });
  }
  (void)db.run("DROP TABLE IF EXISTS temp.check_churn_window");
  if (!compared.ok()) return compared.take_error();
  return differences;
}

}  // namespace kehu
