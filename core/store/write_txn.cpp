#include "core/store/write_txn.h"

namespace kehu {

WriteTxn::WriteTxn(Database& db, std::unique_ptr<Transaction> txn, Actor actor, int64_t now_ms)
    : db_(db), txn_(std::move(txn)), actor_(std::move(actor)), now_ms_(now_ms), now_(format_rfc3339_ms(now_ms)) {}

Result<std::unique_ptr<WriteTxn>> WriteTxn::begin(Database& db, const Clock& clock, Actor actor) {
  auto txn = Transaction::begin(db, true);
  if (!txn.ok()) return txn.take_error();
  return std::unique_ptr<WriteTxn>(new WriteTxn(db, std::move(txn.value()), std::move(actor), clock.now_ms()));
}

Result<int64_t> committed_rev(Database& db) {
  auto rev = db.query_int("SELECT value FROM meta WHERE key = 'rev'");
  if (!rev.ok()) return rev.take_error();
  return rev->value_or(0);
}

Result<int64_t> WriteTxn::rev() {
  if (rev_ != 0) return rev_;
  auto r = db_.query_int("UPDATE meta SET value = value + 1 WHERE key = 'rev' RETURNING value");
  if (!r.ok()) return r.take_error();
  if (!r->has_value())
    return Error::make(ErrorCode::storage, {"数据库缺少版本计数器", "the database has no rev counter"});
  rev_ = **r;
  return rev_;
}

Status WriteTxn::audit(const std::string& action, const std::string& entity, int64_t entity_id,
                       const nlohmann::json& changes) {
  std::vector<SqlValue> args = {now_, actor_.user_id > 0 ? SqlValue(actor_.user_id) : SqlValue(nullptr), action,
                                entity.empty() ? SqlValue(nullptr) : SqlValue(entity),
                                entity_id > 0 ? SqlValue(entity_id) : SqlValue(nullptr),
                                changes.is_null() ? SqlValue(nullptr) : SqlValue(changes.dump()),
                                actor_.ip.empty() ? SqlValue(nullptr) : SqlValue(actor_.ip)};
  return db_.run("INSERT INTO audit (at, user_id, action, entity, entity_id, changes, ip) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                 args);
}

Status WriteTxn::commit() { return txn_->commit(); }

}  // namespace kehu
