// calendar_entries.h — the activities a calendar shows (联系活动日历), read from the cache: each placed at
// its start time, or its due time when it has none (a task), between two instants.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::client {

// Activities placed in [from, to) (RFC 3339 instants), earliest first, at most `max_rows`; each
// {id, type, subject, at, due_at, done, customer_id}. Stored times may carry any offset, so they are compared as
// instants; an index range a day wider on each side keeps the read to the visible weeks.
Result<nlohmann::json> read_calendar_entries(Database& db, const std::string& from, const std::string& to, int64_t max_rows);

}  // namespace kehu::client
