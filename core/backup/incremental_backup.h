// incremental_backup.h — an incremental backup: what changed in a database since an earlier backup point.
//
// The file is itself a small SQLite database (readable with the sqlite3 tool), holding a copy of each
// table the rules of backup_tables.h carry: the records written after the base's rev and the
// tombstones of those deleted, the audit rows and ticket notes added after the base's last ids, the
// members of the campaigns changed since, whole copies of the small tables that change without a rev,
// and `backup_info`: the base's marks and the new
// ones. The search index, the statistics and the churn window are not carried: applying keeps them
// through the same functions a write uses (search_index.h, stats_upkeep.h), from each record's row
// before and after, so a restored database equals the source at that point table for table.
//
// An incremental applies only onto a database whose marks equal its base's: a chain applies in order,
// onto the full backup it started from, or not at all. Both calls run in one transaction of their own;
// `db` must have the incremental file attached as schema "inc" (ATTACH ... AS inc) and no transaction open.
#pragma once

#include "core/backup/backup_tables.h"
#include "core/db/database.h"

namespace kehu {

// Copies into the empty attached "inc" what changed in `db` (main) since `base`, in one read snapshot of
// main (writers go on meanwhile: WAL). Returns the marks of the point copied. Error when `db` is not a
// later state of the database `base` was taken from (schema changed, or rev or logs behind): a full
// backup is needed then.
Result<BackupMarks> write_incremental(Database& db, const BackupMarks& base);

// The marks an attached incremental was taken after (`base`) and at (`point`).
struct IncrementalMarks {
  BackupMarks base, point;
};
Result<IncrementalMarks> read_incremental_marks(Database& db);

// Applies the attached "inc" to `db` (main), in one write transaction. Returns the marks reached (the
// incremental's point). Error, with nothing changed, when `db` is not at the incremental's base or the
// incremental does not reach the marks it names.
Result<BackupMarks> apply_incremental(Database& db);

}  // namespace kehu
