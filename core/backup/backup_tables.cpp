#include "core/backup/backup_tables.h"

#include <algorithm>
#include <set>

#include "core/entity/entity_def.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"

namespace kehu {

namespace {

Result<int64_t> int_or_zero(Database& db, std::string_view sql) {
  auto v = db.query_int(sql);
  if (!v.ok()) return v.take_error();
  return v->value_or(0);
}

// The rule of a table that is neither an entity's nor part of a virtual table.
std::optional<TableCopy> rule_of(const std::string& name) {
  if (name.rfind("stat_", 0) == 0 || name == "churn_window") return TableCopy::derived;
  if (name == "churn_window_state") return TableCopy::churn_state;
  if (name == "audit" || name == "ticket_notes") return TableCopy::appended;
  if (name == "tombstones" || name == "scope_moves" || name == "settings") return TableCopy::by_rev;
  // Every change of a campaign's members is audited against the campaign (campaign_members.h), and a
  // deleted campaign's go with it: the campaigns named there since the base are the ones to carry.
  if (name == "campaign_members") return TableCopy::by_campaign;
  if (name == "meta" || name == "sqlite_sequence" || name == "sessions" || name == "idempotency" || name == "kiosk_tokens" ||
      name == "trusted_devices")
    return TableCopy::whole;
  return std::nullopt;
}

int entity_order(const std::string& name) {
  if (name == "users") return 0;
  if (name == "teams") return 1;
  return 2;
}

}  // namespace

const EntityDef* served_entity(const std::string& name) {
  for (const auto* e : served_entities())
    if (e->name == name) return e;
  return nullptr;
}

Result<BackupMarks> read_backup_marks(Database& db) {
  BackupMarks marks;
  auto rev = int_or_zero(db, "SELECT value FROM meta WHERE key = 'rev'");
  if (!rev.ok()) return rev.take_error();
  auto audit = int_or_zero(db, "SELECT max(id) FROM audit");
  if (!audit.ok()) return audit.take_error();
  auto notes = int_or_zero(db, "SELECT max(id) FROM ticket_notes");
  if (!notes.ok()) return notes.take_error();
  auto version = schema_version(db);
  if (!version.ok()) return version.take_error();
  marks.rev = *rev, marks.audit_id = *audit, marks.ticket_note_id = *notes, marks.schema_version = *version;
  return marks;
}

Result<std::vector<BackupTable>> backup_tables(Database& db) {
  auto st = db.prepare("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  if (!st.ok()) return st.take_error();
  std::vector<std::string> tables;
  std::set<std::string> virtual_tables;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    std::string name((*st)->column_text(0));
    if ((*st)->column_int(1)) virtual_tables.insert(name);
    tables.push_back(std::move(name));
  }
  std::vector<BackupTable> out;
  for (const auto& name : tables) {
    // FTS5 keeps a virtual table's index in shadow tables named after it ("customers_tri_data").
    bool search_index = virtual_tables.count(name) > 0 ||
                        std::any_of(virtual_tables.begin(), virtual_tables.end(), [&](const std::string& v) {
                          return name.size() > v.size() + 1 && name.compare(0, v.size() + 1, v + "_") == 0;
                        });
    if (search_index) {
      out.push_back({name, TableCopy::derived});
    } else if (served_entity(name)) {
      out.push_back({name, name == "users" ? TableCopy::all_records : TableCopy::changed_records});
    } else if (auto rule = rule_of(name)) {
      out.push_back({name, *rule});
    } else if (name.rfind("sqlite_", 0) == 0) {
      continue;  // SQLite's own (sqlite_stat1 after ANALYZE): made again by SQLite when needed
    } else {
      return Error::make(ErrorCode::storage, {"数据表 " + name + " 没有备份规则", "table " + name + " has no backup rule"});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const BackupTable& a, const BackupTable& b) {
    bool ra = a.copy == TableCopy::changed_records || a.copy == TableCopy::all_records;
    bool rb = b.copy == TableCopy::changed_records || b.copy == TableCopy::all_records;
    if (ra != rb) return ra;
    return ra && entity_order(a.name) < entity_order(b.name);
  });
  return out;
}

Result<ChangesAfter> changes_after(Database& db, const BackupMarks& point) {
  ChangesAfter out;
  for (const auto* e : served_entities()) {
    auto n = db.query_int("SELECT count(*) FROM " + e->name + " WHERE rev > ?1", {point.rev});
    if (!n.ok()) return n.take_error();
    out.records_written += n->value_or(0);
  }
  auto deleted = db.query_int("SELECT count(*) FROM tombstones WHERE rev > ?1", {point.rev});
  if (!deleted.ok()) return deleted.take_error();
  out.records_deleted = deleted->value_or(0);
  return out;
}

Result<int64_t> count_records(Database& db) {
  int64_t total = 0;
  for (const auto* e : served_entities()) {
    if (e->name == "users" || e->name == "teams") continue;
    auto n = db.query_int("SELECT count(*) FROM " + e->name);
    if (!n.ok()) return n.take_error();
    total += n->value_or(0);
  }
  return total;
}

namespace {

Error not_kehu(const std::string& zh, const std::string& en) {
  return Error::make(ErrorCode::validation, {"这个文件不是客户 CRM 的数据库备份：" + zh, "the file is not a Kehu database backup: " + en});
}

// "trigger customers_ai", ... of `db`'s schema.
Result<std::set<std::string>> triggers_and_views(Database& db) {
  auto st = db.prepare("SELECT type || ' ' || name FROM sqlite_schema WHERE type IN ('trigger', 'view')");
  if (!st.ok()) return st.take_error();
  std::set<std::string> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    out.insert(std::string((*st)->column_text(0)));
  }
  return out;
}

}  // namespace

