// database.h — the storage seam: the small interface every core query and write goes through.
//
// SQLite is the implementation (sqlite_database.h), natively on the server and in wasm on the client,
// so both run the same SQL. Tests can wrap a Database to fail the Nth statement (failing_database.h)
// and check that nothing half-done survives. Every value reaches SQL through bind_* — never by
// splicing user text into SQL.
//
// Threads: a Database and its Statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace kehu {

// A value bound to or read from SQL.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;

enum class ColumnType { null, integer, real, text };

class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bind(int index, const SqlValue& value) = 0;  // 1-based, as SQLite counts
  // Advances: true when a row is ready, false when done, an Error when the database failed
  // (a constraint failure reports ErrorCode::conflict so callers can tell it from I/O trouble).
  // Once done or failed, the statement is reset: bind new values and step again to reuse it.
  virtual Result<bool> step() = 0;
  virtual int column_count() const = 0;
  virtual std::string_view column_name(int i) const = 0;
  virtual ColumnType column_type(int i) const = 0;
  virtual int64_t column_int(int i) const = 0;
  virtual double column_double(int i) const = 0;
  virtual std::string_view column_text(int i) const = 0;

  // Binds values to ?1..?N in order.
  void bind_all(const std::vector<SqlValue>& values) {
    for (size_t i = 0; i < values.size(); ++i) bind(static_cast<int>(i + 1), values[i]);
  }
  // Steps to completion, discarding rows.
  Status run();
  // Steps to completion, appending each row's first column as an integer to `out` (id lists of many
  // rows: one call instead of two per row).
  virtual Status collect_ints(std::vector<int64_t>& out) = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  // Prepares one statement. Implementations may cache compiled statements by SQL text.
  virtual Result<std::unique_ptr<Statement>> prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (schema, pragmas, BEGIN/COMMIT).
  virtual Status exec(std::string_view sql) = 0;
  virtual int64_t last_insert_rowid() const = 0;
  virtual int64_t changes() const = 0;
  // Replaces the whole database with the database file `image` (a sync image, sync_image.h). Call with
  // no transaction open and no statement in use; statements prepared before are invalid after. An image
  // that is not a whole SQLite database file is refused and the database left as it was. The default
  // refuses: only a database that is SQLite underneath can take a file image.
  virtual Status replace_with_image(std::string_view image);

  // What one write did to one row of a table with rowids.
  enum class RowOp { inserted, updated, deleted };
  using RowWatcher = std::function<void(std::string_view table, RowOp op, int64_t rowid)>;
  // Calls `watcher` (on the writing thread, before the statement returns) for every row this connection
  // inserts, updates or deletes from now on; an empty watcher stops watching. Rows written by a
  // transaction that then rolls back are reported too, and a whole-database replacement
  // (replace_with_image) is not: a watcher that must be exact treats those as "anything may have
  // changed". Returns false when this database cannot watch (the default); true on SQLite.
  virtual bool watch_rows(RowWatcher watcher);
  // Convenience: prepare, bind, step once; the first column of the first row, or nullopt for no row.
  Result<std::optional<int64_t>> query_int(std::string_view sql, const std::vector<SqlValue>& args = {});
  Status run(std::string_view sql, const std::vector<SqlValue>& args = {});
};

// A transaction that rolls back unless committed. `immediate` takes the write lock at BEGIN, which
// every writer should do so two writers never deadlock upgrading a read lock.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> begin(Database& db, bool immediate);
  ~Transaction();
  Status commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

}  // namespace kehu
