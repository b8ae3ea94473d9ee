#include "web/cache/local_cache.h"

#include "core/entity/record_codec.h"
#include "core/schema/migrations.h"
#include "core/search/search_index.h"
#include "core/settings/settings.h"
#include "core/store/write_txn.h"

namespace kehu::client {

using nlohmann::json;

namespace {

constexpr const char* kClientSchema =
    "CREATE TABLE IF NOT EXISTS client_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS outbox ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " method TEXT NOT NULL,"              // POST, PATCH or DELETE
    " entity TEXT NOT NULL,"
    " record_id INTEGER NOT NULL,"        // negative: a record created here, not yet on the server
    " body TEXT NOT NULL,"                // JSON object sent (PATCH: the changed fields, and rev)
    " idempotency_key TEXT NOT NULL,"     // the same on every retry: the server applies it once
    " state TEXT NOT NULL DEFAULT 'pending',"  // pending | failed
    " error TEXT,"                        // the server's error body (JSON) when failed
    " before TEXT,"                       // the row before this edit (JSON; null for a creation), to withdraw it
    " created_ms INTEGER NOT NULL,"
    " action TEXT);"                      // a POST to /{entity}/{id}/{action} (transition, claim); null for the record itself
    "CREATE INDEX IF NOT EXISTS outbox_record ON outbox(entity, record_id);"
    // The failed entries (read after every answer, to see a new conflict) without reading the pending
    // ones, of which a replay may hold thousands.
    "CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, seq);"
    // The server's own row of a record this device's queued or refused edits are drawn over (outbox.h):
    // what a withdrawn or settled edit puts back.
    "CREATE TABLE IF NOT EXISTS outbox_server_rows (entity TEXT NOT NULL, id INTEGER NOT NULL, row TEXT NOT NULL,"
    " PRIMARY KEY (entity, id)) WITHOUT ROWID;"
    // The phone book's order (phone_book.h): each customer's contacts by name, read without a sort.
    "CREATE INDEX IF NOT EXISTS contacts_phone_book ON contacts(customer_id, name, id);";

// Caches made before actions were queued lack the column.
Status add_outbox_action_column(Database& db) {
  auto has = db.query_int("SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'action'");
  if (!has.ok()) return has.take_error();
  if (has->value_or(0) > 0) return ok_status();
  return db.run("ALTER TABLE outbox ADD COLUMN action TEXT");
}

}  // namespace

LocalCache::LocalCache(std::unique_ptr<Database> db) : db_(std::move(db)) {
  // Without a watcher every reader is told "anything may have changed" (complete = false).
  RecordJournal* journal = journal_.get();
  if (!db_->watch_rows([journal](std::string_view table, Database::RowOp op, int64_t id) { journal->note(table, op, id); }))
    journal_->go_blind();
}

Result<std::unique_ptr<LocalCache>> LocalCache::attach(std::unique_ptr<Database> db) {
  auto version = migrate(*db);
  if (!version.ok()) return version.take_error();
  KEHU_TRY(db->exec(kClientSchema));
  KEHU_TRY(add_outbox_action_column(*db));
  return std::unique_ptr<LocalCache>(new LocalCache(std::move(db)));
}

Result<LocalCache::ImageLoaded> LocalCache::load_image(std::string_view image) {
  settings_.reset();
  journal_->forget_all();  // the backup API writes pages, not rows: nothing is reported
  KEHU_TRY(db_->replace_with_image(image));
  auto version = migrate(*db_);
  if (!version.ok()) return version.take_error();
  KEHU_TRY(db_->exec(kClientSchema));
  KEHU_TRY(add_outbox_action_column(*db_));
  ImageLoaded loaded;
  auto rev = committed_rev(*db_);  // the image's own rev: every change up to it is in the file
  if (!rev.ok()) return rev.take_error();
  loaded.rev = *rev;
  for (const EntityDef* entity : record_entities()) {
    auto n = db_->query_int("SELECT count(*) FROM " + entity->name);
    if (!n.ok()) return n.take_error();
    loaded.rows += n->value_or(0);
  }
  KEHU_TRY(set_meta("sync_next", std::to_string(loaded.rev)));
  return loaded;
}

Result<std::string> LocalCache::meta(const std::string& key) {
  auto st = db_->prepare("SELECT value FROM client_meta WHERE key = ?1");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, key);
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  std::string out = *row ? std::string((*st)->column_text(0)) : std::string();
  st->reset();
  return out;
}

