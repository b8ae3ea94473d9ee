#include "core/sync/sync_applier.h"

#include "core/entity/entity_def.h"
#include "core/entity/record_codec.h"
#include "core/search/search_index.h"
#include "core/store/record_store.h"

namespace kehu {

using nlohmann::json;

namespace {

Error malformed(const std::string& what) {
  return Error::make(ErrorCode::bad_request, {"同步数据格式错误：" + what, "malformed sync data: " + what});
}

SqlValue optional_int(const json& v) { return v.is_number_integer() ? SqlValue(v.get<int64_t>()) : SqlValue(nullptr); }
SqlValue optional_text(const json& v) { return v.is_string() ? SqlValue(v.get<std::string>()) : SqlValue(nullptr); }

// Whether a field's value has the JSON type its column is written from (record_codec.h field_to_sql,
// which would throw on a number where text belongs): the server never sends another, but a cache must
// refuse one, not crash on it.
bool fits_column(const FieldDef& f, const json& v) {
  if (v.is_null()) return true;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::reference: return v.is_number_integer();
    case FieldType::boolean: return v.is_boolean();
    case FieldType::string_list:
    case FieldType::item_list:
    case FieldType::object: return true;  // stored as their JSON text
    default: return v.is_string();
  }
}

Status store_directory_entry(Database& db, int64_t id, int64_t rev, const json& row) {
  if (!row.is_object() || !row.value("display_name", json()).is_string() || !row.value("active", json(true)).is_boolean())
    return malformed("directory " + std::to_string(id));
  // username is not part of the directory; the cache keeps a placeholder so the schema's NOT NULL UNIQUE holds.
  return db.run(
      "INSERT INTO users (id, rev, created_at, updated_at, username, display_name, role, team_id, active) "
      "VALUES (?1, ?2, '', '', '#' || ?1, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET rev = ?2, display_name = ?3, "
      "role = ?4, team_id = ?5, active = ?6",
      {id, rev, row["display_name"].get<std::string>(), optional_text(row.value("role", json())),
       optional_int(row.value("team_id", json())), int64_t{row.value("active", true) ? 1 : 0}});
}

}  // namespace

Status remove_cached_record(Database& db, const EntityDef& entity, int64_t id) {
  KEHU_TRY(index_record(db, entity, id, nullptr));
  return db.run("DELETE FROM " + entity.name + " WHERE id = ?1", {id});
}

Status store_server_record(Database& db, const EntityDef& entity, const json& row) {
  if (!row.is_object() || !row.value("id", json()).is_number_integer() || !row.value("rev", json()).is_number_integer())
    return malformed(entity.name + " row without id or rev");
  for (const auto& f : entity.fields) {
    auto value = row.find(f.name);
    if (value != row.end() && !fits_column(f, *value)) return malformed(entity.name + " row with a bad " + f.name);
  }
  int64_t id = row["id"].get<int64_t>();
  // Replace, not update in place. A first sync inserts only new ids, so the removal runs only for a row
  // the cache has; its index entries (the costly part: a contentless FTS5 deletion costs as much as an
  // insertion) are rebuilt only when the text they index changed — an edit of notes, a stage or an
  // owner, the common case, leaves the search text as it was.
  auto cached = db.query_int("SELECT 1 FROM " + entity.name + " WHERE id = ?1", {id});
  if (!cached.ok()) return cached.take_error();
  bool index_kept = false;
  if (cached->has_value()) {
    if (is_searchable(entity)) {
      auto before = get_record(db, entity, id);
      if (!before.ok()) return before.take_error();
      index_kept = trigram_body(entity, *before) == trigram_body(entity, row) && ngram_body(entity, *before) == ngram_body(entity, row);
    }
    if (index_kept) KEHU_TRY(db.run("DELETE FROM " + entity.name + " WHERE id = ?1", {id}));
    else KEHU_TRY(remove_cached_record(db, entity, id));
  }
  auto code = row.find("code");
  if (entity.field("code") && code != row.end() && code->is_string()) {
    // Codes are unique. Within one server transaction two records may swap codes; the other row's
    // new code arrives in the same batch, so drop the stale holder now.
    auto holder = db.query_int("SELECT id FROM " + entity.name + " WHERE code = ?1 AND id <> ?2", {code->get<std::string>(), id});
    if (!holder.ok()) return holder.take_error();
    if (holder->has_value()) KEHU_TRY(remove_cached_record(db, entity, **holder));
  }
  KEHU_TRY(insert_record_row(db, entity,
                             {{"id", id},
                              {"rev", row["rev"].get<int64_t>()},
                              {"created_at", optional_text(row.value("created_at", json()))},
                              {"updated_at", optional_text(row.value("updated_at", json()))},
                              {"created_by", optional_int(row.value("created_by", json()))},
                              {"updated_by", optional_int(row.value("updated_by", json()))}},
                             row));
  return index_kept ? ok_status() : index_new_record(db, entity, id, row);
}

Result<ApplyStats> apply_sync_changes(Database& db, const json& changes) {
  if (!changes.is_array()) return malformed("changes is not a list");
  ApplyStats stats;
  for (const auto& c : changes) {
    if (!c.is_object()) return malformed("a change that is not an object");
    auto entity_it = c.find("entity"), id_it = c.find("id");
    if (entity_it == c.end() || !entity_it->is_string() || id_it == c.end() || !id_it->is_number_integer())
      return malformed("a change without entity or id");
    const std::string& entity_name = entity_it->get_ref<const std::string&>();
    const int64_t id = id_it->get<int64_t>();
    auto deleted_it = c.find("deleted"), rev_it = c.find("rev");
    if ((deleted_it != c.end() && !deleted_it->is_boolean()) || (rev_it != c.end() && !rev_it->is_number_integer()))
      return malformed("a change with a bad deleted or rev");
    const bool deleted = deleted_it != c.end() && deleted_it->get<bool>();
    static const json kNoRow;
    auto row_it = c.find("row");
    const json& row = row_it == c.end() ? kNoRow : *row_it;  // by reference: a row is not copied
    if (entity_name == "directory") {
      if (deleted) KEHU_TRY(db.run("DELETE FROM users WHERE id = ?1", {id}));
      else KEHU_TRY(store_directory_entry(db, id, c.value("rev", int64_t{0}), row));
      ++(deleted ? stats.removed : stats.upserted);
      continue;
    }
    if (entity_name == "settings") {  // the public settings document (settings.h)
      if (!row.is_object()) return malformed("settings without a document");
      KEHU_TRY(db.run("INSERT INTO settings (id, rev, value) VALUES (1, ?1, ?2) ON CONFLICT(id) DO UPDATE SET rev = ?1, value = ?2",
                      {c.value("rev", int64_t{0}), row.dump()}));
      ++stats.upserted;
      continue;
    }
    const EntityDef* entity = find_entity(entity_name);
    if (!entity) {
      ++stats.skipped;
      continue;
    }
    if (deleted) {
      KEHU_TRY(remove_cached_record(db, *entity, id));
      ++stats.removed;
    } else {
      KEHU_TRY(store_server_record(db, *entity, row));
      ++stats.upserted;
    }
  }
  return stats;
}

}  // namespace kehu
