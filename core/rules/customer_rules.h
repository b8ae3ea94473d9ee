// customer_rules.h — what is special about writing a customer (SPEC §3, §4).
//
//  * the duplicate guard (撞单): another customer with the same normalized phone, or — for every type
//    but `individual` — the same exact name, answers ErrorCode::duplicate naming only the other record's
//    owner (or the pool), unless the caller forces it (manager/admin; audited as an override).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/store/write_txn.h"

namespace kehu {

// The first other customer (not `self_id`) that `record` collides with, among those in `db`: the server's
// whole table, or a client's cache, where it is a customer the user may see.
struct CustomerDuplicate {
  int64_t id = 0;
  bool pool = false;   // in the customer pool (no owner)
  std::string owner;   // the owner's display name
};
Result<std::optional<CustomerDuplicate>> find_customer_duplicate(Database& db, const nlohmann::json& record, int64_t self_id);

// ErrorCode::duplicate when another customer collides; see above.
Status check_customer_duplicate(Database& db, const nlohmann::json& record, int64_t self_id);

}  // namespace kehu
