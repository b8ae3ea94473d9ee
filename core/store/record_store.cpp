#include "core/store/record_store.h"

#include "core/rules/campaign_members.h"
#include "core/rules/record_rules.h"
#include "core/entity/record_codec.h"
#include "core/entity/validation.h"
#include "core/search/search_index.h"
#include "core/stats/stats_upkeep.h"
#include "core/settings/settings.h"
#include "core/users/user_store.h"

namespace kehu {

using nlohmann::json;

namespace {

Error not_found(const EntityDef& entity) {
  return Error::make(ErrorCode::not_found, {"找不到该" + entity.label.zh + "，可能已被删除", "no such " + entity.label.en + "; it may have been deleted"});
}

Error not_yours(const EntityDef& entity) {
  return Error::make(ErrorCode::forbidden, {"你不能修改这条" + entity.label.zh + "（不是你负责的）",
                                            "you may not change this " + entity.label.en + " (it is not yours)"});
}

// Every reference in `values` must name an existing row the viewer can see: one they cannot see is
// answered exactly as a missing one.
Status check_references(Database& db, const EntityDef& entity, const json& values, const Viewer& viewer) {
  Error err = Error::make(ErrorCode::validation, validation_summary());
  for (const auto& f : entity.fields) {
    if (f.type != FieldType::reference || !values.contains(f.name) || values[f.name].is_null()) continue;
    const int64_t ref_id = values[f.name].get<int64_t>();
    Result<bool> found = false;
    if (const EntityDef* target = find_entity(f.ref_table)) {
      found = row_in_reach(db, *target, ref_id, viewer, Action::read);
    } else {
      auto row = db.query_int("SELECT 1 FROM " + f.ref_table + " WHERE id = ?1", {ref_id});
      if (!row.ok()) return row.take_error();
      found = row->has_value();
    }
    if (!found.ok()) return found.take_error();
    if (!*found) err.fields[f.name] = {"所选" + f.label.zh + "不存在", "the chosen " + f.label.en + " does not exist"};
  }
  if (!err.fields.empty()) return err;
  return ok_status();
}

// The write reach (record_scope.h) for a record going from `before` (null: a new record) to `after`:
// the viewer must reach the record as it is and as it will be, and only roles that assign may change
// an owner to someone other than themselves — a manager only within their team.
Status check_write_reach(Database& db, const EntityDef& entity, const Viewer& viewer, const json& before, const json& after) {
  if (viewer.is_system()) return ok_status();
  const Reach reach = reach_of(viewer, entity, before.is_null() ? Action::create : Action::update);
  if (entity.field("owner_id")) {
    const json& new_owner = after["owner_id"];
    const json old_owner = before.is_null() ? json(viewer.user_id) : before["owner_id"];
    if (new_owner != old_owner) {
      if (!role_may_assign(viewer.role))
        return Error::make(ErrorCode::forbidden, {"只有经理或管理员可以分配负责人", "only a manager or an administrator may assign an owner"});
      auto allowed = owner_in_reach(db, viewer, reach, new_owner.is_number_integer() ? std::optional<int64_t>(new_owner.get<int64_t>()) : std::nullopt);
      if (!allowed.ok()) return allowed.take_error();
      if (!*allowed) return validation_error({{"owner_id", {"只能分配给本部门的成员或放入公海", "you may assign only to members of your team or to the pool"}}});
    }
  }
  for (const json* record : {&before, &after}) {
    if (record->is_null()) continue;
    auto owner = scope_owner_of(db, entity, *record);
    if (!owner.ok()) return owner.take_error();
    auto within = owner_in_reach(db, viewer, reach, *owner);
    if (!within.ok()) return within.take_error();
    if (!*within) return not_yours(entity);
  }
  return ok_status();
}

// A change of scope owner, logged for the sync reader's removals (record_scope.h). When a customer changes
// hands, the rows that follow its owner (contacts) are stamped with this transaction's rev, so they reach
// the new owner's next sync, and logged as moved too.
Status log_scope_move(WriteTxn& txn, const EntityDef& entity, int64_t id, const json& from, const json& to) {
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  auto owner = [](const json& v) { return v.is_number_integer() ? SqlValue(v.get<int64_t>()) : SqlValue(nullptr); };
  KEHU_TRY(txn.db().run("INSERT OR REPLACE INTO scope_moves (rev, entity, id, from_owner, to_owner) VALUES (?1,?2,?3,?4,?5)",
                        {*rev, entity.name, id, owner(from), owner(to)}));
  for (const auto* child : record_entities()) {
    const FieldDef* via = child->scope_via.empty() ? nullptr : child->field(child->scope_via);
    if (!via || via->ref_table != entity.name) continue;
    KEHU_TRY(txn.db().run("UPDATE " + child->name + " SET rev = ?1 WHERE " + via->name + " = ?2", {*rev, id}));
    KEHU_TRY(txn.db().run("INSERT OR REPLACE INTO scope_moves (rev, entity, id, from_owner, to_owner) SELECT ?1, ?2, id, ?3, ?4 FROM " +
                              child->name + " WHERE " + via->name + " = ?5",
                          {*rev, child->name, owner(from), owner(to), id}));
  }
  return ok_status();
}

json diff(const EntityDef& entity, const json& before, const json& after) {
  json changes = json::object();
  for (const auto& f : entity.fields) {
    json a = before.is_null() ? json(nullptr) : before.value(f.name, json());
    json b = after.is_null() ? json(nullptr) : after.value(f.name, json());
    if (a != b) changes[f.name] = json::array({a, b});
  }
  return changes;
}


// (id, rev) of the rows of `table` matching `where`, read before any of them is written.
Result<std::vector<std::pair<int64_t, int64_t>>> rows_where(Database& db, const std::string& table, const std::string& where,
                                                            const std::vector<SqlValue>& args) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  auto st = db.prepare("SELECT id, rev FROM " + table + " WHERE " + where);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    rows.push_back({(*st)->column_int(0), (*st)->column_int(1)});
  }
  st->reset();
  return rows;
}

