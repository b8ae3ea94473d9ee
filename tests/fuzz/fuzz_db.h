// fuzz_db.h — the databases the fuzz targets run core against: in memory, made once per process.
//
// seeded_db(): the server's schema (migrations.h) holding two teams, a user of every role and a few
// records of every kind, written through core's own write path, plus settings that extend an option list
// and define custom fields, so filters, references, scopes, sorting and custom-field checks all have rows
// to find. Targets only read it, or write in a transaction they roll back. scratch_db(): a copy of it for
// targets that commit writes, restored by every call that follows a write, so each input starts from the
// same state and a saved crash reproduces from its input alone. viewers(): whom a request may come from.
// A failure while seeding aborts: a fuzz run on a half-made database would prove nothing.
// Single-threaded, as libFuzzer runs a target.
#pragma once

#include <vector>

#include "core/clock.h"
#include "core/db/sqlite_database.h"
#include "core/users/record_scope.h"

namespace kehu::fuzz {

SqliteDatabase& seeded_db();
SqliteDatabase& scratch_db();

// An empty client cache (the server's schema, opened with the web client's options), for sync answers.
// Restored to empty, like scratch_db().
SqliteDatabase& empty_cache_db();

// The system, then each seeded user (admin, manager of team 1, two sales reps in teams 1 and 2, service,
// contract, viewer): always at least 8.
const std::vector<Viewer>& viewers();

// The fixed time every write is stamped with.
const Clock& fuzz_clock();

}  // namespace kehu::fuzz
