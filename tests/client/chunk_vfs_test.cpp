// The chunk VFS's snapshot (take_dirty) is what a flush stores to IndexedDB: it must hold the file as it
// was when taken, whatever is written after, without copying the file to take it.
#include <doctest/doctest.h>

#include <string>

#include "core/db/sqlite_database.h"
#include "web/cache/chunk_vfs.h"

using namespace kehu;
using namespace kehu::client;

namespace {

std::unique_ptr<SqliteDatabase> open_on_chunks(const std::string& name) {
  REQUIRE(register_chunk_vfs().ok());
  SqliteOptions options;
  options.client_cache = true;
  options.vfs = kChunkVfsName;
  auto db = SqliteDatabase::open(name, options);
  REQUIRE(db.ok());
  return std::move(db.value());
}

// The whole file from a snapshot that holds every chunk (the first one taken).
std::string assemble(const DirtyChunks& snap) {
  std::string file(static_cast<size_t>(snap.size), '\0');
  for (const auto& c : snap.chunks) file.replace(static_cast<size_t>(c.index) * kChunkSize, c.length, c.view());
  return file;
}

int64_t value(Database& db, const std::string& sql) { return db.query_int(sql).value().value_or(-1); }

// The stored copy after `later` is laid over the whole file of `stored` (what IndexedDB then holds).
std::string laid_over(const DirtyChunks& stored, const DirtyChunks& later) {
  std::string file = assemble(stored);
  file.resize(static_cast<size_t>(later.size), '\0');
  for (const auto& c : later.chunks) file.replace(static_cast<size_t>(c.index) * kChunkSize, c.length, c.view());
  return file;
}

// A database opened from a file's bytes.
std::unique_ptr<SqliteDatabase> open_image(const std::string& file) {
  auto db = SqliteDatabase::open(":memory:", SqliteOptions{.wal = false});
  REQUIRE(db.ok());
  REQUIRE((*db)->replace_with_image(file).ok());
  return std::move(db.value());
}

}  // namespace

TEST_CASE("a chunk snapshot keeps the file as it was when taken, while the database goes on") {
  const std::string name = "snapshot-test.db";
  auto db = open_on_chunks(name);
  REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                   " INSERT INTO t SELECT i, printf('%0500d', i) FROM n;").ok());
  DirtyChunks first = take_dirty(name);
  REQUIRE(first.size > static_cast<int64_t>(10 * kChunkSize));
  CHECK_FALSE(has_dirty(name));

  // Rewrite every row and grow the file: every chunk the snapshot holds is written again.
  REQUIRE(db->exec("UPDATE t SET body = printf('%0600d', -id);"
                   "WITH RECURSIVE n(i) AS (SELECT 3001 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                   " INSERT INTO t SELECT i, 'later' FROM n;").ok());
  CHECK(has_dirty(name));

  auto restored = SqliteDatabase::open(":memory:", SqliteOptions{.wal = false});
  REQUIRE(restored.ok());
  REQUIRE((*restored)->replace_with_image(assemble(first)).ok());
  CHECK(value(**restored, "SELECT count(*) FROM t") == 3000);
  CHECK(value(**restored, "SELECT count(*) FROM t WHERE body = printf('%0500d', id)") == 3000);
  auto check = (*restored)->prepare("PRAGMA integrity_check");
  REQUIRE(check.ok());
  REQUIRE((*check)->step().value());
  CHECK((*check)->column_text(0) == "ok");

  // The live database has the later state, and the next snapshot carries it.
  CHECK(value(*db, "SELECT count(*) FROM t") == 5000);
  DirtyChunks second = take_dirty(name);
  CHECK(second.size >= first.size);
  auto later = open_image(laid_over(first, second));
  CHECK(value(*later, "SELECT count(*) FROM t") == 5000);
  CHECK(value(*later, "SELECT count(*) FROM t WHERE id <= 3000 AND body = printf('%0600d', -id)") == 3000);

  db.reset();
  forget_file(name);
}

TEST_CASE("a flush that was not stored goes again with the next one, so the stored copy stays a whole commit") {
  const std::string name = "failed-flush-test.db";
  auto db = open_on_chunks(name);
  REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                   " INSERT INTO t SELECT i, printf('%0400d', i) FROM n;").ok());
  const DirtyChunks stored = take_dirty(name);  // what IndexedDB holds

  // A commit whose flush IndexedDB refused (the stored copy is still `stored`).
  REQUIRE(db->exec("UPDATE t SET body = 'refused flush' WHERE id <= 1000;").ok());
  DirtyChunks refused = take_dirty(name);
  REQUIRE_FALSE(refused.chunks.empty());
  std::vector<uint32_t> indices;
  for (const auto& c : refused.chunks) indices.push_back(c.index);
  mark_dirty_again(name, indices);
  CHECK(has_dirty(name));

  // A later commit touching other rows; its flush is stored over `stored`.
  REQUIRE(db->exec("UPDATE t SET body = 'next flush' WHERE id > 1900;").ok());
  const DirtyChunks next = take_dirty(name);
  auto copy = open_image(laid_over(stored, next));
  CHECK(value(*copy, "SELECT count(*) FROM t WHERE body = 'refused flush'") == 1000);
  CHECK(value(*copy, "SELECT count(*) FROM t WHERE body = 'next flush'") == 100);
  auto check = copy->prepare("PRAGMA integrity_check");
  REQUIRE(check.ok());
  REQUIRE((*check)->step().value());
  CHECK((*check)->column_text(0) == "ok");

  db.reset();
  forget_file(name);
}
