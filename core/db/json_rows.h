// json_rows.h — the rows of a query as JSON objects, each named by the query's own column names
// ("SELECT id, subject, ifnull(due_at, start_at) AS at ..." gives {"id", "subject", "at"}): for the small
// read models screens and rules build straight from SQL.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"

namespace kehu {

// Every row of `sql` with `args` bound, as an array of objects. NULL reads as null, integers as
// integers, reals as numbers and everything else as text.
Result<nlohmann::json> query_json_rows(Database& db, std::string_view sql, const std::vector<SqlValue>& args = {});

}  // namespace kehu
