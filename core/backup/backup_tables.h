// backup_tables.h — what a backup point is, and how an incremental backup carries each table.
//
// A backup point is named by its marks: the database's rev (SPEC §6: every record write takes the next
// one), the last ids of the two append-only logs (audit, ticket notes) and the schema version. Every
// table of the schema has one rule for incremental backups (TableCopy); a table the rules do not know
// is an error, so a migration that adds a table cannot leave it out of backups unnoticed (the tests
// classify the whole schema).
#pragma once

#include <string>
#include <vector>

#include "core/db/database.h"
#include "core/entity/entity_def.h"

namespace kehu {

struct BackupMarks {
  int64_t rev = 0;             // meta.rev
  int64_t audit_id = 0;        // the last audit row
  int64_t ticket_note_id = 0;  // the last ticket progress note
  int schema_version = 0;      // PRAGMA user_version

  bool operator==(const BackupMarks&) const = default;
};

// The marks of `db` as it is now. Read them in the transaction that copies, so they name what was copied.
Result<BackupMarks> read_backup_marks(Database& db);

enum class TableCopy {
  changed_records,  // entity rows written after the base's rev; deletions by their tombstones
  all_records,      // users: written without a rev too (sign-in time, password), so always all of them
  by_rev,           // rows with a rev after the base's: tombstones, scope moves, settings
  appended,         // append-only logs: rows after the base's last id
  by_campaign,      // campaign members: those of the campaigns written, deleted or audited for their members since
  whole,            // small tables changed without a rev (sessions, meta, ...): a whole copy
  churn_state,      // the churn window's state: carried whole, applied by moving the window to it
  derived,          // search index, statistics, churn window: not carried, kept by the applier
};

struct BackupTable {
  std::string name;
  TableCopy copy = TableCopy::whole;
};

// Every table of `db`'s schema with its rule, entity tables first with users then teams leading (a
// user's team decides where their sales count, so they are applied before the orders). Error naming a
// table that has no rule.
Result<std::vector<BackupTable>> backup_tables(Database& db);

// The entity stored in table `name`, users, teams and views included (find_entity() knows the synced ones only).
const EntityDef* served_entity(const std::string& name);

// What restoring the point `point` would take away from `db` (a later state of the same database):
// records written after it (created or changed) and records deleted after it.
struct ChangesAfter {
  int64_t records_written = 0;
  int64_t records_deleted = 0;
};
Result<ChangesAfter> changes_after(Database& db, const BackupMarks& point);

// How many records `db` holds (the modules' rows: customers, contacts, ...; not users or teams): what a
// restore would bring or replace, in the admin's words.
Result<int64_t> count_records(Database& db);

// Whether `db`, a file brought from elsewhere, is a Kehu database this version can take: a schema version
// it knows (this one or older), every table one the backup rules know, and no trigger or view a Kehu
// database of this version does not have (a file's own triggers would run inside the server). Error
// saying what is not.
Status check_kehu_database(Database& db);

// SQLite's integrity_check and foreign_key_check of `db`; an error quoting the first problem found.
Status check_database(Database& db);

// The name a table's copy has inside an incremental backup file (sqlite_sequence is a reserved name).
std::string backup_copy_name(const std::string& table);

}  // namespace kehu
