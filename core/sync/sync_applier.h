// sync_applier.h — a client's side of GET /sync (SPEC §6): applies a batch of changes to a local cache.
//
// The cache has the server's schema (migrations.h), so the client's lists and search run the same
// query code (list_query.h) on the same tables and indexes as the server. A change upserts the row by id
// with the server's rev and timestamps, keeps the search index, and a removal deletes the row and its
// index entries. Directory entries (the user directory) go to the local users table with their public
// fields only. Changes must be applied in the order the server sent them; call apply_sync_changes inside
// the caller's transaction so a batch lands whole or not at all. Unknown entities are skipped (a newer
// server may send more than this client knows), malformed changes are ErrorCode::bad_request.
#pragma once

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"

namespace kehu {

struct ApplyStats {
  int64_t upserted = 0;
  int64_t removed = 0;
  int64_t skipped = 0;  // entities this client does not know
};

// `changes` is the "changes" array of a sync answer.
Result<ApplyStats> apply_sync_changes(Database& db, const nlohmann::json& changes);

// Writes one record as the server sent it (id, rev, system columns and fields), replacing any local row
// with that id. Also used for the answer of a write the client sent (POST/PATCH), so the cache holds
// the server's version at once, before the next sync.
Status store_server_record(Database& db, const EntityDef& entity, const nlohmann::json& row);

// Removes a record and its index entries (no tombstone: the cache only mirrors the server).
Status remove_cached_record(Database& db, const EntityDef& entity, int64_t id);

}  // namespace kehu
