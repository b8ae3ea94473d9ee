#include "server/backup/backup_restore.h"

#include <filesystem>

#include "core/backup/incremental_backup.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"
#include "server/backup/backup_cipher.h"
#include "server/backup/backup_maker.h"
#include "server/backup/durable_files.h"

namespace kehu::server {

namespace fs = std::filesystem;

namespace {

Error restore_error(const std::string& zh, const std::string& en) { return Error::make(ErrorCode::storage, {zh, en}); }

// Brings backup `step`'s database to `to`: a copy checked against the manifest's checksum (the folder may
// be a share others write), or, encrypted, its decryption (which fails on any change).
Status fetch(const BackupFolder& folder, const BackupManifest& step, const std::string& to, const std::string& passphrase) {
  if (step.encrypted) return decrypt_file(folder.file_of(step), to, passphrase, step.name);
  KEHU_TRY(copy_file_synced(folder.file_of(step), to));
  auto sum = file_sha256(to);
  if (!sum.ok()) return sum.take_error();
  if (*sum != step.sha256)
    return restore_error("备份 " + step.name + " 已损坏或被改动（校验和不符），不能使用",
                         "backup " + step.name + " is damaged or was altered (its checksum differs); it cannot be used");
  return ok_status();
}

// Applies one incremental, from a checked copy of it.
Status apply_one(SqliteDatabase& db, const BackupFolder& folder, const BackupManifest& step, const std::string& scratch,
                 const std::string& passphrase) {
  KEHU_TRY(fetch(folder, step, scratch, passphrase));
  KEHU_TRY(db.run("ATTACH DATABASE ?1 AS inc", {scratch}));
  auto applied = apply_incremental(db);
  auto detached = db.exec("DETACH DATABASE inc");
  if (!applied.ok()) return applied.take_error();
  return detached;
}

}  // namespace

Result<BackupMarks> build_restore_point(const BackupFolder& folder, const std::string& name, const std::string& dest_path,
                                        Random& random, const std::string& passphrase) {
  auto chain = folder.chain_to(name);
  if (!chain.ok()) return chain.take_error();
  for (const auto& step : *chain) KEHU_TRY(folder.verify(step));
  const BackupManifest& full = chain->front();
  if (full.marks.schema_version > latest_schema_version())
    return restore_error("备份 " + name + " 来自更新版本的程序，请先升级", "backup " + name + " was made by a newer version of Kehu; upgrade first");
  if (chain->size() > 1 && full.marks.schema_version != latest_schema_version())
    return restore_error("增量备份 " + name + " 由旧版本程序制作，只能恢复其完整备份 " + full.name,
                         "incremental " + name + " was made by an older version of Kehu; only its full backup " + full.name + " can be restored");
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(dest_path + suffix, ec);
  KEHU_TRY(fetch(folder, full, dest_path, passphrase));
  auto db = SqliteDatabase::open(dest_path);
  if (!db.ok()) return db.take_error();
  KEHU_TRY(check_database(**db));
  const std::string scratch = dest_path + ".incremental";
  for (size_t i = 1; i < chain->size(); ++i) {
    auto applied = apply_one(**db, folder, (*chain)[i], scratch, passphrase);
    fs::remove(scratch, ec);
    if (!applied.ok()) return applied.take_error();
  }
  auto marks = read_backup_marks(**db);
  if (!marks.ok()) return marks.take_error();
  auto same_marks = *marks == chain->back().marks;
  // A full backup of an older version is brought to this one here, before anything is swapped.
  auto migrated = migrate(**db);
  if (!migrated.ok()) return migrated.take_error();
  if (!same_marks)
    return restore_error("恢复结果与备份 " + name + " 记录的版本不符", "the restored database does not match the point backup " + name + " names");
  KEHU_TRY(check_database(**db));
  // A new chain starts here: the next backup of the restored database is a full one.
  KEHU_TRY((*db)->run("DELETE FROM meta WHERE key = 'backup_db_id'"));
  auto id = backup_database_id(**db, random);
  if (!id.ok()) return id.take_error();
  KEHU_TRY((*db)->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  return marks;
}

Status ready_restored_for(Database& live, const std::string& restored_path) {
  KEHU_TRY(live.run("ATTACH DATABASE ?1 AS restored", {restored_path}));
  Status done = ok_status();
  {
    auto txn = Transaction::begin(live, true);  // rolled back, unless committed, before the detach
    if (!txn.ok()) {
      done = txn.take_error();
    } else {
      done = live.exec(
          "UPDATE restored.meta SET value = max(value, (SELECT value FROM main.meta WHERE key = 'rev')) + 1 WHERE key = 'rev';"
          "UPDATE restored.users SET rev = (SELECT value FROM restored.meta WHERE key = 'rev'),"
          " scope_rev = (SELECT value FROM restored.meta WHERE key = 'rev');"
          "DELETE FROM restored.sessions;"
          "INSERT INTO restored.sessions SELECT * FROM main.sessions WHERE user_id IN (SELECT id FROM restored.users);"
          // The audit log is history, not data: what was done after the point stays in it.
          "INSERT INTO restored.audit SELECT * FROM main.audit WHERE id > (SELECT coalesce(max(id), 0) FROM restored.audit) ORDER BY id;");
      if (done.ok()) done = (*txn)->commit();
    }
  }
  auto detached = live.exec("DETACH DATABASE restored");
  if (!done.ok()) return done;
  return detached;
}

Status replace_database_file(const std::string& db_path, const std::string& restored_path) {
  {
    // The restored file's own log, folded into it so the file alone is the database.
    auto restored = SqliteDatabase::open(restored_path);
    if (!restored.ok()) return restored.take_error();
    KEHU_TRY((*restored)->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  if (fs::exists(db_path)) {
    // The live file's log belongs to the live file: folded in, then removed, before the new file takes the name.
    auto live = SqliteDatabase::open(db_path);
    if (!live.ok()) return live.take_error();
    KEHU_TRY((*live)->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::remove(db_path + suffix, ec);
    if (ec) return restore_error("无法删除旧的日志文件 " + db_path + suffix, "cannot remove the old log " + db_path + suffix + ": " + ec.message());
    fs::remove(restored_path + suffix, ec);
  }
  return rename_synced(restored_path, db_path);
}

}  // namespace kehu::server
