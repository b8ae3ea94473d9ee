#include "core/backup/incremental_backup.h"

#include <map>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/search/search_index.h"
#include "core/stats/churn_window.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"

namespace kehu {

using json = nlohmann::json;

namespace {

Error backup_error(const std::string& zh, const std::string& en) { return Error::make(ErrorCode::storage, {zh, en}); }

// The columns of `schema`.`table`, comma-separated, in their order.
Result<std::string> column_list(Database& db, const std::string& schema, const std::string& table) {
  auto st = db.prepare("SELECT name FROM pragma_table_info(?1, ?2)");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, table);
  (*st)->bind(2, schema);
  std::string out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    if (!out.empty()) out += ", ";
    out += (*st)->column_text(0);
  }
  if (out.empty()) return backup_error("增量备份缺少数据表 " + table, "the incremental backup lacks table " + table);
  return out;
}

// INSERT (OR REPLACE) INTO main.table from the incremental's copy, naming main's columns.
Status copy_in(Database& db, const std::string& table, bool replace) {
  auto columns = column_list(db, "main", table);
  if (!columns.ok()) return columns.take_error();
  return db.run(std::string("INSERT ") + (replace ? "OR REPLACE " : "") + "INTO main." + table + " (" + *columns +
                ") SELECT " + *columns + " FROM inc." + backup_copy_name(table));
}

// Brings one entity table to the incremental's rows: removes the rows it changed or deleted (and, for
// users, those it no longer has), inserts its rows, then moves the search index and the statistics of
// each from what the row was to what it is. The removals all come before the insertions, so two rows
// that swapped a unique value (a code, a user name) never meet.
Status apply_records(Database& db, const EntityDef& entity, bool all_rows, bool recount) {
  const std::string& t = entity.name;
  std::vector<int64_t> ids;
  {
    auto st = db.prepare("SELECT id FROM inc." + t + " UNION SELECT id FROM inc.tombstones WHERE entity = ?1" +
                         (all_rows ? " UNION SELECT id FROM main." + t : std::string()));
    if (!st.ok()) return st.take_error();
    (*st)->bind(1, t);
    KEHU_TRY((*st)->collect_ints(ids));
  }
  KEHU_TRY(db.exec("CREATE TEMP TABLE IF NOT EXISTS backup_before (id INTEGER PRIMARY KEY, record TEXT NOT NULL);"
                   "DELETE FROM temp.backup_before"));
  for (int64_t id : ids) {
    auto before = get_record(db, entity, id);
    if (!before.ok() && before.error().code == ErrorCode::not_found) continue;
    if (!before.ok()) return before.take_error();
    KEHU_TRY(db.run("INSERT INTO temp.backup_before (id, record) VALUES (?1, ?2)", {id, before->dump()}));
  }
  KEHU_TRY(db.run("DELETE FROM main." + t + " WHERE id IN (SELECT id FROM temp.backup_before)"));
  KEHU_TRY(copy_in(db, t, false));
  auto read_before = db.prepare("SELECT record FROM temp.backup_before WHERE id = ?1");
  if (!read_before.ok()) return read_before.take_error();
  for (int64_t id : ids) {
    (*read_before)->bind(1, id);
    auto found = (*read_before)->step();
    if (!found.ok()) return found.take_error();
    json before = *found ? json::parse((*read_before)->column_text(0), nullptr, false) : json();
    if (*found) KEHU_TRY((*read_before)->run());  // the one row read: finish, so the next id binds
    auto stored = get_record(db, entity, id);
    if (!stored.ok() && stored.error().code != ErrorCode::not_found) return stored.take_error();
    json after = stored.ok() ? std::move(*stored) : json();
    if (before.is_null() && after.is_null()) continue;  // created and deleted since the base
    if (before.is_null()) KEHU_TRY(index_new_record(db, entity, id, after));
    else KEHU_TRY(index_record(db, entity, id, after.is_null() ? nullptr : &after));
    if (!recount) KEHU_TRY(update_statistics(db, entity, before, after));
  }
  return ok_status();
}

