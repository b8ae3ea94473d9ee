// kiosk_admin_screen.h — 展示大屏, the admin's kiosk displays (SPEC §5 kiosk tokens, §8 kiosk mode): issue a
// link for an office TV with a name and the dashboards it shows, see every display issued (when it last
// asked for figures, whether it was revoked), and revoke one (after a confirmation) — its screen stops
// within seconds.
//
// The link (the page's address + "/?kiosk=TOKEN") is shown once, right after it is issued, with a copy
// button: the server keeps only the token's hash, so it can never be shown again (issue a new one). It is
// forgotten when the admin leaves the screen. The list is read from the server (GET
// /admin/kiosk-tokens) when the screen opens and after each change; offline the screen says it needs
// the network and changes nothing.
//
// Test ids: kiosks.title, kiosks.offline, kiosks.error, kiosks.notice, kiosks.new.name,
// kiosks.new.dashboard.{id} (checkbox), kiosks.new.create, kiosks.link (the issued link), kiosks.link.copy,
// kiosks.link.note, kiosks.name.{id}, kiosks.dashboards.{id}, kiosks.created.{id}, kiosks.seen.{id},
// kiosks.state.{id}, kiosks.revoke.{id}, kiosks_revoke.confirm, kiosks_revoke.cancel.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// A change to send: POST /api/v1/admin/kiosk-tokens, or DELETE /api/v1/admin/kiosk-tokens/{id}.
struct KioskIntent {
  std::string method, path;
  nlohmann::json body;  // null for a DELETE
};

class KioskAdminScreen {
 public:
  ServerList& list() { return list_; }
  // The answer to a change: the issued link from a 201, the reasons when refused; the list is read again.
  void changed(Ui& ui, const HttpResponse& answer);
  // Forgets the list, what was typed and the issued link (signed out).
  void reset();
  // Forgets the issued link (the admin left the screen: it is not shown again).
  void forget_link() {
    issued_token_.clear();
    issued_name_.clear();
  }
  // `origin`: the address the client's pages are served from ("https://crm.example.com"), the link's start.
  // `copy`: puts text on the clipboard.
  std::optional<KioskIntent> draw(Ui& ui, bool online, const std::string& origin,
                                  const std::function<void(const std::string&)>& copy);

 private:
  ServerList list_;
  bool sending_ = false;
  std::string new_name_;
  std::set<std::string> new_dashboards_;    // chosen for the next link
  std::string issued_token_, issued_name_;  // shown once, until the admin leaves
  int64_t confirm_revoke_ = 0;              // the display the revoke dialog asks about
  std::string error_, notice_;
};

}  // namespace kehu::client
