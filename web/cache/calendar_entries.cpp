#include "web/cache/calendar_entries.h"

#include "core/db/json_rows.h"

namespace kehu::client {

Result<nlohmann::json> read_calendar_entries(Database& db, const std::string& from, const std::string& to, int64_t max_rows) {
  // ?1/?2: the exact bounds, compared as instants; `near` widens them by a day as dates, a range the
  // start_at and due_at indexes serve whatever offset a stored time carries (offsets stay within ±14 h).
  const std::string near = "BETWEEN date(?1, '-1 day') AND date(?2, '+2 day')";
  return query_json_rows(db,
                         "SELECT id, type, subject, ifnull(start_at, due_at) AS at, due_at, done, customer_id FROM activities "
                         "WHERE (start_at " + near + " OR (start_at IS NULL AND due_at " + near + ")) "
                         "AND julianday(ifnull(start_at, due_at)) >= julianday(?1) AND julianday(ifnull(start_at, due_at)) < julianday(?2) "
                         "ORDER BY julianday(at), id LIMIT ?3",
                         {from, to, max_rows});
}

}  // namespace kehu::client
