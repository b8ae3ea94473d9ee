// campaign_members.h — who a campaign targets (SPEC §4, §5 /campaigns/{id}/members): customers, or
// particular contacts of them, each with a status (targeted → sent → opened → responded → converted).
//
// Members are not records of their own: they belong to the campaign (deleted with it, moved by a
// customer merge) and are read and changed through it. Reading needs the campaign; a user lists only
// members whose customer they can see. Adding or removing needs the right to change the campaign, and
// the customer (and contact, which must be that customer's) must be visible to the user. A contact marked
// do_not_email is refused by an e-mail campaign (the sending job skips such contacts too).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/store/write_txn.h"
#include "core/users/record_scope.h"

namespace kehu {

// [{id, campaign_id, customer_id, contact_id, status, added_at}], oldest first.
Result<nlohmann::json> list_campaign_members(Database& db, int64_t campaign_id, const Viewer& viewer);

// Body {customer_id, contact_id?, status?}: adds the member, or sets the status of one already there.
// Returns the member.
Result<nlohmann::json> put_campaign_member(WriteTxn& txn, int64_t campaign_id, const nlohmann::json& body, const Viewer& viewer);

// Query {customer_id, contact_id?}: removes that member (ErrorCode::not_found when absent).
Status remove_campaign_member(WriteTxn& txn, int64_t campaign_id, const std::multimap<std::string, std::string>& params,
                              const Viewer& viewer);

enum class MemberParty { customer, contact };

// A customer or contact is being deleted: drops its memberships,
// each with an audit row on its campaign, as if removed by hand. (A deleted campaign takes its members
// without one: its own delete is the audit row.)
Status drop_campaign_members_of(WriteTxn& txn, MemberParty party, int64_t id);

// A customer merge: moves `from_customer`'s memberships to `to_customer`, audited on each campaign. One
// the kept customer already has stays as it is, and the merged customer's copy goes with its delete.
Status move_campaign_members(WriteTxn& txn, int64_t from_customer, int64_t to_customer);

}  // namespace kehu
