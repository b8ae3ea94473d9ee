#include "server/backup/backup_maker.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "core/backup/incremental_backup.h"
#include "core/clock.h"
#include "core/db/sqlite_database.h"
#include "server/backup/backup_cipher.h"
#include "server/backup/durable_files.h"

namespace kehu::server {

namespace fs = std::filesystem;

namespace {

// Checks the finished file, syncs it into place under its name and writes its manifest.
Result<BackupManifest> finish(const BackupFolder& folder, BackupManifest manifest, const std::string& partial,
                              const std::string& passphrase, Random& random) {
  {
    auto written = SqliteDatabase::open(partial, SqliteOptions{.read_only = true, .wal = false});
    if (!written.ok()) return written.take_error();
    KEHU_TRY(check_database(**written));
  }
  // A backup holds everything, password hashes included: for the server's account only.
  if (::chmod(partial.c_str(), 0600) != 0)
    return Error::make(ErrorCode::storage, {"无法设置备份文件权限", "cannot set the permissions of " + partial});
  std::string ready = partial;
  if (!passphrase.empty()) {
    manifest.encrypted = true;
    ready = folder.file_of(manifest) + ".partial";
    auto sealed = encrypt_file(partial, ready, passphrase, random);
    std::error_code removed;
    fs::remove(partial, removed);
    if (!sealed.ok()) return sealed.take_error();
  } else {
    KEHU_TRY(sync_file(partial));
  }
  const std::string file = folder.file_of(manifest);
  KEHU_TRY(rename_synced(ready, file));
  std::error_code ec;
  manifest.size = static_cast<int64_t>(fs::file_size(file, ec));
  auto sum = file_sha256(file);
  if (!sum.ok()) return sum.take_error();
  manifest.sha256 = *sum;
  KEHU_TRY(folder.write_manifest(manifest));
  return manifest;
}

Result<BackupManifest> make_full(SqliteDatabase& source, const BackupFolder& folder, BackupManifest manifest,
                                 const std::string& partial, const std::string& passphrase, Random& random) {
  {
    auto dest = SqliteDatabase::open(partial, SqliteOptions{.wal = false});
    if (!dest.ok()) return dest.take_error();
    BackgroundWriteback writeback(partial);
    KEHU_TRY(source.copy_into(**dest));
    // The copy carries the source's WAL flag: a backup is one self-contained file instead.
    KEHU_TRY((*dest)->exec("PRAGMA journal_mode=DELETE"));
    auto marks = read_backup_marks(**dest);
    if (!marks.ok()) return marks.take_error();
    manifest.marks = *marks;
  }
  return finish(folder, std::move(manifest), partial, passphrase, random);
}

Result<BackupManifest> make_incremental(SqliteDatabase& source, const BackupFolder& folder, BackupManifest manifest,
                                        const BackupManifest& base, const std::string& partial, const std::string& passphrase,
                                        Random& random) {
  KEHU_TRY(source.run("ATTACH DATABASE ?1 AS inc", {partial}));
  // Small pages: an incremental is mostly small tables, many of them empty.
  KEHU_TRY(source.exec("PRAGMA inc.page_size = 1024"));
  auto marks = write_incremental(source, base.marks);
  auto detached = source.exec("DETACH DATABASE inc");
  if (!marks.ok()) return marks.take_error();
  if (!detached.ok()) return detached.take_error();
  manifest.marks = *marks;
  manifest.base = base.name;
  manifest.base_marks = base.marks;
  return finish(folder, std::move(manifest), partial, passphrase, random);
}

Error not_a_backup(const std::string& zh, const std::string& en) { return Error::make(ErrorCode::validation, {zh, en}); }

// The first bytes of `path` ("" when it cannot be read).
std::string file_start(const std::string& path, size_t n) {
  std::string out(n, '\0');
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "";
  out.resize(std::fread(out.data(), 1, n, f));
  std::fclose(f);
  return out;
}

}  // namespace

Result<BackupManifest> adopt_backup_file(const BackupFolder& folder, const std::string& received, int64_t now_ms,
                                         Random& random, const std::string& uploaded_from, const std::string& passphrase) {
  BackupManifest manifest;
  manifest.kind = "full";
  manifest.name = folder.new_name(now_ms, "uploaded");
  manifest.created_ms = now_ms;
  manifest.created_at = format_rfc3339_ms(now_ms);
  manifest.uploaded_from = uploaded_from;
  manifest.note = "uploaded";
  const std::string partial = folder.file_of(manifest.name) + ".partial";
  std::error_code ec;
  auto adopted = [&]() -> Result<BackupManifest> {
    const std::string start = file_start(received, 16);
    if (start.rfind(encrypted_file_magic(), 0) == 0) {
      if (passphrase.empty())
        return not_a_backup("这个备份已加密，请先在系统设置中填写备份密钥", "this backup is encrypted: set the backup key in the settings first");
      KEHU_TRY(decrypt_file(received, partial, passphrase, uploaded_from));
      fs::remove(received, ec);
    } else if (start == std::string("SQLite format 3\0", 16)) {
      fs::rename(received, partial, ec);
      if (ec) return Error::make(ErrorCode::storage, {"无法保存上传的文件", "cannot keep the uploaded file: " + ec.message()});
    } else {
      return not_a_backup("这个文件不是数据库备份（既不是 SQLite 数据库，也不是加密的备份）",
                          "the file is not a database backup (neither a SQLite database nor an encrypted backup)");
    }
    {
      auto db = SqliteDatabase::open(partial, SqliteOptions{.wal = false});
      if (!db.ok()) return not_a_backup("无法打开这个数据库文件", "the database file cannot be opened");
      KEHU_TRY(check_kehu_database(**db));
      // A copy of a live database may carry the WAL flag: a backup is one self-contained file.
      KEHU_TRY((*db)->exec("PRAGMA journal_mode=DELETE"));
      auto marks = read_backup_marks(**db);
      if (!marks.ok()) return marks.take_error();
      manifest.marks = *marks;
      auto records = count_records(**db);
      if (!records.ok()) return records.take_error();
      manifest.records = *records;
      auto id = (*db)->query_int("SELECT value FROM meta WHERE key = 'backup_db_id'");
      if (!id.ok()) return id.take_error();
      manifest.database_id = id->value_or(0);
    }
    return finish(folder, manifest, partial, passphrase, random);
  }();
  fs::remove(received, ec);
  if (!adopted.ok()) fs::remove(partial, ec);
  return adopted;
}

Result<int64_t> backup_database_id(Database& db, Random& random) {
  auto id = db.query_int("SELECT value FROM meta WHERE key = 'backup_db_id'");
  if (!id.ok()) return id.take_error();
  if (*id) return **id;
  std::string bytes = random.bytes(8);
  int64_t fresh = 0;
  for (char c : bytes) fresh = (fresh << 8) | static_cast<unsigned char>(c);
  fresh &= (int64_t{1} << 53) - 1;  // exact in JSON numbers everywhere
  if (fresh == 0) fresh = 1;
  KEHU_TRY(db.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('backup_db_id', ?1)", {fresh}));
  auto kept = db.query_int("SELECT value FROM meta WHERE key = 'backup_db_id'");
  if (!kept.ok()) return kept.take_error();
  return kept->value_or(fresh);
}

Result<BackupManifest> make_backup(const std::string& db_path, const BackupFolder& folder, BackupKind kind, int64_t now_ms,
                                   Random& random, const std::string& note, const std::string& passphrase) {
  if (!fs::exists(db_path))
    return Error::make(ErrorCode::storage, {"没有数据库文件 " + db_path, "there is no database at " + db_path});
  KEHU_TRY(folder.ensure_exists());
  std::error_code ec;
  // What a failed attempt or an abandoned upload left, an hour untouched (a backup being written by
  // another process is not).
  for (const auto& entry : fs::directory_iterator(folder.path(), ec))
    if ((entry.path().extension() == ".partial" || entry.path().extension() == ".uploading") && fs::file_time_type::clock::now() - entry.last_write_time(ec) > std::chrono::hours(1))
      fs::remove(entry.path(), ec);
  auto source = SqliteDatabase::open(db_path);
  if (!source.ok()) return source.take_error();
  auto id = backup_database_id(**source, random);
  if (!id.ok()) return id.take_error();

  std::optional<BackupManifest> base;
  if (kind == BackupKind::incremental) {
    auto all = folder.list();
    if (!all.ok()) return all.take_error();
    auto now = read_backup_marks(**source);
    if (!now.ok()) return now.take_error();
    // The latest backup of this database (a folder may hold another's: a restored copy's, a test's).
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
      if (it->database_id != *id) continue;
      bool follows = it->marks.schema_version == now->schema_version && it->marks.rev <= now->rev &&
                     it->marks.audit_id <= now->audit_id && it->marks.ticket_note_id <= now->ticket_note_id;
      if (follows) base = *it;
      break;
    }
  }
  BackupManifest manifest;
  manifest.kind = base ? "incremental" : "full";
  manifest.name = folder.new_name(now_ms, manifest.kind);
  manifest.created_ms = now_ms;
  manifest.created_at = format_rfc3339_ms(now_ms);
  manifest.database_id = *id;
  manifest.note = note;
  const std::string partial = folder.file_of(manifest.name) + ".partial";
  auto made = base ? make_incremental(**source, folder, std::move(manifest), *base, partial, passphrase, random)
                   : make_full(**source, folder, std::move(manifest), partial, passphrase, random);
  if (!made.ok()) fs::remove(partial, ec);
  return made;
}

}  // namespace kehu::server
