// session_store.h — login sessions in the database (SPEC §5, §9).
//
// A session is a 256-bit random token given to the client once; only its SHA-256 is stored. Sessions
// end after `idle` without use or `absolute` after sign-in, whichever is first, and on logout or a
// password change. last_seen is written at most once a minute per session, so reading with a session
// does not turn every request into a write.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/db/database.h"
#include "core/random.h"

namespace kehu::server {

struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t created_ms = 0, last_seen_ms = 0, expires_ms = 0;
  std::string ip, user_agent;
};

// A session left unused for a working day ends; however busy, one lasts a week (OWASP ASVS 3.3).
struct SessionRules {
  int64_t idle_ms = 8LL * 3600 * 1000;
  int64_t absolute_ms = 7LL * 24 * 3600 * 1000;
};

// Creates a session; returns the token (shown to the client once) and the stored row.
Result<std::pair<std::string, Session>> create_session(Database& db, Random& random, int64_t user_id, int64_t now_ms,
                                                       const std::string& ip, const std::string& user_agent,
                                                       const SessionRules& rules);
// The live session for `token`, or nullopt (unknown, idle too long, or past its absolute expiry).
Result<std::optional<Session>> find_session(Database& db, const std::string& token, int64_t now_ms,
                                            const SessionRules& rules);
Status touch_session(Database& db, int64_t session_id, int64_t now_ms);
Status revoke_session(Database& db, int64_t session_id);
// Revokes every session of the user except `keep_id` (0: all).
Status revoke_user_sessions(Database& db, int64_t user_id, int64_t keep_id);
Result<std::vector<Session>> list_sessions(Database& db, int64_t user_id, int64_t now_ms, const SessionRules& rules);

}  // namespace kehu::server
