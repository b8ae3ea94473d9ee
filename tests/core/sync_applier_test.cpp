#include <doctest/doctest.h>

#include "core/query/list_query.h"
#include "core/schema/migrations.h"
#include "core/sync/sync_applier.h"
#include "core/sync/sync_reader.h"
#include "core/users/user_store.h"
#include "client_cache_helpers.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

using test::list_page;
using test::open_client_cache;
using test::pull_changes;

TEST_CASE("a cache filled by sync answers list and search queries exactly as the server") {
  test::TestDb server;
  std::vector<json> made;
  const char* names[] = {"北京华夏科技有限公司", "上海科技发展", "鑫源贸易", "吉祥 𠮷 物流", "Acme Trading", "华夏银行"};
  for (const char* n : names) made.push_back(server.create(customers_def(), {{"name", n}, {"phone", "138 0013 800" + std::to_string(made.size())}}));
  server.create(contacts_def(), {{"name", "张伟"}, {"customer_id", made[0]["id"]}});
  auto cache = open_client_cache();
  int64_t next = pull_changes(server.db(), *cache, 0, 2);

  for (const char* q : {"科技", "华夏", "鑫", "𠮷", "acme", "华夏科技有限", "13800138002"}) {
    CAPTURE(q);
    CHECK(list_page(*cache, customers_def(), {{"q", q}}) == list_page(server.db(), customers_def(), {{"q", q}}));
  }
  CHECK(list_page(*cache, customers_def(), {{"sort", "name"}}) == list_page(server.db(), customers_def(), {{"sort", "name"}}));
  CHECK(list_page(*cache, contacts_def(), {}) == list_page(server.db(), contacts_def(), {}));

  SUBCASE("edits and deletions on the server reach the cache, and the index follows") {
    REQUIRE(server.try_update(customers_def(), made[1]["id"], {{"name", "上海贸易发展"}}, made[1]["rev"]).ok());
    REQUIRE(server.try_delete(customers_def(), made[0]["id"]).ok());  // and its contact, in the same transaction
    pull_changes(server.db(), *cache, next, 100);
    CHECK(list_page(*cache, customers_def(), {{"q", "科技"}}).empty());
    CHECK(list_page(*cache, customers_def(), {{"q", "贸易"}}).size() == 2);
    CHECK(list_page(*cache, contacts_def(), {}).empty());
    CHECK(list_page(*cache, customers_def(), {}) == list_page(server.db(), customers_def(), {}));
  }
  SUBCASE("an edit that leaves the search text as it was keeps the index, and the next one that changes it rebuilds it") {
    // Notes are not searched: the cached row is replaced, its index entries kept.
    REQUIRE(server.try_update(customers_def(), made[1]["id"], {{"level", "A"}}, made[1]["rev"]).ok());
    next = pull_changes(server.db(), *cache, next, 100);
    for (const char* q : {"科技", "上海", "13800138001"}) {
      CAPTURE(q);
      CHECK(list_page(*cache, customers_def(), {{"q", q}}) == list_page(server.db(), customers_def(), {{"q", q}}));
    }
    CHECK(list_page(*cache, customers_def(), {}) == list_page(server.db(), customers_def(), {}));
    // Then the name: the old words are gone from the index, the new ones found.
    auto current = get_record(server.db(), customers_def(), made[1]["id"]);
    REQUIRE(current.ok());
    REQUIRE(server.try_update(customers_def(), made[1]["id"], {{"name", "深圳物流"}}, (*current)["rev"]).ok());
    pull_changes(server.db(), *cache, next, 100);
    CHECK(list_page(*cache, customers_def(), {{"q", "上海"}}).empty());
    CHECK(list_page(*cache, customers_def(), {{"q", "深圳"}}).size() == 1);
    CHECK(list_page(*cache, customers_def(), {{"q", "物流"}}) == list_page(server.db(), customers_def(), {{"q", "物流"}}));
  }
  SUBCASE("two customers swapping codes in one transaction land without a unique clash") {
    json a = made[2], b = made[3];
    {
      auto txn = WriteTxn::begin(server.db(), server.clock(), Actor{});
      REQUIRE(txn.ok());
      REQUIRE(update_record(**txn, customers_def(), a["id"], {{"code", "TMP"}}, a["rev"]).ok());
      REQUIRE(update_record(**txn, customers_def(), b["id"], {{"code", a["code"]}}, b["rev"]).ok());
      auto a2 = get_record(server.db(), customers_def(), a["id"]);
      REQUIRE(update_record(**txn, customers_def(), a["id"], {{"code", b["code"]}}, (*a2)["rev"]).ok());
      REQUIRE((*txn)->commit().ok());
    }
    pull_changes(server.db(), *cache, next, 100);
    CHECK(list_page(*cache, customers_def(), {}) == list_page(server.db(), customers_def(), {}));
  }
}

