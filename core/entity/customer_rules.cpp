#include "core/entity/customer_rules.h"

#include <cstdio>

#include "core/entity/validation.h"
#include "core/search/search_index.h"

namespace kehu {

using nlohmann::json;

Status assign_customer_code(WriteTxn& txn, json& record) {
  if (record.contains("code") && record["code"].is_string() && !record["code"].get<std::string>().empty())
    return ok_status();
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto seq = txn.db().query_int("UPDATE meta SET value = value + 1 WHERE key = 'customer_code_seq' RETURNING value");
    if (!seq.ok()) return seq.take_error();
    char code[32];
    std::snprintf(code, sizeof code, "C%06lld", static_cast<long long>(seq->value_or(1)));
    auto taken = txn.db().query_int("SELECT 1 FROM customers WHERE code = ?1", {std::string(code)});
    if (!taken.ok()) return taken.take_error();
    if (!taken->has_value()) {
      record["code"] = code;
      return ok_status();
    }
    // Someone typed codes in this series by hand: continue after the highest one instead of probing
    // one by one (a run of hand-typed codes must not block numbering).
    KEHU_TRY(txn.db().run(
        "UPDATE meta SET value = max(value, (SELECT coalesce(max(CAST(substr(code, 2) AS INTEGER)), 0) FROM customers"
        " WHERE code GLOB 'C[0-9]*' AND length(code) <= 19)) WHERE key = 'customer_code_seq'"));
  }
  Error e = Error::make(ErrorCode::validation, {"无法自动分配客户编号，请手动填写", "could not assign a customer code; please enter one"});
  e.fields["code"] = {"请手动填写客户编号", "please enter a customer code"};
  return e;
}

Status check_customer_code_unique(Database& db, const json& record, int64_t self_id) {
  auto taken = db.query_int("SELECT id FROM customers WHERE code = ?1 AND id != ?2",
                            {record["code"].get<std::string>(), self_id});
  if (!taken.ok()) return taken.take_error();
  if (taken->has_value()) {
    return validation_error({{"code", {"客户编号已被其他客户使用", "this customer code is already used by another customer"}}});
  }
  return ok_status();
}

Status check_customer_duplicate(Database& db, const json& record, int64_t self_id) {
  std::string phone = record.value("phone", json()).is_string() ? phone_digits(record["phone"].get<std::string>()) : "";
  std::string name = record["name"].get<std::string>();
  bool by_name = record.value("type", json()) != json("individual");
  // Owner display name of the first colliding customer; "" owner_id means the pool.
  std::string sql =
      "SELECT c.id, c.owner_id, u.display_name FROM customers c LEFT JOIN users u ON u.id = c.owner_id "
      "WHERE c.id != ?1 AND ((?2 != '' AND c.phone_norm = ?2) OR (?3 AND c.name = ?4 AND "
      "coalesce(c.type, '') != 'individual')) LIMIT 1";
  auto st = db.prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all({self_id, phone, int64_t{by_name ? 1 : 0}, name});
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!row.value()) return ok_status();
  bool pool = (*st)->column_type(1) == ColumnType::null;
  std::string owner(pool ? "" : (*st)->column_text(2));
  Error e = pool ? Error::make(ErrorCode::duplicate, {"已有相同电话或名称的客户在公海中", "a customer with the same phone or name is already in the customer pool"})
                 : Error::make(ErrorCode::duplicate, {"已有相同电话或名称的客户，负责人：" + owner,
                                                      "a customer with the same phone or name already exists, owned by " + owner});
  return e;
}

}  // namespace kehu