// Moves the churn window to where the incremental's was (or forgets it when none was kept). The rows
// applied before moved it along with the daily sales, so it is exact for its old day and moves from there.
Status apply_churn_state(Database& db) {
  auto st = db.prepare("SELECT days, as_of FROM inc.churn_window_state");
  if (!st.ok()) return st.take_error();
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return forget_churn_window(db);
  int64_t days = (*st)->column_int(0);
  std::string as_of((*st)->column_text(1));
  KEHU_TRY((*st)->run());
  auto at = churn_window_is_at(db, days, as_of);
  if (!at.ok()) return at.take_error();
  return *at ? ok_status() : bring_churn_window_to(db, days, as_of);
}

BackupMarks marks_from(const std::map<std::string, int64_t>& info, const std::string& prefix) {
  auto get = [&](const std::string& key) {
    auto it = info.find(prefix + key);
    return it == info.end() ? int64_t{-1} : it->second;
  };
  BackupMarks m;
  m.rev = get("rev"), m.audit_id = get("audit_id"), m.ticket_note_id = get("ticket_note_id");
  m.schema_version = static_cast<int>(get("schema_version"));
  return m;
}

}  // namespace

Result<BackupMarks> write_incremental(Database& db, const BackupMarks& base) {
  auto txn = Transaction::begin(db, false);  // deferred: a read snapshot of main, a write of inc only
  if (!txn.ok()) return txn.take_error();
  auto marks = read_backup_marks(db);
  if (!marks.ok()) return marks.take_error();
  if (marks->schema_version != base.schema_version)
    return backup_error("上次备份后数据库结构已升级，需要完整备份", "the database schema changed since the last backup; a full backup is needed");
  if (marks->rev < base.rev || marks->audit_id < base.audit_id || marks->ticket_note_id < base.ticket_note_id)
    return backup_error("数据库比上次备份还旧（是否恢复过？），需要完整备份",
                        "the database is behind the last backup (was it restored?); a full backup is needed");
  auto tables = backup_tables(db);
  if (!tables.ok()) return tables.take_error();
  for (const auto& t : *tables) {
    if (t.copy == TableCopy::derived) continue;
    const std::string copy = "inc." + backup_copy_name(t.name);
    KEHU_TRY(db.exec("CREATE TABLE " + copy + " AS SELECT * FROM main." + t.name + " WHERE 0"));
    std::string where = "1";
    std::vector<SqlValue> args;
    if (t.copy == TableCopy::changed_records || t.copy == TableCopy::by_rev) where = "rev > ?1", args = {base.rev};
    if (t.copy == TableCopy::appended)
      where = "id > ?1", args = {t.name == "audit" ? base.audit_id : base.ticket_note_id};
    if (t.copy == TableCopy::by_campaign) {
      KEHU_TRY(db.run("CREATE TABLE inc.member_campaigns AS SELECT id FROM main.campaigns WHERE rev > ?1"
                      " UNION SELECT id FROM main.tombstones WHERE entity = 'campaigns' AND rev > ?1"
                      " UNION SELECT entity_id FROM main.audit WHERE id > ?2 AND entity = 'campaigns' AND entity_id IS NOT NULL",
                      {base.rev, base.audit_id}));
      where = "campaign_id IN (SELECT id FROM inc.member_campaigns)";
    }
    KEHU_TRY(db.run("INSERT INTO " + copy + " SELECT * FROM main." + t.name + " WHERE " + where, args));
  }
  KEHU_TRY(db.exec("CREATE TABLE inc.backup_info (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"));
  for (const auto& [prefix, m] : {std::pair<std::string, BackupMarks>{"base_", base}, {"", *marks}}) {
    for (const auto& [key, value] : std::vector<std::pair<std::string, int64_t>>{
             {"rev", m.rev}, {"audit_id", m.audit_id}, {"ticket_note_id", m.ticket_note_id}, {"schema_version", m.schema_version}})
      KEHU_TRY(db.run("INSERT INTO inc.backup_info (key, value) VALUES (?1, ?2)", {prefix + key, value}));
  }
  KEHU_TRY((*txn)->commit());
  return marks;
}

