// backup_maker.h — making a full or an incremental backup of the live database into a backup folder.
//
// Both read the database in one read snapshot on a connection of their own, so writers go on meanwhile
// (WAL: a writer never waits for a reader) and the backup is the state at one instant:
// - full: SQLite's backup API in one step (backup_api copies restart when another connection writes
//   unless done in one step) into NAME.db.partial, switched to a plain rollback journal so it is one
//   self-contained file, integrity-checked, synced, renamed; then its manifest.
// - incremental: incremental_backup.h's copy of what changed since the folder's latest backup, which
//   after the latest backup of this database in the folder (same database id), when that one has the
//   same schema and is not ahead of it; otherwise a full one.
// `note` says why a backup was made when not by the schedule. Errors name what failed; a failed backup
// leaves at most a .partial file, removed by the next attempt.
#pragma once

#include <string>

#include "core/random.h"
#include "server/backup/backup_folder.h"

namespace kehu::server {

enum class BackupKind { full, incremental };

// Makes a backup of the database at `db_path`. An incremental asked for when none can follow the folder's
// latest backup is made full instead (the manifest's kind says which it is).
// With a `passphrase`, the file is encrypted (backup_cipher.h) once checked: NAME.db.enc.
Result<BackupManifest> make_backup(const std::string& db_path, const BackupFolder& folder, BackupKind kind,
                                   int64_t now_ms, Random& random, const std::string& note = "",
                                   const std::string& passphrase = "");

// Makes a full backup of a file brought from elsewhere (uploaded by an admin): a full backup's NAME.db
// or NAME.db.enc (opened with `passphrase`), or a copy of a Kehu database. `received` must lie in the
// folder (it is renamed, not copied) and is consumed either way. The file must be a whole Kehu database
// of this version or an older one (check_kehu_database, integrity and foreign keys); otherwise an error
// says what is wrong and nothing is added. The manifest names `uploaded_from` and counts the records.
Result<BackupManifest> adopt_backup_file(const BackupFolder& folder, const std::string& received, int64_t now_ms,
                                         Random& random, const std::string& uploaded_from, const std::string& passphrase);

// The database's id for backup chains (meta backup_db_id), given one first if it has none.
Result<int64_t> backup_database_id(Database& db, Random& random);

}  // namespace kehu::server
