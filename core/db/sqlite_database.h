// sqlite_database.h — Database on SQLite: the server's file, the client's cache, tests' temp files.
//
// open() applies the durability and integrity settings every Kehu database runs with (SPEC §9):
// WAL journal, synchronous=FULL (no acknowledged write is lost on power loss), foreign keys on,
// a busy timeout so a reader never fails because a writer is committing. Compiled statements are
// cached by SQL text and reset when the Statement handle is dropped.
#pragma once

#include <string>
#include <unordered_map>

#include "core/db/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kehu {

struct SqliteOptions {
  bool read_only = false;
  bool wal = true;            // false for in-memory databases
  int busy_timeout_ms = 5000;
  // A client's cache (web/cache): a copy of server data, one connection, no foreign keys (the server owns
  // integrity, and a sync batch may name a row its user cannot see). On a custom VFS that persists whole
  // transactions itself (`vfs` set: the browser's chunk VFS) the journal stays in memory and nothing is
  // synced; in a plain file (the desktop) WAL with synchronous=NORMAL, so a crash loses at most the
  // last transactions, never the file.
  bool client_cache = false;
  std::string vfs;            // empty: SQLite's default VFS
};

class SqliteDatabase final : public Database {
 public:
  // path ":memory:" gives a private in-memory database.
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path, SqliteOptions options = {});
  ~SqliteDatabase() override;

  Result<std::unique_ptr<Statement>> prepare(std::string_view sql) override;
  Status exec(std::string_view sql) override;
  int64_t last_insert_rowid() const override;
  int64_t changes() const override;
  // SQLite's backup API from the image opened in memory (read-only, not copied), in one step.
  Status replace_with_image(std::string_view image) override;
  // Copies this whole database into `dest` (replacing what it held) with SQLite's backup API in one step:
  // one read snapshot of this database, however much other connections write meanwhile (a backup API
  // copy in several steps starts over whenever another connection writes). Call with no transaction open.
  Status copy_into(SqliteDatabase& dest);
  // SQLite's update hook (not called for WITHOUT ROWID tables, nor for the truncate optimization of a
  // DELETE without WHERE).
  bool watch_rows(RowWatcher watcher) override;

  sqlite3* handle() { return db_; }

 private:
  friend class SqliteStatement;
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  void give_back(std::string sql, sqlite3_stmt* stmt);
  void drop_statement_cache();
  Error last_error(int rc) const;

  sqlite3* db_;
  std::unordered_multimap<std::string, sqlite3_stmt*> cache_;
  std::unique_ptr<RowWatcher> watcher_;  // a stable address for the hook's context pointer
};

// The SQLite library version in use ("3.53.2"), for --version and diagnostics.
const char* sqlite_version();

}  // namespace kehu