Status check_kehu_database(Database& db) {
  auto has_meta = db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.ok()) return not_kehu("无法读取（" + has_meta.error().message.zh + "）", "it cannot be read (" + has_meta.error().message.en + ")");
  auto version = schema_version(db);
  if (!version.ok()) return version.take_error();
  if (has_meta->value_or(0) == 0 || *version < 1) return not_kehu("其中没有客户 CRM 的数据表", "it has none of Kehu's tables");
  if (*version > latest_schema_version())
    return Error::make(ErrorCode::validation, {"这个备份来自更新版本的程序，请先升级", "the backup was made by a newer version of Kehu; upgrade first"});
  auto tables = backup_tables(db);
  if (!tables.ok()) return not_kehu(tables.error().message.zh, tables.error().message.en);
  auto theirs = triggers_and_views(db);
  if (!theirs.ok()) return theirs.take_error();
  auto fresh = SqliteDatabase::open(":memory:", SqliteOptions{.wal = false});
  if (!fresh.ok()) return fresh.take_error();
  auto migrated = migrate(**fresh);
  if (!migrated.ok()) return migrated.take_error();
  auto ours = triggers_and_views(**fresh);
  if (!ours.ok()) return ours.take_error();
  for (const auto& object : *theirs)
    if (!ours->count(object)) return not_kehu("含有不属于它的 " + object, "it holds " + object + ", which is not Kehu's");
  return ok_status();
}

Status check_database(Database& db) {
  auto st = db.prepare("PRAGMA integrity_check(5)");
  if (!st.ok()) return st.take_error();
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  std::string first = *row ? std::string((*st)->column_text(0)) : "no answer";
  KEHU_TRY((*st)->run());
  if (first != "ok")
    return Error::make(ErrorCode::storage, {"数据库完整性检查未通过：" + first, "the database failed its integrity check: " + first});
  auto fk = db.prepare("PRAGMA foreign_key_check");
  if (!fk.ok()) return fk.take_error();
  auto bad = (*fk)->step();
  if (!bad.ok()) return bad.take_error();
  if (*bad) {
    std::string table((*fk)->column_text(0));
    KEHU_TRY((*fk)->run());
    return Error::make(ErrorCode::storage, {"数据表 " + table + " 中有引用不存在的记录", "table " + table + " refers to rows that do not exist"});
  }
  return ok_status();
}

std::string backup_copy_name(const std::string& table) {
  return table == "sqlite_sequence" ? "autoincrement_sequence" : table;
}

}  // namespace kehu
