#include "core/rules/record_rules.h"

#include <algorithm>

#include "core/clock.h"
#include "core/rules/campaign_members.h"
#include "core/entity/validation.h"
#include "core/rules/customer_rules.h"
#include "core/rules/order_rules.h"
#include "core/rules/record_codes.h"
#include "core/rules/workflows.h"
#include "core/search/search_index.h"
#include "core/settings/settings.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"
#include "core/time_zone.h"

namespace kehu {

using nlohmann::json;

namespace {

bool is_set(const json& record, const char* field) { return record.contains(field) && !record[field].is_null(); }

// The customer the row `id` of `table` belongs to (nullopt: the row does not exist or has none).
Result<std::optional<int64_t>> customer_of(Database& db, const std::string& table, int64_t id) {
  return db.query_int("SELECT customer_id FROM " + table + " WHERE id = ?1 AND customer_id IS NOT NULL", {id});
}

// A contact, opportunity or contract named by a record must belong to the record's customer; a record
// that names one of them but no customer takes that one's customer.
Status check_customer_parts(Database& db, const EntityDef& entity, json& record, const Viewer& viewer) {
  if (!entity.field("customer_id")) return ok_status();
  static const std::vector<std::pair<const char*, const char*>> kParts = {
      {"contact_id", "contacts"}, {"opportunity_id", "opportunities"}, {"contract_id", "contracts"}};
  std::map<std::string, Text> bad;
  for (const auto& [field, table] : kParts) {
    const FieldDef* f = entity.field(field);
    if (!f || !is_set(record, field)) continue;
    auto owner = customer_of(db, table, record[field].get<int64_t>());
    if (!owner.ok()) return owner.take_error();
    if (!owner->has_value()) continue;  // a missing row was already refused by the reference check
    if (!is_set(record, "customer_id")) {
      // Taken from the part, so it was never checked against the viewer's reach: a part can outlive its
      // customer's move to someone else (a closed opportunity stays with its owner).
      auto visible = row_in_reach(db, customers_def(), **owner, viewer, Action::read);
      if (!visible.ok()) return visible.take_error();
      if (!*visible) {
        bad[field] = {"所选" + f->label.zh + "所属的客户不在你的范围内", "the chosen " + f->label.en + "'s customer is not one of yours"};
        continue;
      }
      record["customer_id"] = **owner;
    }
    if (record["customer_id"].get<int64_t>() != **owner)
      bad[field] = {"所选" + f->label.zh + "不属于该客户", "the chosen " + f->label.en + " belongs to another customer"};
  }
  if (!bad.empty()) return validation_error(bad);
  return ok_status();
}

// End not before start, for each pair the entity has.
Status check_periods(const EntityDef& entity, const json& record) {
  static const std::vector<std::pair<const char*, const char*>> kPairs = {
      {"start_date", "end_date"}, {"start_at", "end_at"}, {"publish_at", "expire_at"}};
  for (const auto& [start, end] : kPairs) {
    const FieldDef* f = entity.field(end);
    if (!f || !is_set(record, start) || !is_set(record, end)) continue;
    const bool before = f->type == FieldType::date
                            ? record[end].get<std::string>() < record[start].get<std::string>()
                            : parse_rfc3339_ms(record[end].get<std::string>()) < parse_rfc3339_ms(record[start].get<std::string>());
    if (before) return validation_error({{end, {f->label.zh + "不能早于开始", f->label.en + " cannot be before the start"}}});
  }
  return ok_status();
}

Status customer_rules(WriteTxn& txn, json& record, const json& before, int64_t self_id, bool force, bool& overridden) {
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
    if (!force || dup.error().code != ErrorCode::duplicate) return dup;
    overridden = true;
  }
  return ok_status();
}

Status opportunity_rules(WriteTxn& txn, json& record, const json& before, const Viewer& viewer) {
  auto final_stage = [](const json& r) { return r["stage"] == json("won") || r["stage"] == json("lost"); };
  // The system still moves a closed opportunity (a customer merge, a deleted contact).
  if (!before.is_null() && final_stage(before) && !viewer.is_system())
    return validation_error({{"stage", {"已赢单或输单的商机不能再修改", "a won or lost opportunity is final and cannot be changed"}}});
  if (final_stage(record) && (before.is_null() || !final_stage(before))) {
    record["closed_at"] = txn.now();
    record["probability"] = record["stage"] == json("won") ? 100 : 0;
  }
  return ok_status();
}

// Sales draft and submit (SPEC §3): once a contract left draft, only those who approve contracts change
// it (a rejection sends it back to draft, and its owner again).
Status contract_rules(const json& before, const Viewer& viewer) {
  if (before.is_null()) return ok_status();
  if (!may_change_contract(before, viewer))
    return Error::make(ErrorCode::forbidden, {"合同已提交审批，只有审批人可以修改", "this contract has been submitted; only an approver may change it"});
  return ok_status();
}

Status ticket_rules(const json& record, const Viewer& viewer) {
  // Feedback must say what it is about. A system change (a deleted contact) may leave an old one short.
  if (record["type"] == json("feedback") && !viewer.is_system()) {
    std::map<std::string, Text> bad;
    if (!is_set(record, "contact_id")) bad["contact_id"] = {"服务反馈需要选择联系人", "feedback needs a contact"};
    if (!is_set(record, "opportunity_id")) bad["opportunity_id"] = {"服务反馈需要选择商机", "feedback needs an opportunity"};
    if (!bad.empty()) return validation_error(bad);
  }
  return ok_status();
}

Status view_rules(json& record) {
  const std::string resource = record["resource"].get<std::string>();
  for (const auto* e : served_entities())
    if (e->name == resource) return ok_status();
  return validation_error({{"resource", {"没有这个列表：" + resource, "there is no list called " + resource}}});
}

// Unique product SKU, checked here so a clash is a 422 on the field rather than a storage error.
Status product_rules(Database& db, const json& record, int64_t self_id) {
  auto taken = db.query_int("SELECT 1 FROM products WHERE sku = ?1 AND id != ?2", {record["sku"].get<std::string>(), self_id});
  if (!taken.ok()) return taken.take_error();
  if (taken->has_value()) return validation_error({{"sku", {"产品编号已被使用", "this SKU is already used"}}});
  return ok_status();
}

// Moves a server-maintained time of customer `id` forward to `at` (never back), with a new rev so every
// client that sees the customer hears of it.
Status touch_customer(WriteTxn& txn, const std::string& column, const json& customer_id, const std::string& at) {
  if (!customer_id.is_number_integer()) return ok_status();
  const int64_t id = customer_id.get<int64_t>();
  auto st = txn.db().prepare("SELECT " + column + " FROM customers WHERE id = ?1");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, id);
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return ok_status();
  const json old = (*st)->column_type(0) == ColumnType::null ? json(nullptr) : json(std::string((*st)->column_text(0)));
  st->reset();
  if (old.is_string() && old.get<std::string>() >= at) return ok_status();
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  KEHU_TRY(txn.db().run("UPDATE customers SET " + column + " = ?1, rev = ?2 WHERE id = ?3", {at, *rev, id}));
  return txn.audit("update", "customers", id, json{{column, {old, at}}});
}

