// record_scope.h — which rows a user reaches (SPEC §3): own, team's, pool, all, none.
//
// role_rights.h says whether a role may touch a module at all; this file says which of its rows. Every
// read of records (list, get, search, sync, and later timeline, statistics, export) takes its condition
// from scope_condition(), and every write checks the row before and after against the write reach, so
// scoping lives in one place and no handler filters by hand.
//
// The owner that decides visibility (the "scope owner") is a row's own `owner_id`, or for an entity that
// belongs to a customer (contacts) the customer's `owner_id` (EntityDef::scope_via). When a scope owner
// changes (a claim, an assignment, a merge) or a row is deleted, the old and new owners are logged
// (scope_moves, tombstones.scope_owner) so the sync reader can send a removal to exactly the users who
// could see the row before and cannot now — without telling anyone else that the row exists.
//
// "team" is the users sharing the viewer's `team_id` (a manager without a team reaches only their own).
// "pool" (公海) is owner_id NULL.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"
#include "core/users/role_rights.h"

namespace kehu {

// The user a read or write is done for.
struct Viewer {
  int64_t user_id = 0;
  std::string role;
  std::optional<int64_t> team_id;

  // The system itself (CLI, jobs, migrations, a client's own cache): reaches every row.
  static Viewer system() { return Viewer{0, "system", std::nullopt}; }
  bool is_system() const { return role == "system"; }
};

enum class Reach { none, own, own_or_pool, team, team_or_pool, all };

// How far `viewer` reaches in `entity` for `action` (read: see it; create/update/remove: change it).
// Entities without an owner (reference data) are `all` for every role that may read them.
Reach reach_of(const Viewer& viewer, const EntityDef& entity, Action action);

// True when every row of every synced entity is visible to `viewer` (the role reads everything).
bool reaches_all_records(const Viewer& viewer);

// A condition for a WHERE clause: `sql` with plain `?` placeholders, `args` in their order.
struct ScopeCondition {
  std::string sql;
  std::vector<SqlValue> args;
  bool everything() const { return sql == "1"; }
  bool nothing() const { return sql == "0"; }
};

// Rows of `entity` (table alias `alias`) within `viewer`'s reach for `action`.
ScopeCondition scope_condition(const EntityDef& entity, const Viewer& viewer, Action action, const std::string& alias);
// Whether the owner value `owner_expr` (a column of a log row, possibly NULL = pool) lies within `reach`.
// NULL-safe: always true or false, never NULL.
ScopeCondition owner_condition(Reach reach, const Viewer& viewer, const std::string& owner_expr);

// The scope owner of a stored or about-to-be-stored record (nullopt: the pool, or an entity without owner).
Result<std::optional<int64_t>> scope_owner_of(Database& db, const EntityDef& entity, const nlohmann::json& record);

// Whether row `id` of `entity` lies within `viewer`'s reach for `action`.
Result<bool> row_in_reach(Database& db, const EntityDef& entity, int64_t id, const Viewer& viewer, Action action);

// Whether a record with scope owner `owner` would lie within `viewer`'s reach for `action` (a record not
// yet stored, or one about to change owner).
Result<bool> owner_in_reach(Database& db, const Viewer& viewer, Reach reach, std::optional<int64_t> owner);

// Roles that may hand a customer to someone else (assign) and take one from the pool (claim).
bool role_may_assign(const std::string& role);
bool role_may_claim(const std::string& role);

}  // namespace kehu
