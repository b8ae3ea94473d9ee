// migrations.h — the database schema as numbered migrations (server database and client cache alike).
//
// The schema version is SQLite's `user_version`. migrate() applies every migration above it, each in its
// own transaction together with the version bump, so a crash leaves the database at a whole version.
// A migration, once released, never changes; later changes are new migrations. Tests migrate from empty
// and from every older version.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/db/database.h"

namespace kehu {

struct Migration {
  int version;
  std::string description;
  std::string sql;
  // Run after `sql`, in the same transaction: work SQL alone cannot do (counting the statistics).
  std::function<Status(Database&)> then;
};

const std::vector<Migration>& migrations();
int latest_schema_version();

// Brings `db` to `target` (default: latest). Refuses a database newer than this program knows.
Result<int> migrate(Database& db, int target = -1);
Result<int> schema_version(Database& db);

}  // namespace kehu