Result<IncrementalMarks> read_incremental_marks(Database& db) {
  auto st = db.prepare("SELECT key, value FROM inc.backup_info");
  if (!st.ok()) return backup_error("这不是增量备份文件", "this is not an incremental backup file");
  std::map<std::string, int64_t> info;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    info[std::string((*st)->column_text(0))] = (*st)->column_int(1);
  }
  IncrementalMarks marks{marks_from(info, "base_"), marks_from(info, "")};
  if (marks.base.rev < 0 || marks.point.rev < 0 || marks.point.schema_version < 0)
    return backup_error("增量备份的标记不完整", "the incremental backup's marks are incomplete");
  return marks;
}

Result<BackupMarks> apply_incremental(Database& db) {
  auto marks = read_incremental_marks(db);
  if (!marks.ok()) return marks.take_error();
  auto txn = Transaction::begin(db, true);
  if (!txn.ok()) return txn.take_error();
  // References are checked at commit: a contact may come before the customer it names.
  KEHU_TRY(db.exec("PRAGMA defer_foreign_keys = ON"));
  auto have = read_backup_marks(db);
  if (!have.ok()) return have.take_error();
  if (!(*have == marks->base))
    return backup_error("增量备份接在版本 " + std::to_string(marks->base.rev) + " 之后，而数据库在版本 " +
                            std::to_string(have->rev) + "：请按顺序从它的完整备份开始恢复",
                        "the incremental backup follows rev " + std::to_string(marks->base.rev) + " but the database is at rev " +
                            std::to_string(have->rev) + ": restore its chain in order from its full backup");
  auto tables = backup_tables(db);
  if (!tables.ok()) return tables.take_error();
  // The settings first: the statistics read the company time zone from them, and a changed zone means
  // counting them again (as the server did when the zone was changed).
  auto zone_before = company_time_zone(db);
  if (!zone_before.ok()) return zone_before.take_error();
  KEHU_TRY(copy_in(db, "settings", true));
  auto zone_after = company_time_zone(db);
  if (!zone_after.ok()) return zone_after.take_error();
  const bool recount = *zone_before != *zone_after;
  for (const auto& t : *tables) {
    switch (t.copy) {
      case TableCopy::changed_records:
      case TableCopy::all_records:
        KEHU_TRY(apply_records(db, *served_entity(t.name), t.copy == TableCopy::all_records, recount));
        break;
      case TableCopy::by_rev:
        if (t.name != "settings") KEHU_TRY(copy_in(db, t.name, true));
        break;
      case TableCopy::appended: KEHU_TRY(copy_in(db, t.name, false)); break;
      case TableCopy::by_campaign:
        KEHU_TRY(db.run("DELETE FROM main." + t.name + " WHERE campaign_id IN (SELECT id FROM inc.member_campaigns)"));
        KEHU_TRY(copy_in(db, t.name, false));
        break;
      case TableCopy::whole:
        if (t.name == "sqlite_sequence") break;  // last: the insertions above move it
        KEHU_TRY(db.run("DELETE FROM main." + t.name));
        KEHU_TRY(copy_in(db, t.name, false));
        break;
      case TableCopy::churn_state:
      case TableCopy::derived: break;
    }
  }
  KEHU_TRY(db.run("DELETE FROM main.sqlite_sequence"));
  KEHU_TRY(copy_in(db, "sqlite_sequence", false));
  if (recount) KEHU_TRY(rebuild_statistics(db));
  KEHU_TRY(apply_churn_state(db));
  KEHU_TRY(db.exec("DROP TABLE IF EXISTS temp.backup_before"));
  auto reached = read_backup_marks(db);
  if (!reached.ok()) return reached.take_error();
  if (!(*reached == marks->point))
    return backup_error("增量备份应用后没有到达它记录的版本，文件可能不完整", "the incremental backup did not reach the point it names; it may be incomplete");
  KEHU_TRY((*txn)->commit());
  return *reached;
}

}  // namespace kehu