// Before record `id` of `entity` is deleted: a required reference that is not part of it refuses the
// delete (nothing is touched yet); then its parts are deleted and optional references cleared, each
// through the normal write path so every client hears of it.
Status release_dependents(WriteTxn& txn, const EntityDef& entity, int64_t id) {
  for (const auto* child : served_entities())
    for (const auto& f : child->fields) {
      const bool refuses = (f.required && !f.cascade_delete) || f.restrict_delete;
      if (f.type != FieldType::reference || f.ref_table != entity.name || !refuses) continue;
      auto n = txn.db().query_int("SELECT count(*) FROM " + child->name + " WHERE " + f.name + " = ?1", {id});
      if (!n.ok()) return n.take_error();
      if (n->value_or(0) == 0) continue;
      // No count: some of those records may be ones the user cannot see.
      return Error::make(ErrorCode::in_use, {"还有" + child->label.zh + "记录关联到该" + entity.label.zh + "，不能删除",
                                             "this " + entity.label.en + " still has " + child->label.en +
                                                 " records and cannot be deleted"});
    }
  for (const auto* child : served_entities())
    for (const auto& f : child->fields) {
      if (f.type != FieldType::reference || f.ref_table != entity.name) continue;
      if (!f.cascade_delete) {
        WriteOptions clear;
        clear.server_values = json{{f.name, nullptr}};  // may be a server-maintained field (approved_by)
        KEHU_TRY(update_rows_where(txn, *child, f.name + " = ?1", {id}, json::object(), clear));
        continue;
      }
      auto parts = rows_where(txn.db(), child->name, f.name + " = ?1", {id});
      if (!parts.ok()) return parts.take_error();
      for (auto [part_id, part_rev] : *parts) KEHU_TRY(delete_record(txn, *child, part_id));
    }
  return ok_status();
}

// The option lists the settings configure for `entity`'s enumerated fields (settings.h).
Result<FieldChoices> writable_choices_of(Database& db, const EntityDef& entity) {
  auto settings = read_settings(db);
  if (!settings.ok()) return settings.take_error();
  return writable_choices(*settings, entity);
}

}  // namespace

std::vector<std::pair<std::string, SqlValue>> derived_columns(const EntityDef& entity, const json& record) {
  if (entity.name != "customers") return {};
  auto phone = record.find("phone");
  std::string digits = phone != record.end() && phone->is_string() ? phone_digits(phone->get<std::string>()) : "";
  return {{"phone_norm", digits.empty() ? SqlValue(nullptr) : SqlValue(digits)}};
}

