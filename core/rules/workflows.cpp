#include "core/rules/workflows.h"

#include <set>

#include "core/db/json_rows.h"
#include "core/entity/validation.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"
#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

namespace {

// The body's fields: only `allowed` ones, each a string unless named in `ids`.
Status check_body(const json& request, const std::set<std::string>& allowed, const std::set<std::string>& ids) {
  if (!request.is_object()) return Error::make(ErrorCode::bad_request, {"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  std::map<std::string, Text> bad;
  for (const auto& [key, value] : request.items()) {
    if (!allowed.count(key)) bad[key] = {"未知字段", "unknown field"};
    else if (ids.count(key)) {
      if (!value.is_null() && (!value.is_number_integer() || value.get<int64_t>() <= 0)) bad[key] = {"应为有效的编号", "must be a valid id"};
    } else if (!value.is_null() && !value.is_string()) {
      bad[key] = {"应为文本", "must be text"};
    } else if (value.is_string() && (!is_valid_utf8(value.get<std::string>()) || utf8_length(value.get<std::string>()) > 5000)) {
      bad[key] = {"最多 5000 个字符", "may have at most 5000 characters"};
    }
  }
  if (!request.contains("to") && allowed.count("to")) bad["to"] = {"请选择要变更到的状态", "choose the status to change to"};
  if (!bad.empty()) return validation_error(bad);
  return ok_status();
}

std::string text_of(const json& request, const char* key) {
  auto it = request.find(key);
  return it != request.end() && it->is_string() ? std::string(trim(it->get<std::string>())) : std::string();
}

Error invalid_transition(const EntityDef& entity, const std::string& from, const std::string& to) {
  const FieldDef& status = *entity.field("status");
  Text a = value_label(status, from), b = value_label(status, to);
  Error e = Error::make(ErrorCode::invalid_transition, {entity.label.zh + "不能从“" + a.zh + "”变为“" + b.zh + "”",
                                                        "a " + entity.label.en + " cannot go from " + a.en + " to " + b.en});
  e.fields["to"] = e.message;
  return e;
}

Error reason_required() {
  return validation_error({{"reason", {"请填写原因", "give a reason"}}});
}

// The record as the viewer may change it: 404 when they cannot see it, 403 when they may not change it.
Result<json> changeable(Database& db, const EntityDef& entity, int64_t id, const Viewer& viewer) {
  auto record = get_visible_record(db, entity, id, viewer);
  if (!record.ok()) return record.take_error();
  auto may = row_in_reach(db, entity, id, viewer, Action::update);
  if (!may.ok()) return may.take_error();
  if (!*may)
    return Error::make(ErrorCode::forbidden, {"你不能变更这条" + entity.label.zh + "的状态", "you may not change the status of this " + entity.label.en});
  return record;
}

Status append_note(WriteTxn& txn, int64_t ticket_id, const json& from, const json& to, const std::string& text) {
  return txn.db().run("INSERT INTO ticket_notes (ticket_id, at, user_id, from_status, to_status, text) VALUES (?1,?2,?3,?4,?5,?6)",
                      {ticket_id, txn.now(), txn.actor().user_id > 0 ? SqlValue(txn.actor().user_id) : SqlValue(nullptr),
                       from.is_string() ? SqlValue(from.get<std::string>()) : SqlValue(nullptr),
                       to.is_string() ? SqlValue(to.get<std::string>()) : SqlValue(nullptr),
                       text.empty() ? SqlValue(nullptr) : SqlValue(text)});
}

}  // namespace

const std::vector<WorkflowMove>& contract_moves() {
  static const std::vector<WorkflowMove> kMoves = [] {
    std::vector<WorkflowMove> m = {
        {"draft", "pending_approval", {"提交审批", "Submit for approval"}, "", false},
        {"pending_approval", "signed", {"审批通过", "Approve"}, "", true},
        {"pending_approval", "draft", {"驳回", "Reject"}, "reason", true},
        {"signed", "executing", {"开始执行", "Start"}, "", true},
        {"executing", "completed", {"执行完毕", "Complete"}, "", true},
    };
    for (const char* from : {"draft", "pending_approval", "signed", "executing"})
      m.push_back({from, "terminated", {"终止合同", "Terminate"}, "reason", true});
    return m;
  }();
  return kMoves;
}

const std::vector<WorkflowMove>& ticket_moves() {
  static const std::vector<WorkflowMove> kMoves = {
      {"new", "assigned", {"分配", "Assign"}, "assignee_id", false},
      {"assigned", "in_progress", {"开始处理", "Start work"}, "", false},
      {"in_progress", "resolved", {"已解决", "Resolve"}, "resolution", false},
      {"resolved", "closed", {"关闭", "Close"}, "", false},
      {"resolved", "reopened", {"重新打开", "Reopen"}, "", false},
      {"closed", "reopened", {"重新打开", "Reopen"}, "", false},
      {"reopened", "in_progress", {"开始处理", "Start work"}, "", false},
  };
  return kMoves;
}

const WorkflowMove* find_move(const std::vector<WorkflowMove>& moves, const std::string& from, const std::string& to) {
  for (const auto& m : moves)
    if (m.from == from && m.to == to) return &m;
  return nullptr;
}

bool role_may_approve_contracts(const std::string& role) { return role == "admin" || role == "manager" || role == "contract"; }

Result<json> transition_contract(WriteTxn& txn, int64_t id, const json& request, const Viewer& viewer) {
  const EntityDef& contracts = contracts_def();
  KEHU_TRY(check_body(request, {"to", "reason"}, {}));
  auto contract = changeable(txn.db(), contracts, id, viewer);
  if (!contract.ok()) return contract.take_error();
  const std::string from = (*contract)["status"].get<std::string>();
  const std::string to = request["to"].is_string() ? request["to"].get<std::string>() : "";
  const std::string reason = text_of(request, "reason");
  const FieldDef& status = *contracts.field("status");
  if (std::find(status.values.begin(), status.values.end(), to) == status.values.end())
    return validation_error({{"to", {"不是有效的合同状态：" + to, "not a contract status: " + to}}});

  // Anything but a submit is the approvers' (a move the machine lacks too: 403 before 422 for the rest).
  const WorkflowMove* move = find_move(contract_moves(), from, to);
  json change = {{"status", to}};
  if ((!move || move->approvers_only) && !viewer.is_system() && !role_may_approve_contracts(viewer.role))
    return Error::make(ErrorCode::forbidden, {"你只能提交合同审批；审批、执行和终止由经理、合同管理员或系统管理员办理",
                                              "you may only submit a contract for approval; approving, executing and terminating are for a manager, a contract administrator or an administrator"});
  if (!move) return invalid_transition(contracts, from, to);
  if (from == "draft" && to == "pending_approval") {
    change["reject_reason"] = nullptr;
  } else if (from == "pending_approval" && to == "signed") {
    change["approved_by"] = viewer.is_system() ? json(nullptr) : json(viewer.user_id);
    change["approved_at"] = txn.now();
    if ((*contract)["signed_date"].is_null()) {
      // Signed today in the company's time zone: the month contract statistics count it in.
      auto today = company_date(txn.db(), txn.now_ms());
      if (!today.ok()) return today.take_error();
      change["signed_date"] = *today;
    }
  } else if (from == "pending_approval" && to == "draft") {
    change["reject_reason"] = reason;
  }
  if (move->needs == "reason" && reason.empty()) return reason_required();
  WriteOptions options;
  options.viewer = viewer;
  options.server_values = change;
  auto updated = update_record(txn, contracts, id, json::object(), (*contract)["rev"].get<int64_t>(), options);
  if (!updated.ok()) return updated.take_error();
  if (!reason.empty()) KEHU_TRY(txn.audit("update", contracts.name, id, json{{"reason", {nullptr, reason}}}));
  return updated;
}

Result<json> transition_ticket(WriteTxn& txn, int64_t id, const json& request, const Viewer& viewer) {
  const EntityDef& tickets = tickets_def();
  KEHU_TRY(check_body(request, {"to", "note", "assignee_id", "resolution"}, {"assignee_id"}));
  auto ticket = changeable(txn.db(), tickets, id, viewer);
  if (!ticket.ok()) return ticket.take_error();
  const std::string from = (*ticket)["status"].get<std::string>();
  const std::string to = request["to"].is_string() ? request["to"].get<std::string>() : "";
  const FieldDef& status = *tickets.field("status");
  if (std::find(status.values.begin(), status.values.end(), to) == status.values.end())
    return validation_error({{"to", {"不是有效的工单状态：" + to, "not a ticket status: " + to}}});

  if (!find_move(ticket_moves(), from, to)) return invalid_transition(tickets, from, to);

  json patch = json::object();  // user-writable fields given with the transition
  if (request.contains("assignee_id") && !request["assignee_id"].is_null()) patch["assignee_id"] = request["assignee_id"];
  if (!text_of(request, "resolution").empty()) patch["resolution"] = text_of(request, "resolution");
  json change = {{"status", to}};
  if (to == "assigned" && patch.value("assignee_id", (*ticket)["assignee_id"]).is_null())
    return validation_error({{"assignee_id", {"分配工单需要选择处理人", "choose an assignee to assign the ticket"}}});
  if (to == "resolved") {
    if (patch.value("resolution", (*ticket)["resolution"]).is_null())
      return validation_error({{"resolution", {"解决工单需要填写处理结果", "enter the resolution to resolve the ticket"}}});
    change["resolved_at"] = txn.now();
  }
  if (to == "reopened") change["resolved_at"] = nullptr;
  WriteOptions options;
  options.viewer = viewer;
  options.server_values = change;
  auto updated = update_record(txn, tickets, id, patch, (*ticket)["rev"].get<int64_t>(), options);
  if (!updated.ok()) return updated.take_error();
  KEHU_TRY(append_note(txn, id, json(from), json(to), text_of(request, "note")));
  if (!text_of(request, "note").empty()) KEHU_TRY(txn.audit("update", "tickets", id, json{{"note", {nullptr, text_of(request, "note")}}}));
  return updated;
}

Result<json> add_ticket_note(WriteTxn& txn, int64_t id, const json& request, const Viewer& viewer) {
  KEHU_TRY(check_body(request, {"text"}, {}));
  const std::string text = text_of(request, "text");
  if (text.empty()) return validation_error({{"text", {"请填写处理进度", "write the progress note"}}});
  auto ticket = changeable(txn.db(), tickets_def(), id, viewer);
  if (!ticket.ok()) return ticket.take_error();
  KEHU_TRY(append_note(txn, id, nullptr, nullptr, text));
  KEHU_TRY(txn.audit("update", "tickets", id, json{{"note", {nullptr, text}}}));
  auto notes = list_ticket_notes(txn.db(), id, Viewer::system());
  if (!notes.ok()) return notes.take_error();
  return notes->back();
}

Result<json> list_ticket_notes(Database& db, int64_t id, const Viewer& viewer) {
  auto ticket = get_visible_record(db, tickets_def(), id, viewer);
  if (!ticket.ok()) return ticket.take_error();
  return query_json_rows(db, "SELECT id, at, user_id, from_status, to_status, text FROM ticket_notes WHERE ticket_id = ?1 ORDER BY id", {id});
}

}  // namespace kehu
