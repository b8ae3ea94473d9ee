// backup_folder.h — the backups in a folder: each a file and its manifest, and the chains they form.
//
// A backup NAME is the file NAME.db (a full backup: a copy of the database; an incremental: what changed
// since the backup before it, incremental_backup.h; both SQLite files) beside NAME.json, its manifest:
// kind, time, size, SHA-256 of the file, the marks of the point (backup_tables.h) and, for an
// incremental, the backup it follows and that one's marks. Files are written as NAME.db.partial and
// renamed when complete and synced, manifest last, so a crash leaves no half backup that looks whole.
//
// A restore point is a backup; restoring it takes the chain from its full backup through every
// incremental up to it (chain_to). Each file is checked against its manifest before it is used.
// `database_id` is the id (meta backup_db_id) of the database a backup was taken from: an incremental
// only follows a backup of the same database (a restored database gets a new id and starts a new chain).
// Not thread-safe: the server runs one backup job or restore at a time (backup_service.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/backup/backup_tables.h"
#include "core/result.h"

namespace kehu::server {

struct BackupManifest {
  std::string name;
  std::string kind;           // "full" or "incremental"
  std::string created_at;     // RFC 3339, UTC
  int64_t created_ms = 0;
  int64_t size = 0;           // bytes of NAME.db
  std::string sha256;         // of NAME.db, lower-case hex
  BackupMarks marks;          // the point this backup restores to
  std::string base;           // incremental: the backup it follows
  BackupMarks base_marks;     // incremental: that backup's marks
  int64_t database_id = 0;
  std::string note;           // why it was made, when not by the schedule ("before restoring ...")
  bool encrypted = false;     // NAME.db.enc, backup_cipher.h
  std::string uploaded_from;  // brought from elsewhere: the name of the file an admin uploaded
  int64_t records = -1;       // records at the point, when counted (uploaded backups); -1 unknown

  bool full() const { return kind == "full"; }
  nlohmann::json to_json() const;
  static Result<BackupManifest> from_json(const nlohmann::json& j);
};

class BackupFolder {
 public:
  explicit BackupFolder(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // Creates the folder when missing; an error names a folder that cannot be made or written.
  Status ensure_exists() const;
  std::string file_of(const std::string& name) const { return path_ + "/" + name + ".db"; }
  // The file of a backup as stored: NAME.db, or NAME.db.enc when encrypted.
  std::string file_of(const BackupManifest& m) const { return file_of(m.name) + (m.encrypted ? ".enc" : ""); }
  std::string manifest_of(const std::string& name) const { return path_ + "/" + name + ".json"; }

  // Every backup with a readable manifest, oldest first.
  Result<std::vector<BackupManifest>> list() const;
  Result<BackupManifest> find(const std::string& name) const;
  // The backups to apply to reach `name`: its full backup first, then each incremental after it, in
  // order. Error when a link is missing (a backup removed, or not a backup of this chain).
  Result<std::vector<BackupManifest>> chain_to(const std::string& name) const;
  // Whether NAME.db is whole and unchanged: its size and SHA-256 equal the manifest's. Error naming the
  // backup otherwise.
  Status verify(const BackupManifest& manifest) const;
  // Writes the manifest (to a temporary file, synced, renamed), the backup's file being complete.
  Status write_manifest(const BackupManifest& manifest) const;
  // Removes a backup: its manifest first (so it is no longer listed), then its file.
  Status remove(const std::string& name) const;
  // A name not yet taken: kehu-YYYYMMDD-HHMMSS-KIND (with -2, -3, ... when two fall in one second).
  std::string new_name(int64_t now_ms, const std::string& kind) const;

 private:
  std::string path_;
};

// The backup folder of the database at `db_path`: `configured` (settings backup.folder) when set, else
// `backups` beside the database file.
std::string backup_folder_path(const std::string& db_path, const std::string& configured);

// Whether `name` is a backup name (letters, digits, '-', '_' and '.'; no path), for names from requests.
bool is_backup_name(const std::string& name);

}  // namespace kehu::server
