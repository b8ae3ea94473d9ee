// campaign_members_panel.h — a campaign's members (活动成员) on its page: the customers it targets (or one
// contact of a customer), each with its status (目标 → 已发送 → 已打开 → 已回复 → 已转化); add a customer
// (and optionally one of its contacts) found in the cache, change a member's status, remove a member after
// a confirmation.
//
// Members are not part of the sync (GET /campaigns/{id}/members answers them), so they are read from the
// server (server_list.h) when the page opens and after each change, and changes are sent at once
// (POST /campaigns/{id}/members {customer_id, contact_id?, status?}, DELETE ...?customer_id=&contact_id=).
// The server's refusal (a contact who wants no e-mail on an e-mail campaign, a customer out of reach) shows
// in words. Offline the panel says so and changes nothing.
//
// Test ids: members.title, members.offline, members.error, members.count, members.row.{n} (the member's
// customer, n from 0 in the server's order), members.contact.{n}, members.status.{n} (combo),
// members.remove.{n}, members_remove.confirm / .cancel, members.customer (picker: members.customer.match.{k}),
// members.with_contact (combo over the chosen customer's contacts), members.add.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/screens/record_picker.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// A change to send to /api/v1/campaigns/{id}/members.
struct MemberChange {
  std::string method;    // POST (add, or set a status) or DELETE
  nlohmann::json body;   // POST
  std::string query;     // DELETE: "customer_id=1&contact_id=2"
};

class CampaignMembersPanel {
 public:
  // The members of `campaign_id`, emptied first when they were another campaign's.
  ServerList& members_of(int64_t campaign_id);
  int64_t campaign() const { return campaign_id_; }
  void changed(Ui& ui, const HttpResponse& answer);
  std::optional<MemberChange> draw(Ui& ui, LocalCache& cache, bool online, bool may_change);

 private:
  int64_t campaign_id_ = 0;
  ServerList members_;
  RecordPicker picker_;
  bool picker_ready_ = false;  // the picker has been told it finds customers
  nlohmann::json customer_;  // the customer picked to add (id or null)
  int contact_choice_ = -1;  // index into the picked customer's contacts (-1: the customer as a whole)
  std::vector<std::pair<int64_t, std::string>> contacts_;  // the picked customer's contacts (id, name)
  nlohmann::json remove_;    // the member the remove dialog asks about: {customer_id, contact_id}, or null
  bool sending_ = false;
  std::string error_;
};

}  // namespace kehu::client
