#include "client_cache_helpers.h"

#include <doctest/doctest.h>

#include "core/query/list_query.h"
#include "core/schema/migrations.h"
#include "core/sync/sync_applier.h"
#include "core/sync/sync_reader.h"

namespace kehu::test {

using nlohmann::json;

std::unique_ptr<SqliteDatabase> open_client_cache() {
  SqliteOptions options;
  options.client_cache = true;
  options.wal = false;
  auto db = SqliteDatabase::open(":memory:", options);
  REQUIRE(db.ok());
  REQUIRE(migrate(**db).ok());
  return std::move(db.value());
}

int64_t pull_changes(Database& server, Database& cache, int64_t since, int limit) {
  for (;;) {
    auto batch = read_changes(server, Viewer::system(), since, limit);
    REQUIRE(batch.ok());
    json body = sync_batch_json(*batch);
    auto txn = Transaction::begin(cache, true);
    REQUIRE(txn.ok());
    REQUIRE(apply_sync_changes(cache, body["changes"]).ok());
    REQUIRE((*txn)->commit().ok());
    since = body["next"].get<int64_t>();
    if (!body["more"].get<bool>()) return since;
  }
}

json list_page(Database& db, const EntityDef& e, std::multimap<std::string, std::string> params) {
  auto q = parse_list_query(e, params, Viewer::system());
  REQUIRE(q.ok());
  auto page = run_list_query(db, e, *q);
  REQUIRE(page.ok());
  return page->items;
}

}  // namespace kehu::test
