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
  sqlite3_update_hook(db_, nullptr, nullptr);
  drop_statement_cache();
  sqlite3_close_v2(db_);
}

bool SqliteDatabase::watch_rows(RowWatcher watcher) {
  if (!watcher) {
    sqlite3_update_hook(db_, nullptr, nullptr);
    watcher_.reset();
    return true;
  }
  watcher_ = std::make_unique<RowWatcher>(std::move(watcher));
  sqlite3_update_hook(
      db_,
      [](void* context, int op, const char* /*database*/, const char* table, sqlite3_int64 rowid) {
        const RowOp row_op = op == SQLITE_INSERT ? RowOp::inserted : op == SQLITE_DELETE ? RowOp::deleted : RowOp::updated;
        (*static_cast<RowWatcher*>(context))(table, row_op, rowid);
      },
      watcher_.get());
  return true;
}

void SqliteDatabase::drop_statement_cache() {
  for (auto& [sql, st] : cache_) sqlite3_finalize(st);
  cache_.clear();
}

namespace {

Error bad_image(const std::string& why) {
  return Error::make(ErrorCode::bad_request, {"数据库文件无效：" + why, "not a valid database file: " + why});
}

uint32_t big_endian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Status SqliteDatabase::replace_with_image(std::string_view image) {
  // The header (sqlite.org/fileformat.html §1.3) must describe exactly the bytes that arrived: a file
  // cut short in transit is refused here rather than found corrupt later.
  const auto* bytes = reinterpret_cast<const unsigned char*>(image.data());
  if (image.size() < 100 || image.compare(0, 16, std::string_view("SQLite format 3\0", 16)) != 0)
    return bad_image("no SQLite header");
  uint32_t page_size = big_endian(bytes + 16, 2);
  if (page_size == 1) page_size = 65536;
  const uint32_t page_count = big_endian(bytes + 28, 4);
  if (page_size < 512 || (page_size & (page_size - 1)) != 0 || bytes[18] != 1 || bytes[19] != 1 ||
      uint64_t{page_size} * page_count != image.size())
    return bad_image("size " + std::to_string(image.size()) + " does not match its header");

  sqlite3* source = nullptr;
  int rc = sqlite3_open_v2(":memory:", &source, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK) {
    // Read-only and without SQLITE_DESERIALIZE_FREEONCLOSE: SQLite reads `image` in place.
    rc = sqlite3_deserialize(source, "main", const_cast<unsigned char*>(bytes), static_cast<sqlite3_int64>(image.size()),
                             static_cast<sqlite3_int64>(image.size()), SQLITE_DESERIALIZE_READONLY);
  }
  if (rc != SQLITE_OK) {
    std::string msg = source ? sqlite3_errmsg(source) : "out of memory";
    sqlite3_close(source);
    return bad_image(msg);
  }
  drop_statement_cache();  // the schema is replaced; backup_init also refuses while statements read
  sqlite3_backup* backup = sqlite3_backup_init(db_, "main", source, "main");
  if (!backup) {
    Error e = last_error(sqlite3_errcode(db_));
    sqlite3_close(source);
    return e;
  }
  rc = sqlite3_backup_step(backup, -1);
  int finished = sqlite3_backup_finish(backup);
  sqlite3_close(source);
  if (rc != SQLITE_DONE) return last_error(rc);
  if (finished != SQLITE_OK) return last_error(finished);
  return ok_status();
}

Status SqliteDatabase::copy_into(SqliteDatabase& dest) {
  dest.drop_statement_cache();
  sqlite3_backup* backup = sqlite3_backup_init(dest.db_, "main", db_, "main");
  if (!backup) return dest.last_error(sqlite3_errcode(dest.db_));
  int rc = sqlite3_backup_step(backup, -1);
  int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return dest.last_error(rc);
  if (finished != SQLITE_OK) return dest.last_error(finished);
  return ok_status();
}

namespace {

// What a failed SQLite call means to the person who asked. The disk filling up and the storage failing
// are not the user's doing and nothing of the write was kept (the transaction is rolled back): say so
// in words an administrator can act on, with SQLite's own words after them for the log.
Error sqlite_error(int rc, const std::string& msg) {
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT: return Error::make(ErrorCode::conflict, {"数据库错误：" + msg, "database error: " + msg});
    case SQLITE_FULL:
      return Error::make(ErrorCode::storage, {"服务器磁盘已满，本次修改未保存；请管理员腾出空间后重试（" + msg + "）",
                                              "the server's disk is full and this change was not saved; an administrator must free space, then try again (" +
                                                  msg + ")"});
    case SQLITE_IOERR:
      return Error::make(ErrorCode::storage, {"服务器存储读写出错，本次修改未保存；请稍后重试或联系管理员（" + msg + "）",
                                              "the server's storage failed to read or write and this change was not saved; try again later or ask an "
                                              "administrator (" + msg + ")"});
    default: return Error::make(ErrorCode::storage, {"数据库错误：" + msg, "database error: " + msg});
  }
}

}  // namespace

Error SqliteDatabase::last_error(int rc) const { return sqlite_error(rc, sqlite3_errmsg(db_)); }

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
    return sqlite_error(rc, msg);
  }
  return ok_status();
}

int64_t SqliteDatabase::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t SqliteDatabase::changes() const { return sqlite3_changes64(db_); }

const char* sqlite_version() { return sqlite3_libversion(); }

}  // namespace kehu