Status insert_record_row(Database& db, const EntityDef& entity, const std::vector<std::pair<std::string, SqlValue>>& system,
                         const json& record) {
  std::string cols, params;
  std::vector<SqlValue> args;
  auto add = [&](const std::string& col, SqlValue value) {
    args.push_back(std::move(value));
    cols += (cols.empty() ? "" : ", ") + col;
    params += (params.empty() ? "?" : ", ?") + std::to_string(args.size());
  };
  for (const auto& [col, value] : system) add(col, value);
  static const json kAbsent;
  for (const auto& f : entity.fields) {
    auto it = record.find(f.name);
    add(f.name, field_to_sql(f, it == record.end() ? kAbsent : *it));
  }
  for (auto& [col, value] : derived_columns(entity, record)) add(col, std::move(value));
  return db.run("INSERT INTO " + entity.name + " (" + cols + ") VALUES (" + params + ")", args);
}

Result<json> get_record(Database& db, const EntityDef& entity, int64_t id) {
  auto st = db.prepare("SELECT " + record_columns(entity) + " FROM " + entity.name + " WHERE id = ?1");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, id);
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!row.value()) return not_found(entity);
  return row_to_json(entity, **st);
}

Result<json> get_visible_record(Database& db, const EntityDef& entity, int64_t id, const Viewer& viewer) {
  auto visible = row_in_reach(db, entity, id, viewer, Action::read);
  if (!visible.ok()) return visible.take_error();
  if (!*visible) return not_found(entity);
  return get_record(db, entity, id);
}

Result<json> create_record(WriteTxn& txn, const EntityDef& entity, const json& input, const WriteOptions& options) {
  auto choices = writable_choices_of(txn.db(), entity);
  if (!choices.ok()) return choices.take_error();
  auto valid = validate_input(entity, input, WriteMode::create, &*choices);
  if (!valid.ok()) return valid.take_error();
  json record = json::object();
  for (const auto& f : entity.fields) record[f.name] = valid->value(f.name, json());
  const Viewer& viewer = options.viewer;
  // A new record nobody was named for is its creator's (SPEC §3 "own"); the pool takes an explicit null.
  if (entity.field("owner_id") && !valid->contains("owner_id") && !viewer.is_system()) record["owner_id"] = viewer.user_id;
  for (const auto& [key, value] : options.server_values.items()) record[key] = value;
  KEHU_TRY(check_references(txn.db(), entity, record, viewer));
  KEHU_TRY(check_write_reach(txn.db(), entity, viewer, nullptr, record));
  bool overridden = false;
  KEHU_TRY(prepare_record(txn, entity, record, nullptr, 0, viewer, options.force, overridden));
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();

  const SqlValue actor = txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr);
  KEHU_TRY(insert_record_row(txn.db(), entity,
                             {{"rev", *rev}, {"created_at", txn.now()}, {"updated_at", txn.now()},
                              {"created_by", actor}, {"updated_by", actor}},
                             record));
  int64_t id = txn.db().last_insert_rowid();
  auto stored = get_record(txn.db(), entity, id);
  if (!stored.ok()) return stored.take_error();
  KEHU_TRY(index_new_record(txn.db(), entity, id, *stored));
  KEHU_TRY(txn.audit("create", entity.name, id, diff(entity, nullptr, *stored)));
  KEHU_TRY(after_record_written(txn, entity, nullptr, *stored));
  KEHU_TRY(update_statistics(txn.db(), entity, nullptr, *stored));
  if (overridden) KEHU_TRY(txn.audit("override", entity.name, id, json{{"rule", "duplicate"}}));
  return stored;
}

