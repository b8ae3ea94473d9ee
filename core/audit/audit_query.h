// audit_query.h — reading the audit trail (SPEC §4 audit, §5 GET /audit; admin only, enforced by the caller).
//
// The trail is append-only (triggers refuse UPDATE and DELETE; nothing here writes). A query filters by
// entity, record (entity_id), user, action and time (from/to, inclusive; a bare date in `to` takes the
// whole day) and pages newest first by id: the cursor is the last id seen, so pages stay stable while
// new rows arrive.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"

namespace kehu {

struct AuditPage {
  nlohmann::json items = nlohmann::json::array();  // {id, at, user_id, action, entity, entity_id, changes, ip}
  std::string next_cursor;                         // empty: no more
};

// Validates `params` (unknown or malformed ones are ErrorCode::bad_request naming the parameter) and reads
// one page.
Result<AuditPage> read_audit(Database& db, const std::multimap<std::string, std::string>& params);

}  // namespace kehu
