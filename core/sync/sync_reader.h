// sync_reader.h — the changes after a given rev, for GET /sync (SPEC §6).
//
// Sources: every record entity's live rows within the viewer's reach, the user directory (public fields
// only: the password hash never leaves the server), the public settings (settings.h), tombstones and scope moves, each read by its rev index. They are merged in rev order
// (within one rev: the directory, then entities parents-first, then removals) and cut so a batch ends on a
// rev boundary: a client never holds half a transaction. A single transaction larger than `limit` is sent
// whole in one batch rather than split. `next` is the rev to ask from next; `more` says whether to ask now.
// All sources are read inside one read transaction (one snapshot). Call it outside any open transaction.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/users/record_scope.h"

namespace kehu {

struct SyncChange {
  std::string entity;  // "customers", "contacts", ..., "directory", "settings"
  int64_t id = 0;
  int64_t rev = 0;
  bool deleted = false;
  nlohmann::json row;  // null for a removal
};

struct SyncBatch {
  std::vector<SyncChange> changes;
  int64_t next = 0;
  bool more = false;
  bool reset = false;  // set by the caller when the user's scope changed (role or team)
  int64_t remaining = -1;  // changes after `next` when asked for (a client's progress bar); -1: not counted
};

constexpr int kMaxSyncLimit = 5000;

// The changes `viewer` may see (record_scope.h): rows within their read reach, the directory, and removals
// of rows they could see. `limit` in [1, kMaxSyncLimit]; `since` ≥ 0 (the caller validates the request).
// `count_remaining` also counts the changes after the batch, in the same snapshot (a first sync asks
// once, for its progress).
Result<SyncBatch> read_changes(Database& db, const Viewer& viewer, int64_t since, int limit, bool count_remaining = false);

// The entities with a change `viewer` would receive after `since` ("customers", "directory", ...; a
// removal counts under the removed row's entity), each named once, from one snapshot: for GET /events,
// which tells a client to pull and says whether statistics moved. One indexed probe per source, so it
// costs next to nothing when little changed. Call it outside any open transaction.
Result<std::vector<std::string>> entities_changed_since(Database& db, const Viewer& viewer, int64_t since);

nlohmann::json sync_batch_json(const SyncBatch& batch);

}  // namespace kehu