Result<json> update_record(WriteTxn& txn, const EntityDef& entity, int64_t id, const json& patch, int64_t expected_rev,
                           const WriteOptions& options) {
  auto choices = writable_choices_of(txn.db(), entity);
  if (!choices.ok()) return choices.take_error();
  auto valid = validate_input(entity, patch, WriteMode::update, &*choices);
  if (!valid.ok()) return valid.take_error();
  const Viewer& viewer = options.viewer;
  auto current = get_visible_record(txn.db(), entity, id, viewer);
  if (!current.ok()) return current.take_error();
  // Reach over the record as it is comes before the rev check: a 409 would show a record the user may not change.
  KEHU_TRY(check_write_reach(txn.db(), entity, viewer, *current, *current));
  if ((*current)["rev"].get<int64_t>() != expected_rev)
    return Error::make(ErrorCode::conflict, {"该记录已被他人修改，请查看最新内容后再保存", "someone else changed this record; review the latest version and save again"});

  json record = *current;
  for (const auto& [key, value] : valid->items()) record[key] = value;
  for (const auto& [key, value] : options.server_values.items()) record[key] = value;
  if (diff(entity, *current, record).empty()) return current;
  KEHU_TRY(check_references(txn.db(), entity, *valid, viewer));
  KEHU_TRY(check_write_reach(txn.db(), entity, viewer, *current, record));
  bool overridden = false;
  KEHU_TRY(prepare_record(txn, entity, record, *current, id, viewer, options.force, overridden));
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();

  std::string sets = "rev = ?1, updated_at = ?2, updated_by = ?3";
  std::vector<SqlValue> args = {*rev, txn.now(), txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr)};
  for (const auto& f : entity.fields) {  // server-maintained ones too: the rules may have set them
    args.push_back(field_to_sql(f, record[f.name]));
    sets += ", " + f.name + " = ?" + std::to_string(args.size());
  }
  for (auto& [col, value] : derived_columns(entity, record)) {
    args.push_back(value);
    sets += ", " + col + " = ?" + std::to_string(args.size());
  }
  args.push_back(id);
  KEHU_TRY(txn.db().run("UPDATE " + entity.name + " SET " + sets + " WHERE id = ?" + std::to_string(args.size()), args));
  auto stored = get_record(txn.db(), entity, id);
  if (!stored.ok()) return stored.take_error();
  if (entity.field("owner_id") && (*current)["owner_id"] != (*stored)["owner_id"])
    KEHU_TRY(log_scope_move(txn, entity, id, (*current)["owner_id"], (*stored)["owner_id"]));
  if (!entity.scope_via.empty() && (*current)[entity.scope_via] != (*stored)[entity.scope_via]) {
    // Moved to another customer: it now follows that customer's owner.
    auto from = scope_owner_of(txn.db(), entity, *current);
    auto to = scope_owner_of(txn.db(), entity, *stored);
    if (!from.ok()) return from.take_error();
    if (!to.ok()) return to.take_error();
    auto as_json = [](const std::optional<int64_t>& o) { return o ? json(*o) : json(nullptr); };
    if (*from != *to) KEHU_TRY(log_scope_move(txn, entity, id, as_json(*from), as_json(*to)));
  }
  if (&entity == &users_def()) KEHU_TRY(note_user_scope_change(txn, *current, *stored));
  KEHU_TRY(index_record(txn.db(), entity, id, &stored.value()));
  KEHU_TRY(txn.audit("update", entity.name, id, diff(entity, *current, *stored)));
  if (overridden) KEHU_TRY(txn.audit("override", entity.name, id, json{{"rule", "duplicate"}}));
  KEHU_TRY(after_record_written(txn, entity, *current, *stored));
  KEHU_TRY(update_statistics(txn.db(), entity, *current, *stored));
  return stored;
}

Status update_rows_where(WriteTxn& txn, const EntityDef& entity, const std::string& where, const std::vector<SqlValue>& args,
                         const json& patch, const WriteOptions& options) {
  auto rows = rows_where(txn.db(), entity.name, where, args);
  if (!rows.ok()) return rows.take_error();
  for (auto [id, rev] : *rows) {
    auto written = update_record(txn, entity, id, patch, rev, options);
    if (!written.ok()) return written.take_error();
  }
  return ok_status();
}

