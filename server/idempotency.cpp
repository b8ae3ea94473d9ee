#include "server/idempotency.h"

#include "server/auth/crypto.h"

namespace kehu::server {

bool is_valid_idempotency_key(const std::string& key) {
  if (key.empty() || key.size() > 200) return false;
  for (char c : key)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

std::string request_fingerprint(const std::string& method, const std::string& path, const std::string& body) {
  return sha256_hex(method + " " + path + "\n" + body);
}

Result<std::optional<StoredReply>> find_reply(Database& db, int64_t user_id, const std::string& key, int64_t now_ms) {
  auto st = db.prepare("SELECT status, body, request FROM idempotency WHERE user_id = ?1 AND key = ?2 AND created_ms > ?3");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all({user_id, key, now_ms - kIdempotencyKeepMs});
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!row.value()) return std::optional<StoredReply>{};
  StoredReply r{static_cast<int>((*st)->column_int(0)), std::string((*st)->column_text(1)), std::string((*st)->column_text(2))};
  return std::optional<StoredReply>{r};
}

Status store_reply(Database& db, int64_t user_id, const std::string& key, const StoredReply& reply, int64_t now_ms) {
  return db.run("INSERT OR REPLACE INTO idempotency (user_id, key, request, status, body, created_ms) VALUES (?1,?2,?3,?4,?5,?6)",
                {user_id, key, reply.request, int64_t{reply.status}, reply.body, now_ms});
}

Status forget_expired_replies(Database& db, int64_t now_ms) {
  return db.run("DELETE FROM idempotency WHERE created_ms <= ?1", {now_ms - kIdempotencyKeepMs});
}

}  // namespace kehu::server