Status LocalCache::set_meta(const std::string& key, const std::string& value) {
  return db_->run("INSERT INTO client_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                  {key, value});
}

Result<std::vector<int64_t>> LocalCache::find_ids(const EntityDef& entity,
                                                  const std::multimap<std::string, std::string>& params, size_t max_rows) {
  // As the server does: a value the admin's option lists add (or retired) can be filtered by.
  const auto choices = filter_choices(settings(), entity);
  auto query = parse_list_query(entity, params, Viewer::system(), &choices);
  if (!query.ok()) return query.take_error();
  return list_ids(*db_, entity, *query, max_rows);
}

Result<std::map<int64_t, json>> LocalCache::records(const EntityDef& entity, const std::vector<int64_t>& ids) {
  std::map<int64_t, json> out;
  if (ids.empty()) return out;
  std::string sql = "SELECT " + record_columns(entity) + " FROM " + entity.name + " WHERE id IN (";
  std::vector<SqlValue> args;
  for (size_t i = 0; i < ids.size(); ++i) {
    sql += (i ? ",?" : "?") + std::to_string(i + 1);
    args.push_back(ids[i]);
  }
  sql += ")";
  auto st = db_->prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    json r = row_to_json(entity, **st);
    out.emplace(r["id"].get<int64_t>(), std::move(r));
  }
  return out;
}

Result<std::optional<json>> LocalCache::record(const EntityDef& entity, int64_t id) {
  auto found = records(entity, {id});
  if (!found.ok()) return found.take_error();
  auto it = found->find(id);
  if (it == found->end()) return std::optional<json>();
  return std::optional<json>(std::move(it->second));
}

std::string LocalCache::user_name(int64_t id) {
  auto st = db_->prepare("SELECT display_name FROM users WHERE id = ?1");
  if (!st.ok()) return {};
  (*st)->bind(1, id);
  auto row = (*st)->step();
  std::string out = row.ok() && *row ? std::string((*st)->column_text(0)) : std::string();
  st->reset();
  return out;
}

std::vector<std::pair<int64_t, std::string>> LocalCache::active_users() {
  std::vector<std::pair<int64_t, std::string>> out;
  auto st = db_->prepare("SELECT id, display_name FROM users WHERE active = 1 ORDER BY display_name");
  if (!st.ok()) return out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok() || !*row) break;
    out.push_back({(*st)->column_int(0), std::string((*st)->column_text(1))});
  }
  st->reset();
  return out;
}

Result<std::vector<json>> LocalCache::children(const EntityDef& entity, const std::string& field, int64_t id,
                                               int64_t max_rows) {
  if (!entity.field(field)) return Error::make(ErrorCode::bad_request, {"未知字段：" + field, "unknown field: " + field});
  auto st = db_->prepare("SELECT " + record_columns(entity) + " FROM " + entity.name + " WHERE " + field +
                         " = ?1 ORDER BY id DESC LIMIT ?2");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all({id, max_rows});
  std::vector<json> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    out.push_back(row_to_json(entity, **st));
  }
  return out;
}

Result<int64_t> LocalCache::next_local_id(const EntityDef& entity) {
  auto low = db_->query_int("SELECT min(min(id), 0) FROM " + entity.name);
  if (!low.ok()) return low.take_error();
  auto queued = db_->query_int("SELECT min(min(record_id), 0) FROM outbox WHERE entity = ?1", {entity.name});
  if (!queued.ok()) return queued.take_error();
  return std::min(low->value_or(0), queued->value_or(0)) - 1;
}

const json& LocalCache::settings() {
  if (!settings_) {
    auto read = read_settings(*db_);
    settings_ = read.ok() ? std::move(*read) : json::object();  // unreadable: the built-in choices
  }
  return *settings_;
}

Status LocalCache::clear_synced() {
  journal_->forget_all();  // DELETE of a whole table may skip the update hook (SQLite's truncate optimization)
  for (const auto* e : record_entities()) {
    KEHU_TRY(db_->run("DELETE FROM " + e->name + " WHERE id > 0"));
    if (!is_searchable(*e)) continue;
    KEHU_TRY(db_->run("INSERT INTO " + e->name + "_tri(" + e->name + "_tri) VALUES ('delete-all')"));
    KEHU_TRY(db_->run("INSERT INTO " + e->name + "_ngram(" + e->name + "_ngram) VALUES ('delete-all')"));
    // Rows created here stay; index them again.
    auto st = db_->prepare("SELECT " + record_columns(*e) + " FROM " + e->name + " WHERE id < 0");
    if (!st.ok()) return st.take_error();
    std::vector<json> rows;
    for (;;) {
      auto row = (*st)->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      rows.push_back(row_to_json(*e, **st));
    }
    for (const auto& r : rows) KEHU_TRY(index_new_record(*db_, *e, r["id"].get<int64_t>(), r));
  }
  KEHU_TRY(db_->run("DELETE FROM users"));
  return ok_status();
}

}  // namespace kehu::client