Status delete_record(WriteTxn& txn, const EntityDef& entity, int64_t id, const Viewer& viewer) {
  auto current = get_visible_record(txn.db(), entity, id, viewer);
  if (!current.ok()) return current.take_error();
  if (!viewer.is_system()) {
    auto may = row_in_reach(txn.db(), entity, id, viewer, Action::remove);
    if (!may.ok()) return may.take_error();
    if (!*may) return not_yours(entity);
  }
  auto scope_owner = scope_owner_of(txn.db(), entity, *current);
  if (!scope_owner.ok()) return scope_owner.take_error();
  KEHU_TRY(release_dependents(txn, entity, id));
  KEHU_TRY(before_record_deleted(txn, entity, id, viewer));
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  KEHU_TRY(index_record(txn.db(), entity, id, nullptr));
  KEHU_TRY(update_statistics(txn.db(), entity, *current, nullptr));
  KEHU_TRY(txn.db().run("DELETE FROM " + entity.name + " WHERE id = ?1", {id}));
  KEHU_TRY(txn.db().run(
      "INSERT OR REPLACE INTO tombstones (entity, id, rev, deleted_at, deleted_by, scope_owner) VALUES (?1,?2,?3,?4,?5,?6)",
      {entity.name, id, *rev, txn.now(), txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr),
       *scope_owner ? SqlValue(**scope_owner) : SqlValue(nullptr)}));
  KEHU_TRY(txn.audit("delete", entity.name, id, diff(entity, *current, nullptr)));
  return ok_status();
}

Result<json> claim_customer(WriteTxn& txn, int64_t id, const Viewer& viewer) {
  const EntityDef& customers = customers_def();
  auto current = get_visible_record(txn.db(), customers, id, viewer);
  if (!current.ok()) {
    if (current.error().code != ErrorCode::not_found) return current.take_error();
    return Error::make(ErrorCode::not_found, {"找不到该客户，可能已被他人领取", "no such customer; someone may have claimed it"});
  }
  if (!role_may_claim(viewer.role))
    return Error::make(ErrorCode::forbidden, {"你的角色不能领取公海客户", "your role may not claim customers from the pool"});
  const json& owner = (*current)["owner_id"];
  if (owner == json(viewer.user_id)) return current;  // claimed already (a retry): nothing to do
  if (!owner.is_null()) {
    auto name = txn.db().prepare("SELECT display_name FROM users WHERE id = ?1");
    if (!name.ok()) return name.take_error();
    (*name)->bind(1, owner.get<int64_t>());
    auto row = (*name)->step();
    if (!row.ok()) return row.take_error();
    std::string who = *row ? std::string((*name)->column_text(0)) : "";
    name->reset();
    return Error::make(ErrorCode::conflict, {"该客户已被" + who + "领取", "this customer was already claimed by " + who});
  }
  // The claim is the system moving the customer to the claimer: their own write reach (own) does not
  // include the pool they are taking it from.
  return update_record(txn, customers, id, json{{"owner_id", viewer.user_id}}, (*current)["rev"].get<int64_t>());
}

Result<json> merge_customers(WriteTxn& txn, int64_t keep_id, int64_t merge_id, const Viewer& viewer) {
  const EntityDef& customers = customers_def();
  if (keep_id == merge_id)
    return validation_error({{"merge_id", {"不能把客户合并到它自己", "a customer cannot be merged into itself"}}});
  if (!viewer.is_system() && !role_may_assign(viewer.role))
    return Error::make(ErrorCode::forbidden, {"只有经理或管理员可以合并客户", "only a manager or an administrator may merge customers"});
  for (int64_t id : {keep_id, merge_id}) {
    auto record = get_visible_record(txn.db(), customers, id, viewer);
    if (!record.ok()) return record.take_error();
    KEHU_TRY(check_write_reach(txn.db(), customers, viewer, *record, *record));
  }
  // Every record that points at the merged customer now points at the kept one, each through the
  // normal write path (validation, rev, search index, audit, scope moves).
  for (const auto* entity : served_entities()) {
    for (const auto& f : entity->fields) {
      if (f.type != FieldType::reference || f.ref_table != customers.name) continue;
      KEHU_TRY(update_rows_where(txn, *entity, f.name + " = ?1", {merge_id}, json{{f.name, keep_id}}));
    }
  }
  KEHU_TRY(move_campaign_members(txn, merge_id, keep_id));
  KEHU_TRY(delete_record(txn, customers, merge_id));
  KEHU_TRY(txn.audit("update", customers.name, keep_id, json{{"merged_from", {nullptr, merge_id}}}));
  return get_record(txn.db(), customers, keep_id);
}

}  // namespace kehu