// When a contact counts (SPEC §4): a done call, visit, meeting or e-mail, at its end (or start), never later than now.
Status activity_effects(WriteTxn& txn, const json& before, const json& after) {
  static const std::vector<std::string> kContacts = {"call", "visit", "meeting", "email"};
  if (!after["done"].is_boolean() || !after["done"].get<bool>()) return ok_status();
  if (std::find(kContacts.begin(), kContacts.end(), after["type"].get<std::string>()) == kContacts.end()) return ok_status();
  if (!before.is_null() && before["done"] == json(true) && before["customer_id"] == after["customer_id"]) return ok_status();
  std::string at = txn.now();
  for (const char* field : {"end_at", "start_at"}) {
    if (!is_set(after, field)) continue;
    std::string t = format_rfc3339_ms(parse_rfc3339_ms(after[field].get<std::string>()));
    if (t < at) at = t;
    break;
  }
  return touch_customer(txn, "last_contact_at", after["customer_id"], at);
}

// A confirmed order counts from the start of its order date in the company time zone (UTC's when this
// process knows no such zone), never later than now.
Status order_effects(WriteTxn& txn, const json& after) {
  if (after["status"] != json("confirmed")) return ok_status();
  std::string at = txn.now();
  if (is_set(after, "order_date")) {
    const std::string date = after["order_date"].get<std::string>();
    auto zone = company_time_zone(txn.db());
    if (!zone.ok()) return zone.take_error();
    auto midnight = local_midnight_ms(*zone, date);
    if (!midnight) midnight = local_midnight_ms("UTC", date);
    if (midnight && format_rfc3339_ms(*midnight) < at) at = format_rfc3339_ms(*midnight);
  }
  return touch_customer(txn, "last_order_at", after["customer_id"], at);
}

// A customer handed from A to B (SPEC §3) takes along A's open opportunities and activities of it. Given
// back to the pool, they stay with A, who still works them until someone claims the customer.
Status customer_effects(WriteTxn& txn, const json& before, const json& after) {
  if (before.is_null() || before["owner_id"] == after["owner_id"] || after["owner_id"].is_null()) return ok_status();
  const int64_t customer = after["id"].get<int64_t>();
  struct Open {
    const EntityDef* entity;
    const char* condition;
  };
  for (const Open& open : {Open{&opportunities_def(), "stage NOT IN ('won', 'lost')"}, Open{&activities_def(), "done = 0"}}) {
    const SqlValue from = before["owner_id"].is_null() ? SqlValue(nullptr) : SqlValue(before["owner_id"].get<int64_t>());
    KEHU_TRY(update_rows_where(txn, *open.entity, std::string("customer_id = ?1 AND owner_id IS ?2 AND ") + open.condition,
                               {customer, from}, json{{"owner_id", after["owner_id"]}}));
  }
  return ok_status();
}

}  // namespace

