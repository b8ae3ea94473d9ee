#include "core/rules/customer_rules.h"

#include "core/entity/validation.h"
#include "core/search/search_index.h"

namespace kehu {

using nlohmann::json;

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
