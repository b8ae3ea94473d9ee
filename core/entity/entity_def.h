// entity_def.h — what a record type is made of, described once and used everywhere.
//
// Validation, the row <-> JSON codec, list filters and sorting, the search index and the sync reader are
// all driven by these descriptors, so adding a field (or, in later work, an entity) is one edit here plus
// a numbered migration. Labels are the GLOSSARY.md words, used in every field message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"

namespace kehu {

enum class FieldType {
  text,        // UTF-8 string, max_len code points
  integer,     // 64-bit integer within [min, max]
  enumerated,  // one of `values`
  date,        // "YYYY-MM-DD"
  datetime,    // RFC 3339
  boolean,     // true/false, stored 0/1
  string_list, // JSON array of short strings (tags)
  object,      // JSON object of custom fields
  reference,   // id of a row in `ref_table` (null allowed unless required)
  item_list,   // JSON array of order lines {product_id, quantity, unit_price} (order_rules.h)
};

// How a field's value reads and is checked: text formats, and `money` for integers in minor units
// (fen/cents) that people read and type as 12,500.00.
enum class TextFormat { none, phone, email, url, code, currency, money };

// The largest amount of money one field or one order holds: 10,000,000,000.00 in minor units. Far above
// any real deal, and low enough that the statistics' sums of millions of records (a forecast's amount
// times a percentage included) stay exact in 64-bit integers.
constexpr int64_t kMostMoney = 1'000'000'000'000;
constexpr const char* kMostMoneyText = "10,000,000,000.00";

struct FieldDef {
  std::string name;
  FieldType type = FieldType::text;
  Text label;
  bool required = false;
  size_t max_len = 200;               // text: code points; string_list: items
  std::vector<std::string> values;    // enumerated; string_list: the allowed items (empty: any)
  std::vector<Text> value_labels;     // enumerated: the GLOSSARY.md word for each value, same order
  TextFormat format = TextFormat::none;
  std::string ref_table;              // reference
  // reference: what deleting the target does to this row. Required references to a customer's own parts
  // (a contact) cascade; other required references refuse the delete; optional ones are cleared.
  bool cascade_delete = false;
  bool restrict_delete = false;       // an optional reference that still refuses the target's delete (a team's members)
  int64_t min_value = INT64_MIN;      // integer
  int64_t max_value = INT64_MAX;      // integer
  bool writable = true;               // false: maintained by the server; input naming it is rejected
  bool searchable = false;            // part of the full-text index
  bool filterable = false;            // ?field= (and _from/_to for dates and datetimes)
  bool sortable = false;              // ?sort=field
  bool immutable = false;             // set on create, not changeable by PATCH
};

struct EntityDef {
  std::string name;   // resource and table name: "customers"
  Text label;         // 客户 / customer
  std::vector<FieldDef> fields;
  // The reference field whose target's owner decides who sees a row (contacts: "customer_id"); empty: the
  // row's own owner_id decides, or, without one, the entity is reference data every reader sees
  // (record_scope.h).
  std::string scope_via;

  const FieldDef* field(std::string_view field_name) const;
};

// The label of an enumerated field's value (the value itself when it has none).
Text value_label(const FieldDef& field, std::string_view value);

// The system columns every entity row has (SPEC §4), in output order.
inline const std::vector<std::string>& system_columns() {
  static const std::vector<std::string> kColumns = {"id", "rev", "created_at", "updated_at", "created_by", "updated_by"};
  return kColumns;
}
// System columns a list may sort by and filter on (created_at_from/_to, 录入时间).
bool is_sortable_system_column(std::string_view name);

const EntityDef& customers_def();
const EntityDef& contacts_def();
// Sales (sales_defs.cpp): products, opportunities, contracts, orders.
const EntityDef& products_def();
const EntityDef& opportunities_def();
const EntityDef& contracts_def();
const EntityDef& orders_def();
// Service (service_defs.cpp): activities and tickets.
const EntityDef& activities_def();
const EntityDef& tickets_def();
// Marketing (marketing_defs.cpp): campaigns and e-mail records.
const EntityDef& campaigns_def();
const EntityDef& emails_def();
// The workspace (workspace_defs.cpp): announcements and each user's saved list views.
const EntityDef& announcements_def();
const EntityDef& views_def();
// The admin's people and teams (directory_defs.cpp): served by the record routes, not synced.
const EntityDef& users_def();
const EntityDef& teams_def();
// Entities the record routes serve: record_entities() plus users, teams and views (each user's own saved
// list views, private to them and so never in a shared sync image).
const std::vector<const EntityDef*>& served_entities();
// Entities the generic record code serves, in sync order (parents before children).
const std::vector<const EntityDef*>& record_entities();
const EntityDef* find_entity(std::string_view name);

}  // namespace kehu
