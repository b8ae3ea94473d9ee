// workflows.h — the contract and ticket state machines (SPEC §4). Their `status` is never written by a
// PATCH (422: the field is server-maintained); it moves only through these transitions, each checked
// against the machine, the user's role and reach, and audited.
//
// Contracts:  draft → pending_approval (whoever may edit it) → signed (approve right; sets approved_by,
//             approved_at) or → draft (reject: approve right, reason required, kept in reject_reason);
//             signed → executing → completed; any state but completed (and terminated) → terminated
//             (reason required, audited).
// Tickets:    new → assigned (needs assignee_id) → in_progress → resolved (needs resolution; sets
//             resolved_at) → closed; resolved or closed → reopened (clears resolved_at) → in_progress.
//             Every transition, and every note, adds a line to the ticket's progress log (处理进度).
// A transition the machine does not have answers ErrorCode::invalid_transition naming both states.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/store/write_txn.h"
#include "core/users/record_scope.h"

namespace kehu {

// One move of a state machine, as a client offers it and the server checks it.
struct WorkflowMove {
  std::string from, to;
  Text action;            // the button: 提交审批 / Submit for approval
  std::string needs;      // what the request must carry besides `to`: "", "reason", "assignee_id", "resolution"
  bool approvers_only = false;  // contracts: only role_may_approve_contracts
};

// Every move of the contract machine, and of the ticket machine, in the order a client lists them.
const std::vector<WorkflowMove>& contract_moves();
const std::vector<WorkflowMove>& ticket_moves();
// The move from `from` to `to` in `moves`, or null when the machine has none.
const WorkflowMove* find_move(const std::vector<WorkflowMove>& moves, const std::string& from, const std::string& to);

// The roles that approve or reject contracts (审批): admin, manager (their team's), contract.
bool role_may_approve_contracts(const std::string& role);

// `request` is the body of POST /contracts/{id}/transition: {to, reason?}. Returns the contract.
Result<nlohmann::json> transition_contract(WriteTxn& txn, int64_t id, const nlohmann::json& request, const Viewer& viewer);

// `request` is the body of POST /tickets/{id}/transition: {to, note?, assignee_id?, resolution?} (the
// last two may be given here instead of by an earlier PATCH). Returns the ticket.
Result<nlohmann::json> transition_ticket(WriteTxn& txn, int64_t id, const nlohmann::json& request, const Viewer& viewer);

// POST /tickets/{id}/notes {text}: a progress note. Returns the note.
Result<nlohmann::json> add_ticket_note(WriteTxn& txn, int64_t id, const nlohmann::json& request, const Viewer& viewer);
// GET /tickets/{id}/notes: the progress log, oldest first: [{id, at, user_id, from_status, to_status, text}].
Result<nlohmann::json> list_ticket_notes(Database& db, int64_t id, const Viewer& viewer);

}  // namespace kehu
