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

Status store_directory_entry(Database& db, int64_t id, int64_t rev, const json& row) {
  if (!row.is_object() || !row.value("display_name", json()).is_string()) return malformed("directory " + std::to_string(id));
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
  int64_t id = row["id"].get<int64_t>();
  // Replace, not update in place: the row may not exist yet, and the index is rebuilt from the new row.
  KEHU_TRY(remove_cached_record(db, entity, id));
  if (entity.name == "customers" && row.value("code", json()).is_string()) {
    // Codes are unique. Within one server transaction two customers may swap codes; the other row's
    // new code arrives in the same batch, so drop the stale holder now.
    auto holder = db.query_int("SELECT id FROM customers WHERE code = ?1 AND id <> ?2", {row["code"].get<std::string>(), id});
    if (!holder.ok()) return holder.take_error();
    if (holder->has_value()) KEHU_TRY(remove_cached_record(db, entity, **holder));
  }
  std::string cols = "id, rev, created_at, updated_at, created_by, updated_by";
  std::string params = "?1, ?2, ?3, ?4, ?5, ?6";
  std::vector<SqlValue> args = {id, row["rev"].get<int64_t>(), optional_text(row.value("created_at", json())),
                                optional_text(row.value("updated_at", json())), optional_int(row.value("created_by", json())),
                                optional_int(row.value("updated_by", json()))};
  json record = json::object();
  for (const auto& f : entity.fields) {
    record[f.name] = row.value(f.name, json());
    args.push_back(field_to_sql(f, record[f.name]));
    cols += ", " + f.name;
    params += ", ?" + std::to_string(args.size());
  }
  for (auto& [col, value] : derived_columns(entity, record)) {
    args.push_back(value);
    cols += ", " + col;
    params += ", ?" + std::to_string(args.size());
  }
  KEHU_TRY(db.run("INSERT INTO " + entity.name + " (" + cols + ") VALUES (" + params + ")", args));
  return index_record(db, entity, id, &record);
}

Result<ApplyStats> apply_sync_changes(Database& db, const json& changes) {
  if (!changes.is_array()) return malformed("changes is not a list");
  ApplyStats stats;
  for (const auto& c : changes) {
    if (!c.is_object() || !c.value("entity", json()).is_string() || !c.value("id", json()).is_number_integer())
      return malformed("a change without entity or id");
    const std::string entity_name = c["entity"].get<std::string>();
    const int64_t id = c["id"].get<int64_t>();
    const bool deleted = c.value("deleted", false);
    if (entity_name == "directory") {
      if (deleted) KEHU_TRY(db.run("DELETE FROM users WHERE id = ?1", {id}));
      else KEHU_TRY(store_directory_entry(db, id, c.value("rev", int64_t{0}), c.value("row", json())));
      ++(deleted ? stats.removed : stats.upserted);
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
      KEHU_TRY(store_server_record(db, *entity, c.value("row", json())));
      ++stats.upserted;
    }
  }
  return stats;
}

}  // namespace kehu