void apply_record_defaults(const EntityDef& entity, json& record, bool is_new) {
  auto fill = [&](const char* field, json value) {
    if (entity.field(field) && record.value(field, json()).is_null()) record[field] = std::move(value);
  };
  fill("currency", "CNY");
  const std::string& name = entity.name;
  if (name == "opportunities") fill("stage", "lead");
  if (name == "contracts" && is_new) fill("status", "draft");
  if (name == "tickets") {
    if (is_new) record["status"] = "new";
    fill("priority", "normal");
  }
  if (name == "products") {
    if (is_new) fill("active", true);
    fill("stock", 0);
  }
  if (name == "orders") {
    fill("status", "confirmed");
    fill("total", 0);  // the server computes it from the lines (order_rules.h)
  }
}

Status prepare_record(WriteTxn& txn, const EntityDef& entity, json& record, const json& before, int64_t self_id,
                      const Viewer& viewer, bool force, bool& overridden) {
  apply_record_defaults(entity, record, before.is_null());
  overridden = false;
  if (!code_prefix(entity).empty()) {
    KEHU_TRY(assign_code(txn, entity, record));
    KEHU_TRY(check_code_unique(txn.db(), entity, record, self_id));
  }
  KEHU_TRY(check_customer_parts(txn.db(), entity, record, viewer));
  KEHU_TRY(check_periods(entity, record));
  if (entity.field("custom")) {
    auto settings = read_settings(txn.db());
    if (!settings.ok()) return settings.take_error();
    KEHU_TRY(check_custom_values(*settings, entity, record["custom"], before.is_null() ? json() : before["custom"], before.is_null()));
  }
  const std::string& name = entity.name;
  if (name == "customers") return customer_rules(txn, record, before, self_id, force, overridden);
  if (name == "opportunities") return opportunity_rules(txn, record, before, viewer);
  if (name == "contracts") return contract_rules(before, viewer);
  if (name == "tickets") return ticket_rules(record, viewer);
  if (name == "orders") return apply_order_rules(txn, record, before);
  if (name == "products") return product_rules(txn.db(), record, self_id);
  if (name == "views") return view_rules(record);
  return ok_status();
}

Status after_record_written(WriteTxn& txn, const EntityDef& entity, const json& before, const json& after) {
  if (entity.name == "activities") return activity_effects(txn, before, after);
  if (entity.name == "orders") return order_effects(txn, after);
  if (entity.name == "customers") return customer_effects(txn, before, after);
  return ok_status();
}

bool may_change_contract(const json& contract, const Viewer& viewer) {
  return viewer.is_system() || contract.value("status", json()) == json("draft") || role_may_approve_contracts(viewer.role);
}

Status before_record_deleted(WriteTxn& txn, const EntityDef& entity, int64_t id, const Viewer& viewer) {
  if (entity.name == "customers") return drop_campaign_members_of(txn, MemberParty::customer, id);
  if (entity.name == "contacts") return drop_campaign_members_of(txn, MemberParty::contact, id);
  if (entity.name == "campaigns") return txn.db().run("DELETE FROM campaign_members WHERE campaign_id = ?1", {id});
  if (entity.name == "contracts") {
    auto contract = get_record(txn.db(), entity, id);
    if (!contract.ok()) return contract.take_error();
    if (!may_change_contract(*contract, viewer))
      return Error::make(ErrorCode::forbidden, {"合同已提交审批，只有审批人可以删除", "this contract has been submitted; only an approver may delete it"});
  }
  if (entity.name == "products") {
    // Orders name their products in their lines (not a reference column): a product that orders use is
    // deactivated (active: false), not deleted.
    auto used = txn.db().query_int("SELECT 1 FROM orders, json_each(orders.items) AS line WHERE json_extract(line.value, '$.product_id') = ?1 LIMIT 1", {id});
    if (!used.ok()) return used.take_error();
    if (used->has_value())
      return Error::make(ErrorCode::in_use, {"已有订单使用该产品，不能删除；可将其设为停售", "orders use this product, so it cannot be deleted; mark it inactive instead"});
  }
  if (entity.name == "orders") {
    // A deleted order gives back what it held, as if cancelled first.
    auto order = get_record(txn.db(), entity, id);
    if (!order.ok()) return order.take_error();
    json cancelled = *order;
    cancelled["status"] = "cancelled";
    return apply_order_rules(txn, cancelled, *order);
  }
  return ok_status();
}

}  // namespace kehu
