// client_cache_helpers.h — a client cache next to a server database in core tests: opened as the web
// client opens it, filled the way its sync loop fills it.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"

namespace kehu::test {

// The server's schema in a private in-memory database, opened with the client cache's options.
std::unique_ptr<SqliteDatabase> open_client_cache();

// Pulls every change after `since` in batches of `limit` (each applied in one transaction, as the
// client does) and returns the rev to ask from next.
int64_t pull_changes(Database& server, Database& cache, int64_t since, int limit);

// The first page (default limit) of run_list_query for `params`.
nlohmann::json list_page(Database& db, const EntityDef& e, std::multimap<std::string, std::string> params);

}  // namespace kehu::test
