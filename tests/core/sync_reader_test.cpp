#include <doctest/doctest.h>

#include "core/sync/sync_reader.h"
#include "core/users/user_store.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

TEST_CASE("changes come in rev order, once per row, with removals") {
  test::TestDb t;
  json a = t.create(customers_def(), {{"name", "甲"}});
  json b = t.create(customers_def(), {{"name", "乙"}});
  json p = t.create(contacts_def(), {{"name", "张三"}, {"customer_id", a["id"]}});
  REQUIRE(t.try_update(customers_def(), a["id"], {{"level", "A"}}, a["rev"]).ok());
  REQUIRE(t.try_delete(customers_def(), b["id"]).ok());

  auto batch = read_changes(t.db(), Viewer::system(), 0, 100);
  REQUIRE(batch.ok());
  CHECK_FALSE(batch->more);
  REQUIRE(batch->changes.size() == 3);  // a (latest state), p, b's removal
  CHECK(batch->changes[0].entity == "contacts");
  CHECK(batch->changes[1].entity == "customers");
  CHECK(batch->changes[1].row["level"] == "A");
  CHECK(batch->changes[2].deleted);
  CHECK(batch->changes[2].id == b["id"].get<int64_t>());
  CHECK(batch->changes[2].row.is_null());
  for (size_t i = 1; i < batch->changes.size(); ++i) CHECK(batch->changes[i - 1].rev <= batch->changes[i].rev);
  CHECK(batch->next == batch->changes.back().rev);

  auto after = read_changes(t.db(), Viewer::system(), batch->next, 100);
  REQUIRE(after.ok());
  CHECK(after->changes.empty());
  CHECK(after->next == batch->next);
}

TEST_CASE("a batch ends on a rev boundary; a transaction bigger than the limit comes whole") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "大客户"}});                          // rev 1
  for (int i = 0; i < 4; ++i) t.create(contacts_def(), {{"name", "联系人" + std::to_string(i)}, {"customer_id", c["id"]}});  // revs 2-5
  // One transaction with 5 rows (rev 6): delete the customer and its 4 contacts.
  REQUIRE(t.try_delete(customers_def(), c["id"]).ok());
  t.create(customers_def(), {{"name", "后来的"}});                                  // rev 7

  std::vector<SyncChange> all;
  int64_t since = 0;
  int batches = 0;
  for (;;) {
    auto b = read_changes(t.db(), Viewer::system(), since, 3);
    REQUIRE(b.ok());
    ++batches;
    REQUIRE_FALSE(b->changes.empty());
    // Every rev in this batch is complete: the next batch starts with a higher rev.
    auto peek = read_changes(t.db(), Viewer::system(), b->next, 1000);
    for (const auto& ch : peek->changes) CHECK(ch.rev > b->changes.back().rev);
    all.insert(all.end(), b->changes.begin(), b->changes.end());
    since = b->next;
    if (!b->more) break;
    REQUIRE(batches < 10);
  }
  int rev6 = 0;
  for (const auto& ch : all) rev6 += ch.rev == 6;
  CHECK(rev6 == 5);
  CHECK(all.back().rev == 7);
}

TEST_CASE("the directory carries public user fields only") {
  test::TestDb t;
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto u = create_user(**txn, NewUser{"zhang", "张经理", "zhang@example.com", "manager"}, "$argon2id$secret");
  REQUIRE(u.ok());
  REQUIRE((*txn)->commit().ok());
  auto b = read_changes(t.db(), Viewer::system(), 0, 10);
  REQUIRE(b->changes.size() == 1);
  CHECK(b->changes[0].entity == "directory");
  CHECK(b->changes[0].row["display_name"] == "张经理");
  CHECK(b->changes[0].row.dump().find("argon2") == std::string::npos);
  CHECK_FALSE(b->changes[0].row.contains("email"));
}
