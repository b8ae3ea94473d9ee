#include "server/auth/kiosk_tokens.h"

#include "core/clock.h"
#include "server/auth/crypto.h"

namespace kehu::server {

namespace {

constexpr const char* kColumns =
    "id, name, dashboards, created_at, ifnull(created_by, 0), last_seen_ms, ifnull(revoked_at, '') FROM kiosk_tokens";

KioskToken read_token(const Statement& st) {
  KioskToken t;
  t.id = st.column_int(0);
  t.name = std::string(st.column_text(1));
  auto dashboards = nlohmann::json::parse(st.column_text(2), nullptr, false);
  if (dashboards.is_array())
    for (const auto& d : dashboards)
      if (d.is_string()) t.dashboards.push_back(d.get<std::string>());
  t.created_at = std::string(st.column_text(3));
  t.created_by = st.column_int(4);
  if (st.column_type(5) != ColumnType::null) t.last_seen_ms = st.column_int(5);
  t.revoked_at = std::string(st.column_text(6));
  return t;
}

Result<std::vector<KioskToken>> read_tokens(Database& db, const std::string& sql, std::vector<SqlValue> args) {
  auto st = db.prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  std::vector<KioskToken> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    out.push_back(read_token(**st));
  }
  return out;
}

}  // namespace

Result<std::pair<std::string, KioskToken>> issue_kiosk_token(WriteTxn& txn, Random& random, const KioskTokenInput& in) {
  std::string token = new_token(random);
  KioskToken t{0, in.name, in.dashboards, txn.now(), txn.actor().user_id, std::nullopt, ""};
  KEHU_TRY(txn.db().run("INSERT INTO kiosk_tokens (name, dashboards, token_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                        {t.name, nlohmann::json(t.dashboards).dump(), sha256_hex(token), t.created_at,
                         t.created_by > 0 ? SqlValue(t.created_by) : SqlValue(nullptr)}));
  t.id = txn.db().last_insert_rowid();
  KEHU_TRY(txn.audit("create", "kiosk_tokens", t.id,
                     nlohmann::json{{"name", {nullptr, t.name}}, {"dashboards", {nullptr, t.dashboards}}}));
  return std::make_pair(std::move(token), std::move(t));
}

Result<std::vector<KioskToken>> list_kiosk_tokens(Database& db) {
  return read_tokens(db, std::string("SELECT ") + kColumns + " ORDER BY id DESC", {});
}

Result<std::optional<KioskToken>> find_kiosk_token(Database& db, const std::string& token) {
  if (token.empty() || token.size() > 100) return std::optional<KioskToken>{};
  auto found = read_tokens(db, std::string("SELECT ") + kColumns + " WHERE token_hash = ?1 AND revoked_at IS NULL",
                           {sha256_hex(token)});
  if (!found.ok()) return found.take_error();
  if (found->empty()) return std::optional<KioskToken>{};
  return std::optional<KioskToken>{std::move(found->front())};
}

Result<bool> kiosk_token_works(Database& db, int64_t id) {
  auto n = db.query_int("SELECT count(*) FROM kiosk_tokens WHERE id = ?1 AND revoked_at IS NULL", {id});
  if (!n.ok()) return n.take_error();
  return n->value_or(0) > 0;
}

Result<bool> revoke_kiosk_token(WriteTxn& txn, int64_t id) {
  auto found = read_tokens(txn.db(), std::string("SELECT ") + kColumns + " WHERE id = ?1", {id});
  if (!found.ok()) return found.take_error();
  if (found->empty()) return false;
  if (!found->front().revoked_at.empty()) return true;
  KEHU_TRY(txn.db().run("UPDATE kiosk_tokens SET revoked_at = ?1 WHERE id = ?2", {txn.now(), id}));
  KEHU_TRY(txn.audit("revoke", "kiosk_tokens", id, nlohmann::json{{"name", {found->front().name, nullptr}}}));
  return true;
}

Status touch_kiosk_token(Database& db, int64_t id, int64_t now_ms) {
  return db.run("UPDATE kiosk_tokens SET last_seen_ms = ?1 WHERE id = ?2", {now_ms, id});
}

nlohmann::json kiosk_token_json(const KioskToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"dashboards", t.dashboards},
          {"created_at", t.created_at},
          {"created_by", t.created_by > 0 ? nlohmann::json(t.created_by) : nlohmann::json()},
          {"last_seen_at", t.last_seen_ms ? nlohmann::json(format_rfc3339_ms(*t.last_seen_ms)) : nlohmann::json()},
          {"revoked_at", t.revoked_at.empty() ? nlohmann::json() : nlohmann::json(t.revoked_at)}};
}

}  // namespace kehu::server
