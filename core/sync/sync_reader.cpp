#include "core/sync/sync_reader.h"

#include <algorithm>

#include "core/entity/entity_def.h"
#include "core/entity/record_codec.h"
#include "core/settings/settings.h"

namespace kehu {

using nlohmann::json;

namespace {

struct Source {
  std::string entity;
  int order;  // tie-break within one rev
  std::string select;  // select list over alias r
  std::string from;    // "table AS r"
  ScopeCondition scope;  // which of its rows this viewer receives
  enum Kind { record, directory, settings, removal } kind;
  const EntityDef* def = nullptr;
};

// Removals for `viewer`: deleted rows they could see (the tombstone keeps the scope owner), and rows that
// moved out of their reach (scope_moves: seen under the old owner, not under the new one). Nobody hears
// of a row they never could see.
std::vector<Source> removal_sources(const Viewer& viewer) {
  ScopeCondition deleted{"", {}}, moved{"", {}};
  for (const auto* e : record_entities()) {
    Reach reach = reach_of(viewer, *e, Action::read);
    if (reach == Reach::none) continue;
    if (reach == Reach::all) {
      deleted.sql += (deleted.sql.empty() ? "" : " OR ") + std::string("r.entity = ?");
      deleted.args.push_back(e->name);
      continue;
    }
    ScopeCondition before = owner_condition(reach, viewer, "r.scope_owner");
    deleted.sql += (deleted.sql.empty() ? "" : " OR ") + ("(r.entity = ? AND " + before.sql + ")");
    deleted.args.push_back(e->name);
    deleted.args.insert(deleted.args.end(), before.args.begin(), before.args.end());
    ScopeCondition from = owner_condition(reach, viewer, "r.from_owner");
    ScopeCondition to = owner_condition(reach, viewer, "r.to_owner");
    moved.sql += (moved.sql.empty() ? "" : " OR ") + ("(r.entity = ? AND " + from.sql + " AND NOT " + to.sql + ")");
    moved.args.push_back(e->name);
    moved.args.insert(moved.args.end(), from.args.begin(), from.args.end());
    moved.args.insert(moved.args.end(), to.args.begin(), to.args.end());
  }
  std::vector<Source> out;
  if (!deleted.sql.empty()) out.push_back({"", 1000, "r.entity, r.id, r.rev", "tombstones AS r", deleted, Source::removal});
  if (!moved.sql.empty()) out.push_back({"", 1000, "r.entity, r.id, r.rev", "scope_moves AS r", moved, Source::removal});
  return out;
}

std::vector<Source> sources(const Viewer& viewer) {
  std::vector<Source> out;
  out.push_back({"directory", 0, "r.id, r.rev, r.display_name, r.role, r.team_id, r.active", "users AS r", {"1", {}},
                 Source::directory});
  out.push_back({"settings", 0, "r.id, r.rev, r.value", "settings AS r", {"1", {}}, Source::settings});
  int order = 1;
  for (const auto* e : record_entities()) {
    ScopeCondition scope = scope_condition(*e, viewer, Action::read, "r");
    if (!scope.nothing())
      // Always in rev order through the rev index (every entity table has {name}_rev): with an owner
      // condition SQLite would otherwise gather all of a rep's rows through the owner index and sort them.
      out.push_back({e->name, order, record_columns(*e, "r."), e->name + " AS r INDEXED BY " + e->name + "_rev", scope,
                     Source::record, e});
    ++order;
  }
  for (auto& removal : removal_sources(viewer)) out.push_back(std::move(removal));
  return out;
}

// The WHERE clause of source `s` with `condition` on r.rev (its arguments after the scope's).
std::string where_of(const Source& s, const std::string& condition, const std::vector<SqlValue>& args,
                     std::vector<SqlValue>& all_args) {
  all_args = s.scope.args;
  all_args.insert(all_args.end(), args.begin(), args.end());
  return " WHERE (" + s.scope.sql + ") AND " + condition;
}

// Reads up to `limit` changes of one source matching `condition` (on column r.rev, args bound in order).
Status read_source(Database& db, const Source& s, const std::string& condition, const std::vector<SqlValue>& args,
                   int limit, std::vector<SyncChange>& out) {
  std::vector<SqlValue> all;
  std::string where = where_of(s, condition, args, all);
  auto st = db.prepare("SELECT " + s.select + " FROM " + s.from + where + " ORDER BY r.rev LIMIT ?");
  if (!st.ok()) return st.take_error();
  all.push_back(int64_t{limit});
  (*st)->bind_all(all);
  for (;;) {
    auto r = (*st)->step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) break;
    SyncChange c;
    const Statement& row = **st;
    switch (s.kind) {
      case Source::record:
        c.entity = s.entity;
        c.row = row_to_json(*s.def, row);
        c.id = c.row["id"].get<int64_t>();
        c.rev = c.row["rev"].get<int64_t>();
        break;
      case Source::directory:
        c.entity = s.entity;
        c.id = row.column_int(0);
        c.rev = row.column_int(1);
        c.row = json{{"id", c.id},
                     {"display_name", std::string(row.column_text(2))},
                     {"role", std::string(row.column_text(3))},
                     {"team_id", row.column_type(4) == ColumnType::null ? json(nullptr) : json(row.column_int(4))},
                     {"active", row.column_int(5) != 0}};
        break;
      case Source::settings: {
        // Only the public part (settings.h): no mail passwords or backup folders reach a client.
        c.entity = s.entity;
        c.id = row.column_int(0);
        c.rev = row.column_int(1);
        json stored = json::parse(row.column_text(2), nullptr, false);
        c.row = public_settings(stored.is_object() ? stored : json::object());
        break;
      }
      case Source::removal:
        c.entity = std::string(row.column_text(0));
        c.id = row.column_int(1);
        c.rev = row.column_int(2);
        c.deleted = true;
        break;
    }
    out.push_back(std::move(c));
  }
  return ok_status();
}

// The revs of up to `limit` changes of one source after `since`, in rev order (nothing else is read).
Status read_source_revs(Database& db, const Source& s, int64_t since, int limit, std::vector<int64_t>& out) {
  std::vector<SqlValue> all;
  std::string where = where_of(s, "r.rev > ?", {since}, all);
  auto st = db.prepare("SELECT r.rev FROM " + s.from + where + " ORDER BY r.rev LIMIT ?");
  if (!st.ok()) return st.take_error();
  all.push_back(int64_t{limit});
  (*st)->bind_all(all);
  for (;;) {
    auto r = (*st)->step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) break;
    out.push_back((*st)->column_int(0));
  }
  return ok_status();
}

