// kiosk_tokens.h — the bearer tokens of office displays (SPEC §5 kiosk tokens, §3 viewer (kiosk)).
//
// An admin issues a token for a name and some dashboards (core/stats/dashboards.h); the display opens
// /?kiosk=TOKEN and reads, company-wide, the statistics those dashboards are drawn from and the `stats`
// events, nothing else. As for sessions, the token is 256 random bits shown once and only its SHA-256
// is stored. Revoking marks the row (the list keeps it, with when); a revoked token is refused at its
// next request, and an open event stream ends within seconds (events_routes.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/random.h"
#include "core/store/write_txn.h"
#include "core/users/kiosk_token_input.h"

namespace kehu::server {

struct KioskToken {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> dashboards;
  std::string created_at;
  int64_t created_by = 0;
  std::optional<int64_t> last_seen_ms;  // the display's last request, to the minute
  std::string revoked_at;               // "" while it works
};

// Issues a token; returns it (given to the admin once) and the stored row. Audited.
Result<std::pair<std::string, KioskToken>> issue_kiosk_token(WriteTxn& txn, Random& random, const KioskTokenInput& in);
// Every token ever issued, newest first.
Result<std::vector<KioskToken>> list_kiosk_tokens(Database& db);
// The working (not revoked) token for `token`, or nullopt.
Result<std::optional<KioskToken>> find_kiosk_token(Database& db, const std::string& token);
// Whether the token with this id still works (the event stream asks every few seconds).
Result<bool> kiosk_token_works(Database& db, int64_t id);
// Revokes; false when there is no token with this id. Revoking twice changes nothing. Audited.
Result<bool> revoke_kiosk_token(WriteTxn& txn, int64_t id);
// Notes the display's request at `now_ms`. Callers write it at most once a minute (as for sessions), so
// a display's reads do not each become a write.
Status touch_kiosk_token(Database& db, int64_t id, int64_t now_ms);

// The list's and the issue answer's shape: {id, name, dashboards, created_at, created_by, last_seen_at, revoked_at}.
nlohmann::json kiosk_token_json(const KioskToken& token);

}  // namespace kehu::server