// Every id the server lists for `params`, page by page (limit 2), in order.
std::vector<int64_t> server_ids(Database& db, const EntityDef& e, std::multimap<std::string, std::string> params) {
  std::vector<int64_t> out;
  params.emplace("limit", "2");
  for (std::string cursor;;) {
    auto with_cursor = params;
    if (!cursor.empty()) with_cursor.emplace("cursor", cursor);
    auto q = parse_list_query(e, with_cursor, Viewer::system());
    REQUIRE(q.ok());
    auto page = run_list_query(db, e, *q);
    REQUIRE(page.ok());
    for (const auto& r : page->items) out.push_back(r["id"].get<int64_t>());
    if (page->next_cursor.empty()) return out;
    cursor = page->next_cursor;
  }
}

std::vector<int64_t> cache_ids(Database& db, const EntityDef& e, const std::multimap<std::string, std::string>& params) {
  auto q = parse_list_query(e, params, Viewer::system());
  REQUIRE(q.ok());
  auto ids = list_ids(db, e, *q, 1000);
  REQUIRE(ids.ok());
  return *ids;
}

TEST_CASE("list_ids gives every id the server lists, in the same order") {
  test::TestDb server;
  const char* names[] = {"北京华夏科技有限公司", "上海科技发展", "鑫源贸易", "吉祥 𠮷 物流", "Acme Trading", "华夏银行",
                         "深圳华夏科技", "Acme 科技"};
  int i = 0;
  for (const char* n : names)
    server.create(customers_def(), {{"name", n}, {"level", i++ % 2 ? "A" : "B"}});
  auto cache = open_client_cache();
  pull_changes(server.db(), *cache, 0, 100);
  using Params = std::multimap<std::string, std::string>;
  // A search alone in id order (the FTS-only path), mixed terms, filters, other sorts, and none.
  for (const Params& params : {Params{{"q", "华夏"}}, Params{{"q", "华夏"}, {"sort", "id"}}, Params{{"q", "华夏科技"}},
                               Params{{"q", "acme"}}, Params{{"q", "acme 科技"}}, Params{{"q", "科技"}, {"level", "A"}},
                               Params{{"q", "科技"}, {"sort", "name"}}, Params{{"q", "𠮷"}}, Params{{"q", "无此"}},
                               Params{}, Params{{"sort", "-updated_at"}}}) {
    std::string shown;
    for (const auto& [k, v] : params) shown += k + "=" + v + " ";
    CAPTURE(shown);
    CHECK(cache_ids(*cache, customers_def(), params) == server_ids(server.db(), customers_def(), params));
  }
  auto huaxia = cache_ids(*cache, customers_def(), {{"q", "华夏"}});
  CHECK(huaxia.size() == 3);
}

