// local_cache.h — the client's SQLite cache of the server's data (SPEC §6, §8): the one data source
// every screen reads from, online or offline.
//
// It holds the server's schema (core migrations), so lists, filters, sort and search run core's own query
// code (list_query.h) on the same tables and indexes as the server; sync (sync_applier.h) fills it. Besides
// the server's tables it keeps the client's own: `client_meta` (sync position, last sync time) and the
// outbox (outbox.h). A row created here and not yet accepted by the server has a negative id.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"
#include "core/query/list_query.h"
#include "web/cache/record_journal.h"

namespace kehu::client {

class LocalCache {
 public:
  // Migrates the database to the current schema and creates the client's tables.
  static Result<std::unique_ptr<LocalCache>> attach(std::unique_ptr<Database> db);

  Database& db() { return *db_; }

  // client_meta values.
  Result<std::string> meta(const std::string& key);
  Status set_meta(const std::string& key, const std::string& value);

  // Ids of the records matching `params` (list_query.h parameters: q, filters, sort), in order; at most
  // `max_rows` (a picker wants the first few, a list every one).
  Result<std::vector<int64_t>> find_ids(const EntityDef& entity, const std::multimap<std::string, std::string>& params,
                                        size_t max_rows = 2'000'000);
  // The records with these ids (missing ones are left out), keyed by id.
  Result<std::map<int64_t, nlohmann::json>> records(const EntityDef& entity, const std::vector<int64_t>& ids);
  Result<std::optional<nlohmann::json>> record(const EntityDef& entity, int64_t id);
  // A user's display name from the synced directory ("" if unknown).
  std::string user_name(int64_t id);
  // The active users of the synced directory (id, display name), by name: an assignee's choices.
  std::vector<std::pair<int64_t, std::string>> active_users();
  // Records of `entity` whose `field` is `id` (a customer's contacts), newest first, at most `max_rows`.
  Result<std::vector<nlohmann::json>> children(const EntityDef& entity, const std::string& field, int64_t id,
                                               int64_t max_rows = 200);
  // The next id for a record created here: below every id in use (negative).
  Result<int64_t> next_local_id(const EntityDef& entity);
  // The synced public settings (core/settings/settings.h: option lists, custom fields, menus), read once
  // and again after settings_changed() — called when a sync may have brought new ones.
  const nlohmann::json& settings();
  void settings_changed() { settings_.reset(); }
  // Forgets every synced row (a sync answered reset) but keeps the outbox.
  Status clear_synced();

  // A first sync from a sync image (core/sync/sync_image.h): the whole database is replaced by the image,
  // then the client's tables are created again and the sync position set to the image's rev. Only for an
  // empty cache with an empty outbox (the outbox's table is replaced too). A bad image changes nothing.
  struct ImageLoaded {
    int64_t rev = 0;   // continue with GET /sync?since=rev
    int64_t rows = 0;  // records the image brought
  };
  Result<ImageLoaded> load_image(std::string_view image);

  // Which records changed since a reader's mark (record_journal.h): a list re-reads only those rows.
  const RecordJournal& journal() const { return *journal_; }

 private:
  explicit LocalCache(std::unique_ptr<Database> db);
  // Before db_, so that it outlives the connection whose watcher writes to it.
  std::unique_ptr<RecordJournal> journal_ = std::make_unique<RecordJournal>();
  std::unique_ptr<Database> db_;
  std::optional<nlohmann::json> settings_;
};

}  // namespace kehu::client
