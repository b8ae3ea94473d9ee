#include "core/db/database.h"

namespace kehu {

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) return ok_status();
  }
}

Status Database::replace_with_image(std::string_view) {
  return Error::make(ErrorCode::storage, {"此数据库不能载入数据库文件", "this database cannot load a database file"});
}

bool Database::watch_rows(RowWatcher) { return false; }

Result<std::optional<int64_t>> Database::query_int(std::string_view sql, const std::vector<SqlValue>& args) {
  auto st = prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  auto r = (*st)->step();
  if (!r.ok()) return r.take_error();
  if (!r.value() || (*st)->column_type(0) == ColumnType::null) return std::optional<int64_t>{};
  return std::optional<int64_t>{(*st)->column_int(0)};
}

Status Database::run(std::string_view sql, const std::vector<SqlValue>& args) {
  auto st = prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  return (*st)->run();
}

Result<std::unique_ptr<Transaction>> Transaction::begin(Database& db, bool immediate) {
  KEHU_TRY(db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) (void)db_.exec("ROLLBACK");
}

Status Transaction::commit() {
  auto s = db_.exec("COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace kehu
