// The cache's record journal over a real SQLite cache: what a list is told after a pull, an offline edit
// or a removal decides whether it re-reads 100,000 ids or a few rows, so "nothing moved" must never be
// said when a record was added or removed, and "unknown" must be said whenever the journal cannot know.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/sync/sync_applier.h"
#include "web/cache/local_cache.h"
#include "web/sync/outbox.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

std::unique_ptr<LocalCache> open_cache() {
  SqliteOptions options;
  options.wal = false;
  options.client_cache = true;  // as the client opens it: no foreign keys
  auto db = SqliteDatabase::open(":memory:", options);
  REQUIRE(db.ok());
  auto attached = LocalCache::attach(std::move(db.value()));
  REQUIRE(attached.ok());
  return std::move(*attached);
}

json customer(int64_t id, int64_t rev, const std::string& name) {
  return {{"id", id}, {"rev", rev}, {"code", "C" + std::to_string(100000 + id)}, {"name", name},
          {"created_at", "2026-11-20T01:00:00.000Z"}, {"updated_at", "2026-11-20T01:00:00.000Z"}};
}

bool names(const RecordChanges& c, std::vector<int64_t> ids) {
  auto got = c.changed;
  std::sort(got.begin(), got.end());
  std::sort(ids.begin(), ids.end());
  return got == ids;
}

}  // namespace

TEST_CASE("a pull that rewrites cached customers is a change in place; one that brings or removes a customer is not") {
  auto cache = open_cache();
  const auto& journal = cache->journal();
  for (int64_t id = 1; id <= 3; ++id) REQUIRE(store_server_record(cache->db(), customers_def(), customer(id, id, "客户" + std::to_string(id))).ok());

  // A sync page renames two customers (each replaced as delete + insert underneath) and one twice.
  uint64_t mark = journal.mark();
  REQUIRE(apply_sync_changes(cache->db(), json::array({{{"entity", "customers"}, {"id", 2}, {"row", customer(2, 10, "改名")}},
                                                        {{"entity", "customers"}, {"id", 3}, {"row", customer(3, 11, "再改")}},
                                                        {{"entity", "customers"}, {"id", 3}, {"row", customer(3, 12, "三改")}}}))
              .ok());
  RecordChanges changes = journal.changes_since(customers_def(), mark);
  CHECK(changes.complete);
  CHECK_FALSE(changes.added_or_removed);
  CHECK(names(changes, {2, 3}));
  CHECK_FALSE(changes.names_changed);
  // The contacts' list is not told of customers.
  CHECK(journal.changes_since(contacts_def(), mark).changed.empty());
  // Nothing since the new mark.
  CHECK(journal.changes_since(customers_def(), journal.mark()).changed.empty());

  // A new customer from the server.
  mark = journal.mark();
  REQUIRE(apply_sync_changes(cache->db(), json::array({{{"entity", "customers"}, {"id", 4}, {"row", customer(4, 13, "新客户")}}})).ok());
  CHECK(journal.changes_since(customers_def(), mark).added_or_removed);

  // A customer removed (deleted on the server, or reassigned away from this user).
  mark = journal.mark();
  REQUIRE(apply_sync_changes(cache->db(), json::array({{{"entity", "customers"}, {"id", 1}, {"deleted", true}}})).ok());
  CHECK(journal.changes_since(customers_def(), mark).added_or_removed);

  // A record created offline, and its replacement by the server's id when the server answers.
  mark = journal.mark();
  Outbox outbox(*cache);
  auto made = outbox.create(customers_def(), {{"name", "离线新建"}}, "2026-11-21T03:00:00.000Z", 1);
  INFO((made.ok() ? std::string() : made.error().message.en));
  REQUIRE(made.ok());
  CHECK(journal.changes_since(customers_def(), mark).added_or_removed);

  // An offline edit of a cached customer changes it in place.
  mark = journal.mark();
  REQUIRE(outbox.update(customers_def(), 2, {{"name", "离线改名"}}, 10, "2026-11-21T03:00:00.000Z", 1).ok());
  changes = journal.changes_since(customers_def(), mark);
  CHECK(changes.complete);
  CHECK_FALSE(changes.added_or_removed);
  CHECK(names(changes, {2}));
}

TEST_CASE("a directory or settings change tells lists that names may read differently") {
  auto cache = open_cache();
  const uint64_t mark = cache->journal().mark();
  auto applied = apply_sync_changes(cache->db(), json::array({{{"entity", "directory"}, {"id", 7}, {"rev", 3}, {"row", json::object({{"display_name", "王芳"}, {"role", "sales"}})}}}));
  INFO((applied.ok() ? std::string() : applied.error().message.en));
  REQUIRE(applied.ok());
  RecordChanges changes = cache->journal().changes_since(customers_def(), mark);
  CHECK(changes.complete);
  CHECK(changes.names_changed);
  CHECK_FALSE(changes.added_or_removed);
}

TEST_CASE("what the journal cannot know is answered incomplete") {
  auto cache = open_cache();
  const auto& journal = cache->journal();
  REQUIRE(store_server_record(cache->db(), customers_def(), customer(1, 1, "客户")).ok());

  SUBCASE("the synced rows cleared (a sync answered reset)") {
    const uint64_t mark = journal.mark();
    REQUIRE(cache->clear_synced().ok());
    CHECK_FALSE(journal.changes_since(customers_def(), mark).complete);
    CHECK(journal.changes_since(customers_def(), journal.mark()).complete);
  }
  SUBCASE("more writes than the journal keeps") {
    const uint64_t mark = journal.mark();
    for (size_t i = 0; i <= RecordJournal::kMaxEntries; ++i)
      REQUIRE(store_server_record(cache->db(), customers_def(), customer(1, static_cast<int64_t>(i) + 2, "客户")).ok());
    CHECK_FALSE(journal.changes_since(customers_def(), mark).complete);
    // A reader that kept up is still answered exactly.
    const uint64_t recent = journal.mark();
    REQUIRE(store_server_record(cache->db(), customers_def(), customer(1, 999999, "客户")).ok());
    CHECK(journal.changes_since(customers_def(), recent).complete);
  }
  SUBCASE("a mark taken from another cache (the previous session's)") {
    const uint64_t mark = journal.mark();
    auto next = open_cache();
    CHECK_FALSE(next->journal().changes_since(customers_def(), mark).complete);
  }
}
