#include "core/sync/sync_image.h"

#include <cstdio>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/schema/migrations.h"
#include "core/settings/settings.h"
#include "core/store/write_txn.h"

namespace kehu {

namespace {

// The FTS5 tables of an entity's search index (search_index.h) and the shadow tables that hold them.
constexpr const char* kIndexTables[] = {"_tri", "_ngram"};
constexpr const char* kShadowTables[] = {"_data", "_idx", "_docsize", "_config"};

Error image_error(const std::string& why) {
  return Error::make(ErrorCode::storage, {"无法生成同步数据文件：" + why, "cannot write the sync image: " + why});
}

bool file_exists(const std::string& path) {
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

Status copy_tables(Database& image) {
  auto version = image.query_int("PRAGMA src.user_version");
  if (!version.ok()) return version.take_error();
  if (version->value_or(0) != latest_schema_version())
    return image_error("the server database is at schema version " + std::to_string(version->value_or(0)));
  KEHU_TRY(image.run("UPDATE main.meta SET value = (SELECT value FROM src.meta WHERE key = 'rev') WHERE key = 'rev'"));
  // The directory as store_directory_entry (sync_applier.cpp) keeps it: no username, no secrets.
  KEHU_TRY(image.run(
      "INSERT INTO main.users (id, rev, created_at, updated_at, username, display_name, role, team_id, active) "
      "SELECT id, rev, '', '', '#' || id, display_name, role, team_id, active FROM src.users"));
  // The settings as a client holds them: the public part only (settings.h).
  auto settings = image.prepare("SELECT rev, value FROM src.settings WHERE id = 1");
  if (!settings.ok()) return settings.take_error();
  auto found = (*settings)->step();
  if (!found.ok()) return found.take_error();
  if (*found) {
    const int64_t rev = (*settings)->column_int(0);
    auto stored = nlohmann::json::parse((*settings)->column_text(1), nullptr, false);
    std::string value = public_settings(stored.is_object() ? stored : nlohmann::json::object()).dump();
    settings->reset();
    KEHU_TRY(image.run("INSERT INTO main.settings (id, rev, value) VALUES (1, ?1, ?2)", {rev, value}));
  } else {
    settings->reset();
  }
  for (const EntityDef* entity : record_entities()) {
    // Both files come from the same migrations, so the columns line up one for one.
    KEHU_TRY(image.run("INSERT INTO main." + entity->name + " SELECT * FROM src." + entity->name));
    for (const char* index : kIndexTables) {
      for (const char* shadow : kShadowTables) {
        const std::string table = entity->name + index + shadow;
        auto present = image.query_int("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?1", {table});
        if (!present.ok()) return present.take_error();
        if (!present->has_value()) continue;  // e.g. no _docsize for an index without one
        // The new index's own initial rows (structure record, version) give way to the server's.
        KEHU_TRY(image.run("DELETE FROM main." + table));
        KEHU_TRY(image.run("INSERT INTO main." + table + " SELECT * FROM src." + table));
      }
      // A contentless index only marks deleted and replaced rows; their terms stay in the segments until
      // a merge. Merged into one segment here, so the image carries no text of a deleted record or of a
      // field's old value (secure_delete zeroes the pages the merge frees).
      const std::string fts = entity->name + index;
      KEHU_TRY(image.run("INSERT INTO main." + fts + "(" + fts + ") VALUES ('optimize')"));
    }
  }
  return ok_status();
}

Result<int64_t> build(const std::string& source_path, const std::string& image_path) {
  auto opened = SqliteDatabase::open(image_path, SqliteOptions{.wal = false});
  if (!opened.ok()) return opened.take_error();
  Database& image = **opened;
  // A half-written image is deleted, never used: no journal, no syncs while it is built. The rows come
  // from a database that already holds its foreign keys.
  KEHU_TRY(image.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA secure_delete=ON;"));
  auto migrated = migrate(image);
  if (!migrated.ok()) return migrated.take_error();
  KEHU_TRY(image.run("ATTACH ?1 AS src", {source_path}));
  // One transaction: every read of src comes from one snapshot (WAL lets the server's writer go on).
  Status copied = image.exec("BEGIN");
  if (copied.ok()) copied = copy_tables(image);
  if (copied.ok()) copied = image.exec("COMMIT");
  else (void)image.exec("ROLLBACK");
  (void)image.exec("DETACH src");
  if (!copied.ok()) return copied.take_error();
  return committed_rev(image);
}

}  // namespace

Result<int64_t> write_sync_image(const std::string& source_path, const std::string& image_path) {
  if (file_exists(image_path)) return image_error(image_path + " already exists");
  if (!file_exists(source_path)) return image_error(source_path + " does not exist");
  auto rev = build(source_path, image_path);  // the image's connection is closed when build returns
  if (!rev.ok()) std::remove(image_path.c_str());
  return rev;
}

}  // namespace kehu
