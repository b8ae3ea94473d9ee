// failing_database.h — a Database that fails its Nth operation once (SQLite's failure-point testing).
//
// Wraps a real database; every prepare, exec and step counts as one operation, and operation number
// `fail_at` returns an injected storage error instead of running. Only that one fails, so the rollback
// that follows works as it would after a real I/O error. Tests raise `fail_at` from 1 until the work
// succeeds and check after each failure that nothing of it survived.
#pragma once

#include <memory>

#include "core/db/database.h"

namespace kehu::test {

class FailingDatabase final : public Database {
 public:
  FailingDatabase(Database& real, int fail_at) : real_(real), fail_at_(fail_at) {}

  bool injected() const { return injected_; }
  // True when this operation is the one to fail.
  bool should_fail() {
    if (++count_ != fail_at_) return false;
    injected_ = true;
    return true;
  }
  static Error injected_error() {
    return Error::make(ErrorCode::storage, {"注入的故障", "injected failure"});
  }

  Result<std::unique_ptr<Statement>> prepare(std::string_view sql) override;
  Status exec(std::string_view sql) override {
    if (should_fail()) return injected_error();
    return real_.exec(sql);
  }
  int64_t last_insert_rowid() const override { return real_.last_insert_rowid(); }
  int64_t changes() const override { return real_.changes(); }

 private:
  Database& real_;
  int fail_at_;
  int count_ = 0;
  bool injected_ = false;
};

class FailingStatement final : public Statement {
 public:
  FailingStatement(FailingDatabase& owner, std::unique_ptr<Statement> real) : owner_(owner), real_(std::move(real)) {}
  void bind(int index, const SqlValue& value) override { real_->bind(index, value); }
  Result<bool> step() override {
    if (owner_.should_fail()) return FailingDatabase::injected_error();
    return real_->step();
  }
  Status collect_ints(std::vector<int64_t>& out) override {
    if (owner_.should_fail()) return FailingDatabase::injected_error();
    return real_->collect_ints(out);
  }
  int column_count() const override { return real_->column_count(); }
  std::string_view column_name(int i) const override { return real_->column_name(i); }
  ColumnType column_type(int i) const override { return real_->column_type(i); }
  int64_t column_int(int i) const override { return real_->column_int(i); }
  double column_double(int i) const override { return real_->column_double(i); }
  std::string_view column_text(int i) const override { return real_->column_text(i); }

 private:
  FailingDatabase& owner_;
  std::unique_ptr<Statement> real_;
};

inline Result<std::unique_ptr<Statement>> FailingDatabase::prepare(std::string_view sql) {
  if (should_fail()) return injected_error();
  auto st = real_.prepare(sql);
  if (!st.ok()) return st.take_error();
  return std::unique_ptr<Statement>(new FailingStatement(*this, std::move(st.value())));
}

}  // namespace kehu::test
