// customer_timeline.h — GET /customers/{id}/timeline (SPEC §5): a customer's activities, e-mails,
// tickets, orders and contracts, newest first, paged.
//
// Each kind is read through its own record scope (record_scope.h), so the timeline shows a user exactly
// the rows their lists would — a rep sees the customer's tickets, a service agent its opportunities'
// activities, nobody a row of a kind their role does not read. The customer itself must be visible (404).
// An item's time: an activity's start (else creation), an e-mail's time, an order's date, a contract's
// signing date (else creation), a ticket's creation. Each kind is read through its customer_id index:
// a rep's own rows of a kind can be far more than one customer's.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/users/record_scope.h"

namespace kehu {

struct TimelinePage {
  nlohmann::json items = nlohmann::json::array();  // [{entity, id, at, record}]
  std::string next_cursor;                          // empty: no more
};

// `params`: limit (1-500, default 50) and cursor (from the previous page). Bad ones are
// ErrorCode::bad_request naming the parameter.
Result<TimelinePage> read_customer_timeline(Database& db, int64_t customer_id, const Viewer& viewer,
                                            const std::multimap<std::string, std::string>& params);

}  // namespace kehu
