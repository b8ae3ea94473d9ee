// backup_restore.h — bringing a database back to a backup point.
//
// build_restore_point() makes, at a path of the caller's choosing, the database as it was at backup
// NAME: each file of the chain (backup_folder.h chain_to) is checked against its manifest, the full
// backup copied, each incremental applied in order (incremental_backup.h, which refuses one that does
// not follow), the result integrity-checked and given a new database id (its backups start a new
// chain). Nothing of the live database is touched, so a damaged or altered backup changes nothing.
//
// replace_database_file() puts such a file in place of a database no connection has open: the old
// file's write-ahead log is checkpointed into it and removed first, so no stale -wal or -shm is ever
// read as part of the new file.
#pragma once

#include <string>

#include "core/random.h"
#include "server/backup/backup_folder.h"

namespace kehu::server {

// Makes the database of point `name` at `dest_path` (replaced when present). Returns the point's marks.
// Encrypted backups are opened with `passphrase` (backup_cipher.h).
Result<BackupMarks> build_restore_point(const BackupFolder& folder, const std::string& name, const std::string& dest_path,
                                        Random& random, const std::string& passphrase = "");

// Readies a built restore point to take the live database's place, from a connection to the live one:
// the rev continues past both (no client ever sees a rev twice with different rows) and every user's
// sync starts over (users.scope_rev, as a migration that changes scopes does), so clients drop rows the
// restore took away; the live sign-in sessions of users the point has are kept (a restore does not
// sign everyone out, nor bring back sessions since signed out); and the audit log written after the
// point is carried over (it is append-only: a restore brings back data, it does not unwrite history).
Status ready_restored_for(Database& live, const std::string& restored_path);

// Replaces the database at `db_path` by the file `restored_path` (same folder). No connection may have
// `db_path` open.
Status replace_database_file(const std::string& db_path, const std::string& restored_path);

}  // namespace kehu::server
