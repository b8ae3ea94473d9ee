// record_store.h — reading and writing entity records: the one write path for every entity.
//
// Every write here: validates (validation.h), checks references, applies the entity's own rules
// (record_rules.h: codes, the duplicate guard, stock, ...), stamps rev/created/updated, keeps the search index
// and the statistics (stats_upkeep.h), leaves a tombstone on delete, and appends the audit row — all inside
// the caller's WriteTxn, so a failure anywhere leaves nothing behind. Reads see only live rows.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"
#include "core/users/record_scope.h"

namespace kehu {

struct WriteOptions {
  bool force = false;  // override the duplicate guard (the caller checked the right to do so)
  // Whose write this is: rows outside the viewer's reach are not found (404) or not changeable (403), an
  // owner change needs the assign right, and a new record without an owner is the viewer's own.
  Viewer viewer = Viewer::system();
  // Values of server-maintained fields set by the caller (a workflow transition's status), applied after
  // the input is validated. Only core code sets them; they never come from a request body.
  nlohmann::json server_values = nlohmann::json::object();
};

// Columns stored besides the fields, derived from the record for indexes (customers.phone_norm).
std::vector<std::pair<std::string, SqlValue>> derived_columns(const EntityDef& entity, const nlohmann::json& record);

// INSERTs a record's row: `system` columns (rev, timestamps, ...: name and value, in order), then every
// field of `entity` from `record` (absent fields are NULL) and the derived columns. The one INSERT the
// server's create and a client cache's copy of a server row share; the search index is the caller's.
Status insert_record_row(Database& db, const EntityDef& entity, const std::vector<std::pair<std::string, SqlValue>>& system,
                         const nlohmann::json& record);

Result<nlohmann::json> get_record(Database& db, const EntityDef& entity, int64_t id);
// get_record for a user: a row outside `viewer`'s read reach is not found, exactly like a missing one.
Result<nlohmann::json> get_visible_record(Database& db, const EntityDef& entity, int64_t id, const Viewer& viewer);

Result<nlohmann::json> create_record(WriteTxn& txn, const EntityDef& entity, const nlohmann::json& input,
                                     const WriteOptions& options = {});

// `expected_rev` must equal the stored rev, else ErrorCode::conflict (the caller returns the current
// record with the 409). A patch that changes nothing writes nothing and returns the record unchanged.
Result<nlohmann::json> update_record(WriteTxn& txn, const EntityDef& entity, int64_t id, const nlohmann::json& patch,
                                     int64_t expected_rev, const WriteOptions& options = {});

// Applies `patch` (and `options`) to every row of `entity` matching `where` (SQL over its columns, `args`
// bound), each through update_record at the rev it has now: the rules' "move these along with it" step
// (a merge's references, a reassigned customer's open work). Stops at the first error.
Status update_rows_where(WriteTxn& txn, const EntityDef& entity, const std::string& where, const std::vector<SqlValue>& args,
                         const nlohmann::json& patch, const WriteOptions& options = {});

// Deletes a record. Records that are part of it go first (a customer's contacts: FieldDef::cascade_delete);
// optional references to it are cleared; a record that others still require (a customer with orders)
// is not deleted: ErrorCode::in_use naming what still needs it.
Status delete_record(WriteTxn& txn, const EntityDef& entity, int64_t id, const Viewer& viewer = Viewer::system());

// Takes a pool customer (owner_id NULL) for `viewer` (SPEC §3 claim). One writer at a time, so of two
// claims of one customer exactly one finds it still in the pool; the other gets ErrorCode::conflict naming
// the new owner.
Result<nlohmann::json> claim_customer(WriteTxn& txn, int64_t id, const Viewer& viewer);

// Merges customer `merge_id` into `keep_id` (SPEC §5 POST /customers/merge): every record referring to it
// (contacts, ...) moves to the kept customer, then it is deleted (a tombstone). Managers (within their
// reach) and admins only. Returns the kept customer.
Result<nlohmann::json> merge_customers(WriteTxn& txn, int64_t keep_id, int64_t merge_id, const Viewer& viewer);

}  // namespace kehu
