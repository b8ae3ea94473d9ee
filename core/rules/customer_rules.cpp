#include "core/rules/customer_rules.h"

#include "core/entity/validation.h"
#include "core/search/search_index.h"

namespace kehu {

using nlohmann::json;

Result<std::optional<CustomerDuplicate>> find_customer_duplicate(Database& db, const json& record, int64_t self_id) {
  const json phone_value = record.value("phone", json());
  const std::string phone = phone_value.is_string() ? phone_digits(phone_value.get<std::string>()) : "";
  const json name_value = record.value("name", json());
  const std::string name = name_value.is_string() ? name_value.get<std::string>() : "";
  const bool by_name = !name.empty() && record.value("type", json()) != json("individual");
  auto st = db.prepare(
      "SELECT c.id, c.owner_id, u.display_name FROM customers c LEFT JOIN users u ON u.id = c.owner_id "
      "WHERE c.id != ?1 AND ((?2 != '' AND c.phone_norm = ?2) OR (?3 AND c.name = ?4 AND "
      "coalesce(c.type, '') != 'individual')) LIMIT 1");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all({self_id, phone, int64_t{by_name ? 1 : 0}, name});
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!row.value()) return std::optional<CustomerDuplicate>();
  const bool pool = (*st)->column_type(1) == ColumnType::null;
  return std::optional<CustomerDuplicate>(CustomerDuplicate{(*st)->column_int(0), pool, pool ? "" : std::string((*st)->column_text(2))});
}

Status check_customer_duplicate(Database& db, const json& record, int64_t self_id) {
  auto found = find_customer_duplicate(db, record, self_id);
  if (!found.ok()) return found.take_error();
  if (!*found) return ok_status();
  const CustomerDuplicate& other = **found;
  if (other.pool)
    return Error::make(ErrorCode::duplicate, {"已有相同电话或名称的客户在公海中", "a customer with the same phone or name is already in the customer pool"});
  return Error::make(ErrorCode::duplicate, {"已有相同电话或名称的客户，负责人：" + other.owner,
                                            "a customer with the same phone or name already exists, owned by " + other.owner});
}

}  // namespace kehu
