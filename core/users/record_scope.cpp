#include "core/users/record_scope.h"

#include <map>

namespace kehu {

namespace {

struct ReachPair {
  Reach read;
  Reach write;  // create, update and remove
};

// SPEC §3 for the owned entities: role -> entity -> reach. Entities without an owner are not listed.
const std::map<std::string, std::map<std::string, ReachPair>>& table() {
  using R = Reach;
  static const std::map<std::string, std::map<std::string, ReachPair>> kTable = {
      {"admin",
       {{"customers", {R::all, R::all}}, {"contacts", {R::all, R::all}}, {"opportunities", {R::all, R::all}},
        {"contracts", {R::all, R::all}}, {"orders", {R::all, R::all}}, {"activities", {R::all, R::all}},
        {"tickets", {R::all, R::all}}, {"campaigns", {R::all, R::all}}, {"emails", {R::all, R::all}},
        {"views", {R::own, R::own}}}},
      {"manager",
       {{"customers", {R::team_or_pool, R::team_or_pool}}, {"contacts", {R::team_or_pool, R::team_or_pool}},
        {"opportunities", {R::team, R::team}}, {"contracts", {R::team, R::team}}, {"orders", {R::team, R::team}},
        {"activities", {R::team, R::team}}, {"tickets", {R::team, R::none}}, {"campaigns", {R::all, R::all}},
        {"emails", {R::all, R::none}}, {"views", {R::own, R::own}}}},
      {"sales",
       {{"customers", {R::own_or_pool, R::own}}, {"contacts", {R::own_or_pool, R::own}}, {"opportunities", {R::own, R::own}},
        {"contracts", {R::own, R::own}}, {"orders", {R::own, R::own}}, {"activities", {R::own, R::own}},
        {"tickets", {R::own, R::none}}, {"campaigns", {R::all, R::none}}, {"emails", {R::own, R::none}},
        {"views", {R::own, R::own}}}},
      {"service",
       {{"customers", {R::all, R::all}}, {"contacts", {R::all, R::all}}, {"opportunities", {R::all, R::none}},
        {"contracts", {R::all, R::none}}, {"orders", {R::all, R::none}}, {"activities", {R::all, R::own}},
        {"tickets", {R::all, R::all}}, {"views", {R::own, R::own}}}},
      {"contract",
       {{"customers", {R::all, R::none}}, {"contacts", {R::all, R::none}}, {"opportunities", {R::all, R::none}},
        {"contracts", {R::all, R::all}}, {"orders", {R::all, R::none}}, {"activities", {R::all, R::none}},
        {"tickets", {R::all, R::none}}, {"views", {R::own, R::own}}}},
  };
  return kTable;
}

bool has_owner(const EntityDef& entity) { return !entity.scope_via.empty() || entity.field("owner_id") != nullptr; }

}  // namespace

Reach reach_of(const Viewer& viewer, const EntityDef& entity, Action action) {
  if (viewer.is_system()) return Reach::all;
  if (!role_may(viewer.role, entity.name, action)) return Reach::none;
  if (!has_owner(entity)) return Reach::all;
  auto role = table().find(viewer.role);
  if (role == table().end()) return Reach::none;
  auto e = role->second.find(entity.name);
  if (e == role->second.end()) return Reach::none;
  return action == Action::read ? e->second.read : e->second.write;
}

bool reaches_all_records(const Viewer& viewer) {
  for (const auto* e : record_entities())
    if (reach_of(viewer, *e, Action::read) != Reach::all) return false;
  return true;
}

ScopeCondition owner_condition(Reach reach, const Viewer& viewer, const std::string& owner_expr) {
  const bool team = (reach == Reach::team || reach == Reach::team_or_pool) && viewer.team_id.has_value();
  const bool pool = reach == Reach::own_or_pool || reach == Reach::team_or_pool;
  switch (reach) {
    case Reach::none: return {"0", {}};
    case Reach::all: return {"1", {}};
    default: break;
  }
  // `IS` rather than `=`: NULL-safe and still served by the owner index.
  std::string mine = team ? "(" + owner_expr + " IS NOT NULL AND " + owner_expr + " IN (SELECT id FROM users WHERE team_id = ?))"
                          : owner_expr + " IS ?";
  SqlValue arg = team ? SqlValue(*viewer.team_id) : SqlValue(viewer.user_id);
  // Own-or-pool rows are a large share of the table (the pool alone is typically a fifth): the unary +
  // keeps the planner from gathering every one of them through the owner index and sorting them, and
  // has it walk the list's sort index instead, stopping at the page's end.
  if (pool) {
    const std::string unindexed = "+" + owner_expr;
    mine = team ? "(" + unindexed + " IS NOT NULL AND " + unindexed + " IN (SELECT id FROM users WHERE team_id = ?))" : unindexed + " IS ?";
    return {"(" + unindexed + " IS NULL OR " + mine + ")", {arg}};
  }
  return {"(" + mine + ")", {arg}};
}

ScopeCondition scope_condition(const EntityDef& entity, const Viewer& viewer, Action action, const std::string& alias) {
  Reach reach = reach_of(viewer, entity, action);
  if (reach == Reach::all || reach == Reach::none) return owner_condition(reach, viewer, "");
  if (entity.scope_via.empty()) return owner_condition(reach, viewer, alias + ".owner_id");
  const FieldDef* via = entity.field(entity.scope_via);
  ScopeCondition parent = owner_condition(reach, viewer, "p.owner_id");
  // Correlated: one primary-key probe per row looked at. An IN (SELECT ...) list would first gather
  // every customer in reach (hundreds of thousands for a rep with the pool) on every query.
  return {"EXISTS (SELECT 1 FROM " + via->ref_table + " AS p WHERE p.id = " + alias + "." + entity.scope_via + " AND " + parent.sql + ")",
          parent.args};
}

Result<std::optional<int64_t>> scope_owner_of(Database& db, const EntityDef& entity, const nlohmann::json& record) {
  std::string field = entity.scope_via.empty() ? "owner_id" : entity.scope_via;
  auto value = record.find(field);
  if (value == record.end() || !value->is_number_integer()) return std::optional<int64_t>{};
  if (entity.scope_via.empty()) return std::optional<int64_t>{value->get<int64_t>()};
  const FieldDef* via = entity.field(entity.scope_via);
  auto owner = db.query_int("SELECT owner_id FROM " + via->ref_table + " WHERE id = ?1 AND owner_id IS NOT NULL",
                            {value->get<int64_t>()});
  if (!owner.ok()) return owner.take_error();
  return *owner;
}

Result<bool> row_in_reach(Database& db, const EntityDef& entity, int64_t id, const Viewer& viewer, Action action) {
  ScopeCondition cond = scope_condition(entity, viewer, action, "r");
  if (cond.nothing()) return false;
  std::vector<SqlValue> args = {id};
  args.insert(args.end(), cond.args.begin(), cond.args.end());
  auto found = db.query_int("SELECT 1 FROM " + entity.name + " AS r WHERE r.id = ? AND " + cond.sql, args);
  if (!found.ok()) return found.take_error();
  return found->has_value();
}

Result<bool> owner_in_reach(Database& db, const Viewer& viewer, Reach reach, std::optional<int64_t> owner) {
  // The same SQL as for rows, over a one-row table holding the owner.
  ScopeCondition cond = owner_condition(reach, viewer, "o.owner");
  if (cond.everything() || cond.nothing()) return cond.everything();
  // Placeholders number in text order: the condition's come before the owner's.
  std::vector<SqlValue> args = cond.args;
  args.push_back(owner ? SqlValue(*owner) : SqlValue(nullptr));
  auto found = db.query_int("SELECT " + cond.sql + " FROM (SELECT ? AS owner) AS o", args);
  if (!found.ok()) return found.take_error();
  return found->value_or(0) != 0;
}

bool role_may_assign(const std::string& role) { return role == "admin" || role == "manager"; }
bool role_may_claim(const std::string& role) { return role == "admin" || role == "manager" || role == "sales"; }

}  // namespace kehu
