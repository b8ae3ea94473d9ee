// idempotency.h — POST with an Idempotency-Key answers the same once, however often it is sent (SPEC §5).
//
// The first answer is stored with the key in the same transaction as the write it describes, so a
// retry after a lost response — or after a crash — finds either both or neither. A key is per user and
// kept 30 days. Reusing a key for a different request is refused rather than silently replayed.
#pragma once

#include <optional>
#include <string>

#include "core/db/database.h"

namespace kehu::server {

constexpr int64_t kIdempotencyKeepMs = 30LL * 24 * 3600 * 1000;

struct StoredReply {
  int status = 0;
  std::string body;
  std::string request;  // fingerprint of the request that produced it
};

// Keys: 1-200 printable ASCII characters.
bool is_valid_idempotency_key(const std::string& key);
std::string request_fingerprint(const std::string& method, const std::string& path, const std::string& body);
Result<std::optional<StoredReply>> find_reply(Database& db, int64_t user_id, const std::string& key, int64_t now_ms);
Status store_reply(Database& db, int64_t user_id, const std::string& key, const StoredReply& reply, int64_t now_ms);
Status forget_expired_replies(Database& db, int64_t now_ms);

}  // namespace kehu::server
