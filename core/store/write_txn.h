// write_txn.h — one write transaction: the global rev (SPEC §6), who writes, when, and the audit trail.
//
// Every change to synced data happens inside a WriteTxn. The first call to rev() advances the global
// counter once; every row the transaction touches (tombstones too) carries that value, so a sync batch
// that ends on a rev boundary never holds half a transaction. Audit rows are written in the same
// transaction as the change they describe: both commit or neither does.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/db/database.h"

namespace kehu {

struct Actor {
  int64_t user_id = 0;  // 0: the system (CLI, migrations, jobs)
  std::string ip;
};

// The rev of the last committed transaction (meta.rev): every change up to it is visible now.
Result<int64_t> committed_rev(Database& db);

class WriteTxn {
 public:
  static Result<std::unique_ptr<WriteTxn>> begin(Database& db, const Clock& clock, Actor actor);

  Database& db() { return db_; }
  const Actor& actor() const { return actor_; }
  const std::string& now() const { return now_; }  // RFC 3339, fixed for the whole transaction
  int64_t now_ms() const { return now_ms_; }

  // The transaction's rev, allocated on first use.
  Result<int64_t> rev();

  // Appends to the audit trail. `changes` is {field: [old, new]} or null.
  Status audit(const std::string& action, const std::string& entity, int64_t entity_id,
               const nlohmann::json& changes = nullptr);

  Status commit();

 private:
  WriteTxn(Database& db, std::unique_ptr<Transaction> txn, Actor actor, int64_t now_ms);
  Database& db_;
  std::unique_ptr<Transaction> txn_;
  Actor actor_;
  int64_t now_ms_;
  std::string now_;
  int64_t rev_ = 0;
};

}  // namespace kehu
