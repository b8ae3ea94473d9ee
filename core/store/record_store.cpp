#include "core/store/record_store.h"

#include "core/entity/customer_rules.h"
#include "core/entity/record_codec.h"
#include "core/entity/validation.h"
#include "core/search/search_index.h"

namespace kehu {

using nlohmann::json;

namespace {

Error not_found(const EntityDef& entity) {
  return Error::make(ErrorCode::not_found, {"找不到该" + entity.label.zh + "，可能已被删除", "no such " + entity.label.en + "; it may have been deleted"});
}

// Every reference in `values` must name an existing row.
Status check_references(Database& db, const EntityDef& entity, const json& values) {
  Error err = Error::make(ErrorCode::validation, validation_summary());
  for (const auto& f : entity.fields) {
    if (f.type != FieldType::reference || !values.contains(f.name) || values[f.name].is_null()) continue;
    auto found = db.query_int("SELECT 1 FROM " + f.ref_table + " WHERE id = ?1", {values[f.name].get<int64_t>()});
    if (!found.ok()) return found.take_error();
    if (!found->has_value()) err.fields[f.name] = {"所选" + f.label.zh + "不存在", "the chosen " + f.label.en + " does not exist"};
  }
  if (!err.fields.empty()) return err;
  return ok_status();
}

// Entity-specific rules before a write; `record` is the whole row to be written, `before` the stored one
// (null on create).
Status apply_rules(WriteTxn& txn, const EntityDef& entity, json& record, const json& before, int64_t self_id,
                   const WriteOptions& options, bool& overridden) {
  overridden = false;
  if (entity.name != "customers") return ok_status();
  KEHU_TRY(assign_customer_code(txn, record));
  KEHU_TRY(check_customer_code_unique(txn.db(), record, self_id));
  // The duplicate guard looks at what identifies a customer; an edit of anything else (notes, level) of a
  // customer that was saved as a forced duplicate must still go through.
  auto identity = [](const json& r) {
    json phone = r.value("phone", json());
    return json::array({r.value("name", json()), phone.is_string() ? json(phone_digits(phone.get<std::string>())) : json(),
                        r.value("type", json())});
  };
  if (!before.is_null() && identity(before) == identity(record)) return ok_status();
  auto dup = check_customer_duplicate(txn.db(), record, self_id);
  if (!dup.ok()) {
    if (!options.force || dup.error().code != ErrorCode::duplicate) return dup;
    overridden = true;
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

Result<json> create_record(WriteTxn& txn, const EntityDef& entity, const json& input, const WriteOptions& options) {
  auto valid = validate_input(entity, input, WriteMode::create);
  if (!valid.ok()) return valid.take_error();
  json record = json::object();
  for (const auto& f : entity.fields) record[f.name] = valid->value(f.name, json());
  KEHU_TRY(check_references(txn.db(), entity, record));
  bool overridden = false;
  KEHU_TRY(apply_rules(txn, entity, record, nullptr, 0, options, overridden));
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
  if (overridden) KEHU_TRY(txn.audit("override", entity.name, id, json{{"rule", "duplicate"}}));
  return stored;
}

Result<json> update_record(WriteTxn& txn, const EntityDef& entity, int64_t id, const json& patch, int64_t expected_rev,
                           const WriteOptions& options) {
  auto valid = validate_input(entity, patch, WriteMode::update);
  if (!valid.ok()) return valid.take_error();
  auto current = get_record(txn.db(), entity, id);
  if (!current.ok()) return current.take_error();
  if ((*current)["rev"].get<int64_t>() != expected_rev)
    return Error::make(ErrorCode::conflict, {"该记录已被他人修改，请查看最新内容后再保存", "someone else changed this record; review the latest version and save again"});

  json record = *current;
  for (const auto& [key, value] : valid->items()) record[key] = value;
  if (diff(entity, *current, record).empty()) return current;
  KEHU_TRY(check_references(txn.db(), entity, *valid));
  bool overridden = false;
  KEHU_TRY(apply_rules(txn, entity, record, *current, id, options, overridden));
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();

  std::string sets = "rev = ?1, updated_at = ?2, updated_by = ?3";
  std::vector<SqlValue> args = {*rev, txn.now(), txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr)};
  for (const auto& f : entity.fields) {
    if (!f.writable) continue;
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
  KEHU_TRY(index_record(txn.db(), entity, id, &stored.value()));
  KEHU_TRY(txn.audit("update", entity.name, id, diff(entity, *current, *stored)));
  if (overridden) KEHU_TRY(txn.audit("override", entity.name, id, json{{"rule", "duplicate"}}));
  return stored;
}

Status delete_record(WriteTxn& txn, const EntityDef& entity, int64_t id) {
  auto current = get_record(txn.db(), entity, id);
  if (!current.ok()) return current.take_error();
  // Children that require this record go first, each with its own tombstone.
  for (const auto* child : record_entities()) {
    for (const auto& f : child->fields) {
      if (f.type != FieldType::reference || f.ref_table != entity.name || !f.required) continue;
      std::vector<int64_t> ids;
      auto st = txn.db().prepare("SELECT id FROM " + child->name + " WHERE " + f.name + " = ?1");
      if (!st.ok()) return st.take_error();
      (*st)->bind(1, id);
      for (;;) {
        auto row = (*st)->step();
        if (!row.ok()) return row.take_error();
        if (!row.value()) break;
        ids.push_back((*st)->column_int(0));
      }
      st->reset();
      for (int64_t child_id : ids) KEHU_TRY(delete_record(txn, *child, child_id));
    }
  }
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  KEHU_TRY(index_record(txn.db(), entity, id, nullptr));
  KEHU_TRY(txn.db().run("DELETE FROM " + entity.name + " WHERE id = ?1", {id}));
  KEHU_TRY(txn.db().run("INSERT OR REPLACE INTO tombstones (entity, id, rev, deleted_at, deleted_by) VALUES (?1,?2,?3,?4,?5)",
                        {entity.name, id, *rev, txn.now(),
                         txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr)}));
  KEHU_TRY(txn.audit("delete", entity.name, id, diff(entity, *current, nullptr)));
  return ok_status();
}

}  // namespace kehu
