#include "core/db/sqlite_database.h"

#include <sqlite3.h>

namespace kehu {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(SqliteDatabase& db, std::string sql, sqlite3_stmt* st) : db_(db), sql_(std::move(sql)), st_(st) {}
  ~SqliteStatement() override { db_.give_back(std::move(sql_), st_); }

  void bind(int index, const SqlValue& v) override {
    if (std::holds_alternative<std::nullptr_t>(v)) sqlite3_bind_null(st_, index);
    else if (auto* i = std::get_if<int64_t>(&v)) sqlite3_bind_int64(st_, index, *i);
    else if (auto* d = std::get_if<double>(&v)) sqlite3_bind_double(st_, index, *d);
    else {
      const auto& s = std::get<std::string>(v);
      sqlite3_bind_text(st_, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
  }
  Result<bool> step() override {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    Result<bool> out = rc == SQLITE_DONE ? Result<bool>(false) : Result<bool>(db_.last_error(rc));
    sqlite3_reset(st_);  // ready to be bound and run again
    return out;
  }
  Status collect_ints(std::vector<int64_t>& out) override {
    int rc;
    while ((rc = sqlite3_step(st_)) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st_, 0));
    Status status = rc == SQLITE_DONE ? ok_status() : Status(db_.last_error(rc));
    sqlite3_reset(st_);
    return status;
  }
  int column_count() const override { return sqlite3_column_count(st_); }
  std::string_view column_name(int i) const override { return sqlite3_column_name(st_, i); }
  ColumnType column_type(int i) const override {
    switch (sqlite3_column_type(st_, i)) {
      case SQLITE_NULL: return ColumnType::null;
      case SQLITE_INTEGER: return ColumnType::integer;
      case SQLITE_FLOAT: return ColumnType::real;
      default: return ColumnType::text;
    }
  }
  int64_t column_int(int i) const override { return sqlite3_column_int64(st_, i); }
  double column_double(int i) const override { return sqlite3_column_double(st_, i); }
  std::string_view column_text(int i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st_, i))) : std::string_view();
  }

 private:
  SqliteDatabase& db_;
  std::string sql_;
  sqlite3_stmt* st_;
};

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path, SqliteOptions options) {
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // one thread per connection (see database.h)
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Error::make(ErrorCode::storage, {"无法打开数据库 " + path + "：" + msg, "cannot open database " + path + ": " + msg});
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw));
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  std::string pragmas = options.client_cache ? "PRAGMA foreign_keys=OFF;" : "PRAGMA foreign_keys=ON;";
  if (options.client_cache && !options.vfs.empty()) {
    pragmas += "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;";
  } else if (options.client_cache) {
    // A cache file on disk (the desktop host): a crash must not leave half a transaction behind.
    pragmas += "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
  } else if (!options.read_only) {
    if (options.wal && path != ":memory:") pragmas += "PRAGMA journal_mode=WAL;";
    pragmas += "PRAGMA synchronous=FULL;";
  }
  KEHU_TRY(db->exec(pragmas));
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, st] : cache_) sqlite3_finalize(st);
  sqlite3_close_v2(db_);
}

Error SqliteDatabase::last_error(int rc) const {
  std::string msg = sqlite3_errmsg(db_);
  int primary = rc & 0xFF;
  ErrorCode code = primary == SQLITE_CONSTRAINT ? ErrorCode::conflict : ErrorCode::storage;
  return Error::make(code, {"数据库错误：" + msg, "database error: " + msg});
}

Result<std::unique_ptr<Statement>> SqliteDatabase::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    sqlite3_stmt* st = it->second;
    cache_.erase(it);
    return std::unique_ptr<Statement>(new SqliteStatement(*this, std::move(key), st));
  }
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) return last_error(rc);
  return std::unique_ptr<Statement>(new SqliteStatement(*this, std::move(key), st));
}

void SqliteDatabase::give_back(std::string sql, sqlite3_stmt* st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (cache_.size() >= 256) {  // bound the cache; dynamic list queries vary
    sqlite3_finalize(st);
    return;
  }
  cache_.emplace(std::move(sql), st);
}

Status SqliteDatabase::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    ErrorCode code = (rc & 0xFF) == SQLITE_CONSTRAINT ? ErrorCode::conflict : ErrorCode::storage;
    return Error::make(code, {"数据库错误：" + msg, "database error: " + msg});
  }
  return ok_status();
}

int64_t SqliteDatabase::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t SqliteDatabase::changes() const { return sqlite3_changes64(db_); }

const char* sqlite_version() { return sqlite3_libversion(); }

}  // namespace kehu
