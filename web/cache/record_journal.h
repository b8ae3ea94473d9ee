// record_journal.h — which records of the cache changed since a reader last looked.
//
// A list of 100,000 customers must not read all their ids again because a pull changed three of them:
// the list asks the journal what changed since its last query, and when no record was added or removed
// (and its order cannot have moved, record_list_screen.h) it re-reads only the changed rows.
//
// The cache's connection reports every row it writes (Database::watch_rows, SQLite's update hook); the
// journal keeps the record tables' ones, up to kMaxEntries, with a sequence number. A reader keeps the
// mark() it read at and asks changes_since(mark). Whatever the journal cannot answer exactly — entries
// dropped for room, the whole cache replaced by an image or cleared (forget_all) — is answered
// `complete = false`: read everything again. A write rolled back is still in the journal: the answer
// may name more records than changed, never fewer.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/entity/entity_def.h"

namespace kehu::client {

struct RecordChanges {
  bool complete = true;          // false: unknown, read everything again
  bool added_or_removed = false;  // a record that was not there before is, or one that was is gone
  std::vector<int64_t> changed;  // records there before and after, written in between (no duplicates)
  bool names_changed = false;    // the user directory or the settings: a name or an option's label may read differently
};

class RecordJournal {
 public:
  static constexpr size_t kMaxEntries = 20'000;

  // Each journal numbers from its own range, above every earlier journal's: a mark taken from the cache
  // of a previous session (a list kept across a sign-in, a tab handover) is answered incomplete here.
  RecordJournal();

  // The position now: changes after it are what changes_since(mark) answers.
  uint64_t mark() const { return next_seq_; }
  RecordChanges changes_since(const EntityDef& entity, uint64_t mark) const;

  // A row write reported by the database. Tables that are neither records nor what records are read
  // with (the user directory, the settings) are ignored: the outbox, the search index, meta values.
  void note(std::string_view table, Database::RowOp op, int64_t id);
  // Everything before now is unknown (the cache was replaced or cleared).
  void forget_all();
  // The database cannot report its writes: every answer is incomplete.
  void go_blind() { blind_ = true; }

 private:
  struct Entry {
    uint64_t seq;
    const EntityDef* entity;
    Database::RowOp op;
    int64_t id;
  };
  std::vector<Entry> entries_;  // in seq order
  uint64_t next_seq_;
  uint64_t known_from_;  // marks below this are answered incomplete
  uint64_t names_written_ = 0;  // seq of the last write to the directory or the settings
  bool blind_ = false;
};

}  // namespace kehu::client
