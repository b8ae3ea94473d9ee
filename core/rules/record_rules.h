// record_rules.h — what each entity requires beyond its fields' own checks (SPEC §3, §4), applied by the
// record store on every create and update, inside the write transaction.
//
//  * codes: customers, contracts, orders and tickets are numbered when left empty (record_codes.h).
//  * customers: the duplicate guard (customer_rules.h).
//  * a record's contact, opportunity or contract must belong to the record's customer; a record naming
//    only a contact or opportunity takes its customer from it.
//  * opportunities: won and lost are final; reaching one sets closed_at.
//  * contracts and tickets start as draft / new; their status moves only through workflows.h; once
//    submitted, a contract is changed only by those who approve contracts.
//  * feedback tickets need a contact and an opportunity.
//  * orders: totals, prices and stock (order_rules.h).
//  * an end date or time is not before its start.
//  * a record's custom fields match their definitions in the settings (settings.h).
// And after the write, the effects on other records: a done call, visit, meeting or e-mail moves its
// customer's last_contact_at, a confirmed order its last_order_at; a customer handed to someone else
// takes its open opportunities and activities along.
#pragma once

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"
#include "core/users/record_scope.h"

namespace kehu {

// The values a record holds where nobody gave one: currency CNY, an opportunity's stage lead, a new
// contract draft and a new ticket new (normal priority), a product's stock 0 and a new one on sale, an
// order confirmed (its total 0 until the server computes it).
// prepare_record applies them; a client applies them to a record created offline, so it reads as the
// server's will until the server's row arrives.
void apply_record_defaults(const EntityDef& entity, nlohmann::json& record, bool is_new);

// Before the row is written. `record` is the whole row about to be written (server-maintained fields
// included), `before` the stored one (null on create), `self_id` its id (0 on create). Sets `overridden`
// when a forced write passed the duplicate guard (the caller audits it).
Status prepare_record(WriteTxn& txn, const EntityDef& entity, nlohmann::json& record, const nlohmann::json& before,
                      int64_t self_id, const Viewer& viewer, bool force, bool& overridden);

// After the row is written (`after` as stored, with its id and rev).
Status after_record_written(WriteTxn& txn, const EntityDef& entity, const nlohmann::json& before, const nlohmann::json& after);

// Before a row is deleted, by `viewer`: rows that are not records and exist only for it (campaign members);
// a deleted order's stock goes back; a submitted contract is only deleted by an approver; a product that
// orders use is not deleted (in_use).
Status before_record_deleted(WriteTxn& txn, const EntityDef& entity, int64_t id, const Viewer& viewer);

// Whether `viewer` may edit, delete or move `contract`: its owner while it is a draft, approvers always.
bool may_change_contract(const nlohmann::json& contract, const Viewer& viewer);

}  // namespace kehu
