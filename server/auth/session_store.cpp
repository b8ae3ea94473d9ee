#include "server/auth/session_store.h"

#include "server/auth/crypto.h"

namespace kehu::server {

namespace {
constexpr const char* kColumns = "id, user_id, created_ms, last_seen_ms, expires_ms, coalesce(ip, ''), coalesce(user_agent, '')";

Session read_session(const Statement& st) {
  Session s;
  s.id = st.column_int(0);
  s.user_id = st.column_int(1);
  s.created_ms = st.column_int(2);
  s.last_seen_ms = st.column_int(3);
  s.expires_ms = st.column_int(4);
  s.ip = st.column_text(5);
  s.user_agent = st.column_text(6);
  return s;
}
}  // namespace

Result<std::pair<std::string, Session>> create_session(Database& db, Random& random, int64_t user_id, int64_t now_ms,
                                                       const std::string& ip, const std::string& user_agent,
                                                       const SessionRules& rules) {
  std::string token = new_token(random);
  Session s{0, user_id, now_ms, now_ms, now_ms + rules.absolute_ms, ip, user_agent.substr(0, 300)};
  KEHU_TRY(db.run("INSERT INTO sessions (user_id, token_hash, created_ms, last_seen_ms, expires_ms, ip, user_agent)"
                  " VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)",
                  {user_id, sha256_hex(token), now_ms, s.expires_ms, ip, s.user_agent}));
  s.id = db.last_insert_rowid();
  return std::make_pair(token, s);
}

Result<std::optional<Session>> find_session(Database& db, const std::string& token, int64_t now_ms,
                                            const SessionRules& rules) {
  if (token.empty() || token.size() > 100) return std::optional<Session>{};
  auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM sessions WHERE token_hash = ?1");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, sha256_hex(token));
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!row.value()) return std::optional<Session>{};
  Session s = read_session(**st);
  if (now_ms >= s.expires_ms || now_ms - s.last_seen_ms >= rules.idle_ms) return std::optional<Session>{};
  return std::optional<Session>{s};
}

Status touch_session(Database& db, int64_t session_id, int64_t now_ms) {
  return db.run("UPDATE sessions SET last_seen_ms = ?1 WHERE id = ?2", {now_ms, session_id});
}

Status revoke_session(Database& db, int64_t session_id) {
  return db.run("DELETE FROM sessions WHERE id = ?1", {session_id});
}

Status revoke_user_sessions(Database& db, int64_t user_id, int64_t keep_id) {
  return db.run("DELETE FROM sessions WHERE user_id = ?1 AND id != ?2", {user_id, keep_id});
}

Result<std::vector<Session>> list_sessions(Database& db, int64_t user_id, int64_t now_ms, const SessionRules& rules) {
  auto st = db.prepare(std::string("SELECT ") + kColumns +
                       " FROM sessions WHERE user_id = ?1 AND expires_ms > ?2 AND last_seen_ms > ?3 ORDER BY id");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all({user_id, now_ms, now_ms - rules.idle_ms});
  std::vector<Session> out;
  for (;;) {
    auto r = (*st)->step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) break;
    out.push_back(read_session(**st));
  }
  return out;
}

}  // namespace kehu::server