int order_of(const std::vector<Source>& all, const SyncChange& c) {
  if (c.deleted) return 1000;
  for (const auto& s : all)
    if (s.entity == c.entity) return s.order;
  return 999;
}

}  // namespace

Result<SyncBatch> read_changes(Database& db, const Viewer& viewer, int64_t since, int limit, bool count_remaining) {
  // One read transaction: every source is read from the same snapshot. Without it a transaction that
  // commits between two sources' reads could be half-seen, and `next` would skip its other rows.
  auto snapshot = Transaction::begin(db, false);
  if (!snapshot.ok()) return snapshot.take_error();
  const auto all = sources(viewer);
  auto by_rev = [&](const SyncChange& a, const SyncChange& b) {
    if (a.rev != b.rev) return a.rev < b.rev;
    int oa = order_of(all, a), ob = order_of(all, b);
    if (oa != ob) return oa < ob;
    return a.id < b.id;
  };
  // First only the revs (up to limit + 1 per source, through the rev indexes and the scope), to find
  // where the batch ends; then the rows of the batch alone. Reading whole rows first would turn up to
  // limit + 1 rows of every source into JSON to keep `limit` of them.
  std::vector<int64_t> revs;
  for (const auto& s : all) KEHU_TRY(read_source_revs(db, s, since, limit + 1, revs));
  std::sort(revs.begin(), revs.end());

  SyncBatch batch;
  batch.next = since;
  std::vector<SyncChange> rows;
  if (static_cast<int>(revs.size()) <= limit) {
    for (const auto& s : all) KEHU_TRY(read_source(db, s, "r.rev > ?", {since}, limit + 1, rows));
  } else {
    batch.more = true;
    const int64_t boundary = revs[static_cast<size_t>(limit)];  // the first rev that does not fit
    if (revs.front() < boundary) {
      for (const auto& s : all) KEHU_TRY(read_source(db, s, "r.rev > ? AND r.rev < ?", {since, boundary}, limit + 1, rows));
    } else {
      // One transaction bigger than the limit: send all of it.
      for (const auto& s : all) KEHU_TRY(read_source(db, s, "r.rev = ?", {boundary}, 1 << 30, rows));
    }
  }
  std::sort(rows.begin(), rows.end(), by_rev);
  batch.changes = std::move(rows);
  if (!batch.changes.empty()) batch.next = batch.changes.back().rev;
  if (count_remaining) {
    batch.remaining = 0;
    for (const auto& s : all) {
      std::vector<SqlValue> args;
      std::string where = where_of(s, "r.rev > ?", {batch.next}, args);
      auto n = db.query_int("SELECT count(*) FROM " + s.from + where, args);
      if (!n.ok()) return n.take_error();
      batch.remaining += n->value_or(0);
    }
  }
  KEHU_TRY((*snapshot)->commit());
  return batch;
}

Result<std::vector<std::string>> entities_changed_since(Database& db, const Viewer& viewer, int64_t since) {
  auto snapshot = Transaction::begin(db, false);
  if (!snapshot.ok()) return snapshot.take_error();
  std::vector<std::string> out;
  auto note = [&out](std::string entity) {
    if (std::find(out.begin(), out.end(), entity) == out.end()) out.push_back(std::move(entity));
  };
  for (const auto& s : sources(viewer)) {
    std::vector<SqlValue> args;
    std::string where = where_of(s, "r.rev > ?", {since}, args);
    if (s.kind == Source::removal) {
      auto st = db.prepare("SELECT DISTINCT r.entity FROM " + s.from + where);
      if (!st.ok()) return st.take_error();
      (*st)->bind_all(args);
      for (;;) {
        auto r = (*st)->step();
        if (!r.ok()) return r.take_error();
        if (!r.value()) break;
        note(std::string((*st)->column_text(0)));
      }
    } else {
      auto any = db.query_int("SELECT 1 FROM " + s.from + where + " LIMIT 1", args);
      if (!any.ok()) return any.take_error();
      if (any->has_value()) note(s.entity);
    }
  }
  KEHU_TRY((*snapshot)->commit());
  return out;
}

json sync_batch_json(const SyncBatch& batch) {
  json changes = json::array();
  for (const auto& c : batch.changes)
    changes.push_back(json{{"entity", c.entity}, {"id", c.id}, {"rev", c.rev}, {"deleted", c.deleted}, {"row", c.row}});
  json out = {{"changes", std::move(changes)}, {"next", batch.next}, {"more", batch.more}, {"reset", batch.reset}};
  if (batch.remaining >= 0) out["remaining"] = batch.remaining;
  return out;
}

}  // namespace kehu