TEST_CASE("directory entries keep public fields only, and bad batches change nothing") {
  test::TestDb server;
  auto cache = open_client_cache();
  {
    auto txn = WriteTxn::begin(server.db(), server.clock(), Actor{});
    REQUIRE(txn.ok());
    REQUIRE(create_user(**txn, {"lisi", "李四", "li@example.com", "sales"}, "hash").ok());
    REQUIRE((*txn)->commit().ok());
  }
  pull_changes(server.db(), *cache, 0, 10);
  CHECK(cache->query_int("SELECT count(*) FROM users WHERE display_name = '李四' AND role = 'sales' AND password_hash IS NULL")
            .value() == std::optional<int64_t>(1));

  auto txn = Transaction::begin(*cache, true);
  REQUIRE(txn.ok());
  json bad = json::array({json{{"entity", "customers"}, {"id", 9}, {"rev", 3}, {"row", {{"id", 9}, {"rev", 3}, {"name", "半个"}, {"code", "X"}, {"created_at", "2026-01-01T00:00:00.000Z"}, {"updated_at", "2026-01-01T00:00:00.000Z"}}}},
                          json{{"entity", "customers"}, {"rev", 3}}});
  auto applied = apply_sync_changes(*cache, bad);
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().code == ErrorCode::bad_request);
  txn->reset();  // rolls back
  CHECK(cache->query_int("SELECT count(*) FROM customers").value() == std::optional<int64_t>(0));

  json unknown = json::array({json{{"entity", "spaceships"}, {"id", 1}, {"rev", 4}, {"row", json::object()}}});
  auto skipped = apply_sync_changes(*cache, unknown);
  REQUIRE(skipped.ok());
  CHECK(skipped->skipped == 1);
}

// A sync answer comes over the network: a change or row whose field has the wrong JSON type (a number
// for text, text for a rev or a flag) is a malformed answer, ErrorCode::bad_request like a missing id,
// never an exception out of core that would end the client's sync loop. The caller rolls the batch back.
TEST_CASE("a wrongly typed field in a sync answer is a bad request, not an exception") {
  auto cache = open_client_cache();
  const json row = {{"id", 9}, {"rev", 3}, {"name", "半个"}, {"code", "X"}, {"owner_id", nullptr}, {"tags", {"重点"}},
                    {"created_at", "2026-01-01T00:00:00.000Z"}, {"updated_at", "2026-01-01T00:00:00.000Z"}};
  const json good = {{"entity", "customers"}, {"id", 9}, {"rev", 3}, {"row", row}};
  // What apply_sync_changes made of one change alone: "applied", "refused" (bad_request) or what it threw.
  auto outcome = [&](const json& change) -> std::string {
    auto txn = Transaction::begin(*cache, true);
    REQUIRE(txn.ok());
    std::string what;
    try {
      auto applied = apply_sync_changes(*cache, json::array({change}));
      what = applied.ok() ? "applied" : applied.error().code == ErrorCode::bad_request ? "refused" : "another error";
    } catch (const std::exception& e) {
      what = std::string("threw: ") + e.what();
    }
    txn->reset();  // rolls back
    return what;
  };
  CHECK(outcome(good) == "applied");  // the row the bad ones are made from is a good one

  std::vector<std::pair<std::string, json>> bad;
  for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
           {"name", 5}, {"code", true}, {"owner_id", "7"}, {"owner_id", 1.5}}) {
    json change = good;
    change["row"][field] = value;
    bad.emplace_back("row." + field + " = " + value.dump(), change);
  }
  json contact = {{"entity", "contacts"}, {"id", 4}, {"rev", 3},
                  {"row", {{"id", 4}, {"rev", 3}, {"name", "张伟"}, {"customer_id", 9}, {"is_primary", "yes"}}}};
  bad.emplace_back("contacts row.is_primary = \"yes\"", contact);
  bad.emplace_back("deleted = \"yes\"", json{{"entity", "customers"}, {"id", 9}, {"deleted", "yes"}});
  bad.emplace_back("rev = \"4\" (settings)", json{{"entity", "settings"}, {"id", 1}, {"rev", "4"}, {"row", json::object()}});
  bad.emplace_back("rev = \"4\" (directory)", json{{"entity", "directory"}, {"id", 2}, {"rev", "4"}, {"row", {{"display_name", "李四"}}}});
  bad.emplace_back("directory active = \"no\"",
                   json{{"entity", "directory"}, {"id", 2}, {"rev", 1}, {"row", {{"display_name", "李四"}, {"active", "no"}}}});
  for (const auto& item : bad) {  // no structured binding: em++ refuses one captured by CAPTURE's lambda
    const std::string& what = item.first;
    CAPTURE(what);
    CHECK(outcome(item.second) == "refused");
  }
  CHECK(cache->query_int("SELECT count(*) FROM customers").value() == std::optional<int64_t>(0));
  CHECK(cache->query_int("SELECT count(*) FROM users").value() == std::optional<int64_t>(0));
}
