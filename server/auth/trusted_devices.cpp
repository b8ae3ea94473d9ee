#include "server/auth/trusted_devices.h"

#include "server/auth/crypto.h"

namespace kehu::server {

Result<std::string> trust_new_device(Database& db, Random& random, int64_t user_id, int64_t now_ms) {
  std::string token = new_token(random);
  KEHU_TRY(db.run("INSERT INTO trusted_devices (token_hash, user_id, created_ms, last_used_ms) VALUES (?1, ?2, ?3, ?3)",
                  {sha256_hex(token), user_id, now_ms}));
  KEHU_TRY(db.run("DELETE FROM trusted_devices WHERE user_id = ?1 AND (last_used_ms < ?2 OR token_hash NOT IN"
                  " (SELECT token_hash FROM trusted_devices WHERE user_id = ?1 ORDER BY last_used_ms DESC LIMIT ?3))",
                  {user_id, now_ms - kDeviceTrustMs, int64_t{kDevicesPerUser}}));
  return token;
}

Result<bool> is_trusted_device(Database& db, const std::string& token, int64_t user_id, int64_t now_ms) {
  if (token.empty() || token.size() > 100) return false;
  auto found = db.query_int("SELECT count(*) FROM trusted_devices WHERE token_hash = ?1 AND user_id = ?2 AND last_used_ms >= ?3",
                            {sha256_hex(token), user_id, now_ms - kDeviceTrustMs});
  if (!found.ok()) return found.take_error();
  return found->value_or(0) > 0;
}

Status note_device_sign_in(Database& db, const std::string& token, int64_t now_ms) {
  return db.run("UPDATE trusted_devices SET last_used_ms = ?2 WHERE token_hash = ?1", {sha256_hex(token), now_ms});
}

Status forget_user_devices(Database& db, int64_t user_id) {
  return db.run("DELETE FROM trusted_devices WHERE user_id = ?1", {user_id});
}

}  // namespace kehu::server
