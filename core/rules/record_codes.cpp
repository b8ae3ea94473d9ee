#include "core/rules/record_codes.h"

#include <cstdio>

#include "core/entity/validation.h"

namespace kehu {

using nlohmann::json;

namespace {

// The meta row holding the last number drawn (the customers' name predates the others).
std::string counter_key(const EntityDef& entity) {
  return entity.name == "customers" ? "customer_code_seq" : entity.name + "_code_seq";
}

}  // namespace

std::string code_prefix(const EntityDef& entity) {
  if (entity.name == "customers") return "C";
  if (entity.name == "contracts") return "HT";
  if (entity.name == "orders") return "DD";
  if (entity.name == "tickets") return "GD";
  return "";
}

Status assign_code(WriteTxn& txn, const EntityDef& entity, json& record) {
  if (record.contains("code") && record["code"].is_string() && !record["code"].get<std::string>().empty())
    return ok_status();
  const std::string prefix = code_prefix(entity);
  const std::string key = counter_key(entity);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto seq = txn.db().query_int("UPDATE meta SET value = value + 1 WHERE key = ?1 RETURNING value", {key});
    if (!seq.ok()) return seq.take_error();
    char number[24];
    std::snprintf(number, sizeof number, "%06lld", static_cast<long long>(seq->value_or(1)));
    const std::string code = prefix + number;
    auto taken = txn.db().query_int("SELECT 1 FROM " + entity.name + " WHERE code = ?1", {code});
    if (!taken.ok()) return taken.take_error();
    if (!taken->has_value()) {
      record["code"] = code;
      return ok_status();
    }
    // Someone typed codes in this series by hand: continue after the highest one instead of probing
    // one by one (a run of hand-typed codes must not block numbering).
    const std::string skip = std::to_string(prefix.size() + 1);
    KEHU_TRY(txn.db().run("UPDATE meta SET value = max(value, (SELECT coalesce(max(CAST(substr(code, " + skip +
                              ") AS INTEGER)), 0) FROM " + entity.name +
                              " WHERE code GLOB ?1 AND length(code) <= 18 + ?2)) WHERE key = ?3",
                          {prefix + "[0-9]*", static_cast<int64_t>(prefix.size()), key}));
  }
  const FieldDef* f = entity.field("code");
  Error e = Error::make(ErrorCode::validation, {"无法自动分配" + f->label.zh + "，请手动填写", "could not assign a " + f->label.en + "; please enter one"});
  e.fields["code"] = {"请手动填写" + f->label.zh, "please enter a " + f->label.en};
  return e;
}

Status check_code_unique(Database& db, const EntityDef& entity, const json& record, int64_t self_id) {
  auto taken = db.query_int("SELECT id FROM " + entity.name + " WHERE code = ?1 AND id != ?2",
                            {record["code"].get<std::string>(), self_id});
  if (!taken.ok()) return taken.take_error();
  if (taken->has_value()) {
    const FieldDef* f = entity.field("code");
    return validation_error({{"code", {f->label.zh + "已被使用", "this " + f->label.en + " is already used"}}});
  }
  return ok_status();
}

}  // namespace kehu
