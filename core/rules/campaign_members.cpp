#include "core/rules/campaign_members.h"

#include "core/db/json_rows.h"
#include "core/entity/validation.h"
#include "core/query/list_query.h"
#include "core/store/record_store.h"

namespace kehu {

using nlohmann::json;

namespace {

const std::vector<std::string>& member_statuses() {
  static const std::vector<std::string> kStatuses = {"targeted", "sent", "opened", "responded", "converted"};
  return kStatuses;
}

Result<json> campaign_for(Database& db, int64_t campaign_id, const Viewer& viewer, Action action) {
  auto campaign = get_visible_record(db, campaigns_def(), campaign_id, viewer);
  if (!campaign.ok()) return campaign.take_error();
  if (action != Action::read) {
    auto may = row_in_reach(db, campaigns_def(), campaign_id, viewer, Action::update);
    if (!may.ok()) return may.take_error();
    if (!*may) return Error::make(ErrorCode::forbidden, {"你不能修改这个市场活动的成员", "you may not change the members of this campaign"});
  }
  return campaign;
}

// The customer and contact must be visible to the viewer, and the contact that customer's. An e-mail
// campaign does not take a contact who refuses e-mail (do_not_email).
Status check_target(Database& db, int64_t customer_id, const json& contact_id, const Viewer& viewer, bool email_campaign = false) {
  auto customer = get_visible_record(db, customers_def(), customer_id, viewer);
  if (!customer.ok()) {
    if (customer.error().code != ErrorCode::not_found) return customer.take_error();
    return validation_error({{"customer_id", {"所选客户不存在", "the chosen customer does not exist"}}});
  }
  if (contact_id.is_null()) return ok_status();
  auto contact = get_visible_record(db, contacts_def(), contact_id.get<int64_t>(), viewer);
  if (!contact.ok()) {
    if (contact.error().code != ErrorCode::not_found) return contact.take_error();
    return validation_error({{"contact_id", {"所选联系人不存在", "the chosen contact does not exist"}}});
  }
  if ((*contact)["customer_id"] != json(customer_id))
    return validation_error({{"contact_id", {"所选联系人不属于该客户", "the chosen contact belongs to another customer"}}});
  if (email_campaign && (*contact)["do_not_email"] == json(true))
    return validation_error({{"contact_id", {"该联系人拒收邮件，不能加入邮件营销活动", "this contact does not accept e-mail and cannot join an e-mail campaign"}}});
  return ok_status();
}

Result<json> member_row(Database& db, const std::string& where, const std::vector<SqlValue>& args) {
  return query_json_rows(db, "SELECT id, campaign_id, customer_id, contact_id, status, added_at FROM campaign_members WHERE " + where, args);
}

// The audit row a member change leaves on its campaign: {"member": [before, after]}, null for absent.
Status audit_member(WriteTxn& txn, int64_t campaign_id, const json& before, const json& after) {
  return txn.audit("update", "campaigns", campaign_id, json{{"member", {before, after}}});
}

json member_summary(const json& member) {
  return {{"customer_id", member["customer_id"]}, {"contact_id", member["contact_id"]}, {"status", member["status"]}};
}

}  // namespace

Result<json> list_campaign_members(Database& db, int64_t campaign_id, const Viewer& viewer) {
  auto campaign = campaign_for(db, campaign_id, viewer, Action::read);
  if (!campaign.ok()) return campaign.take_error();
  ScopeCondition scope = scope_condition(customers_def(), viewer, Action::read, "r");
  if (scope.nothing()) return json::array();
  std::vector<SqlValue> args = {campaign_id};
  args.insert(args.end(), scope.args.begin(), scope.args.end());
  return member_row(db, "campaign_id = ? AND customer_id IN (SELECT r.id FROM customers AS r WHERE " + scope.sql + ") ORDER BY id", args);
}

Result<json> put_campaign_member(WriteTxn& txn, int64_t campaign_id, const json& body, const Viewer& viewer) {
  if (!body.is_object()) return Error::make(ErrorCode::bad_request, {"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  std::map<std::string, Text> bad;
  for (const auto& [key, value] : body.items()) {
    if (key == "customer_id" || key == "contact_id") {
      if (!(key == "contact_id" && value.is_null()) && (!value.is_number_integer() || value.get<int64_t>() <= 0))
        bad[key] = {"应为有效的编号", "must be a valid id"};
    } else if (key == "status") {
      if (!value.is_string() || std::find(member_statuses().begin(), member_statuses().end(), value.get<std::string>()) == member_statuses().end())
        bad[key] = {"必须是以下之一：targeted、sent、opened、responded、converted", "must be one of: targeted, sent, opened, responded, converted"};
    } else {
      bad[key] = {"未知字段", "unknown field"};
    }
  }
  if (!body.contains("customer_id")) bad["customer_id"] = {"请选择客户", "choose a customer"};
  if (!bad.empty()) return validation_error(bad);
  auto campaign = campaign_for(txn.db(), campaign_id, viewer, Action::update);
  if (!campaign.ok()) return campaign.take_error();
  const int64_t customer_id = body["customer_id"].get<int64_t>();
  const json contact_id = body.value("contact_id", json());
  KEHU_TRY(check_target(txn.db(), customer_id, contact_id, viewer, (*campaign)["type"] == json("email")));
  const std::string status = body.value("status", std::string("targeted"));
  const SqlValue contact = contact_id.is_null() ? SqlValue(nullptr) : SqlValue(contact_id.get<int64_t>());
  KEHU_TRY(txn.db().run(
      "INSERT INTO campaign_members (campaign_id, customer_id, contact_id, status, added_at, added_by) VALUES (?1,?2,?3,?4,?5,?6)"
      " ON CONFLICT (campaign_id, customer_id, ifnull(contact_id, 0)) DO UPDATE SET status = ?4",
      {campaign_id, customer_id, contact, status, txn.now(), viewer.is_system() ? SqlValue(nullptr) : SqlValue(viewer.user_id)}));
  KEHU_TRY(audit_member(txn, campaign_id, nullptr, {{"customer_id", customer_id}, {"contact_id", contact_id}, {"status", status}}));
  auto rows = member_row(txn.db(), "campaign_id = ?1 AND customer_id = ?2 AND contact_id IS ?3", {campaign_id, customer_id, contact});
  if (!rows.ok()) return rows.take_error();
  return rows->at(0);
}

Status remove_campaign_member(WriteTxn& txn, int64_t campaign_id, const std::multimap<std::string, std::string>& params,
                              const Viewer& viewer) {
  int64_t customer_id = 0, contact_id = 0;
  bool has_contact = false;
  for (const auto& [name, value] : params) {
    if (params.count(name) > 1) return bad_query_param(name, {"参数重复", "given more than once"});
    int64_t n = 0;
    if ((name != "customer_id" && name != "contact_id")) return bad_query_param(name, {"未知参数", "unknown parameter"});
    if (!parse_query_int(value, n) || n <= 0) return bad_query_param(name, {"应为有效的编号", "must be a valid id"});
    if (name == "customer_id") customer_id = n;
    else {
      contact_id = n;
      has_contact = true;
    }
  }
  if (customer_id == 0) return bad_query_param("customer_id", {"请指定客户", "name the customer"});
  auto campaign = campaign_for(txn.db(), campaign_id, viewer, Action::update);
  if (!campaign.ok()) return campaign.take_error();
  KEHU_TRY(check_target(txn.db(), customer_id, has_contact ? json(contact_id) : json(), viewer));
  const SqlValue contact = has_contact ? SqlValue(contact_id) : SqlValue(nullptr);
  auto removed = txn.db().query_int(
      "DELETE FROM campaign_members WHERE campaign_id = ?1 AND customer_id = ?2 AND contact_id IS ?3 RETURNING id",
      {campaign_id, customer_id, contact});
  if (!removed.ok()) return removed.take_error();
  if (!removed->has_value()) return Error::make(ErrorCode::not_found, {"该客户不是这个市场活动的成员", "this customer is not a member of the campaign"});
  return audit_member(txn, campaign_id, {{"customer_id", customer_id}, {"contact_id", has_contact ? json(contact_id) : json()}}, nullptr);
}

Status drop_campaign_members_of(WriteTxn& txn, MemberParty party, int64_t id) {
  const std::string column = party == MemberParty::customer ? "customer_id" : "contact_id";
  auto members = member_row(txn.db(), column + " = ?1", {id});
  if (!members.ok()) return members.take_error();
  KEHU_TRY(txn.db().run("DELETE FROM campaign_members WHERE " + column + " = ?1", {id}));
  for (const auto& m : *members) KEHU_TRY(audit_member(txn, m["campaign_id"].get<int64_t>(), member_summary(m), nullptr));
  return ok_status();
}

Status move_campaign_members(WriteTxn& txn, int64_t from_customer, int64_t to_customer) {
  // Only memberships the kept customer does not already have (same campaign, same contact or none).
  auto members = member_row(txn.db(),
                            "customer_id = ?1 AND NOT EXISTS (SELECT 1 FROM campaign_members AS k WHERE k.campaign_id = "
                            "campaign_members.campaign_id AND k.customer_id = ?2 AND ifnull(k.contact_id, 0) = "
                            "ifnull(campaign_members.contact_id, 0))",
                            {from_customer, to_customer});
  if (!members.ok()) return members.take_error();
  for (const auto& m : *members) {
    KEHU_TRY(txn.db().run("UPDATE campaign_members SET customer_id = ?1 WHERE id = ?2", {to_customer, m["id"].get<int64_t>()}));
    json moved = member_summary(m);
    moved["customer_id"] = to_customer;
    KEHU_TRY(audit_member(txn, m["campaign_id"].get<int64_t>(), member_summary(m), moved));
  }
  return ok_status();
}

}  // namespace kehu
