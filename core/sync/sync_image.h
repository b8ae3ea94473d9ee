// sync_image.h — a first sync as one database file instead of every change one by one (SPEC §6).
//
// A client's first sync of a large database is dominated by building its search index: at 100k
// customers + 200k contacts, FTS5 tokenizing and merging take about 70 % of the 28 s the wasm client
// spends applying /sync pages. The server already holds that index, built by the same core code. A sync
// image is a copy of the server's synced tables, search index included, as an SQLite database file with
// the client cache's schema (core migrations), taken in one read snapshot:
//   - every record entity's rows and its two FTS5 tables (shadow tables copied, then merged into one
//     segment so no term of a deleted record or an overwritten value remains);
//   - the user directory as the cache stores it (sync_applier.h): public fields only, never a password
//     hash, a session or the audit trail;
//   - meta.rev = the snapshot's rev: the image holds every change up to it, so the client continues with
//     GET /sync?since=rev, exactly as after the last page of a paged first sync.
// The client loads it with Database::replace_with_image. The result answers every query exactly as a cache
// filled by apply_sync_changes from the same snapshot (tests/core/sync_image_test.cpp).
//
// Visibility: the image copies every row, which is right while every role that syncs reads every
// customer and contact (today). When record scope arrives (roles that see only their own or their
// team's), such a user's image must be built from their visible changes instead — the copied index
// would otherwise carry other users' text.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace kehu {

// Writes the sync image of the database file `source_path` (at the current schema version; read in one
// snapshot while writers go on) to `image_path`, which must not exist yet. Returns the image's rev. On
// failure nothing is left at `image_path`.
Result<int64_t> write_sync_image(const std::string& source_path, const std::string& image_path);

}  // namespace kehu
