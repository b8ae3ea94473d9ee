// Every write, failed at each of its database operations in turn, leaves the database exactly as it was:
// no row, rev, tombstone, audit entry or search entry of a half-done write survives.
#include <doctest/doctest.h>

#include <functional>

#include "core/query/list_query.h"
#include "failing_database.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

namespace {

// Everything a write touches, as one comparable value.
json state(test::TestDb& t) {
  json s = json::object();
  for (const char* sql :
       {"SELECT value FROM meta WHERE key = 'rev'", "SELECT value FROM meta WHERE key = 'customer_code_seq'",
        "SELECT count(*) FROM customers", "SELECT count(*) FROM contacts", "SELECT count(*) FROM tombstones",
        "SELECT count(*) FROM audit", "SELECT count(*) FROM customers_tri", "SELECT count(*) FROM customers_ngram",
        "SELECT count(*) FROM contacts_tri", "SELECT total(rev) FROM customers", "SELECT total(rev) FROM contacts"}) {
    s[sql] = t.count(sql);
  }
  auto names = t.db().prepare("SELECT group_concat(id || ':' || name || ':' || coalesce(level, '-'), ',') FROM customers");
  REQUIRE(names.ok());
  REQUIRE((*names)->step().value());
  s["customers"] = std::string((*names)->column_text(0));
  return s;
}

int64_t found(test::TestDb& t, const std::string& q) {
  auto query = parse_list_query(customers_def(), {{"q", q}}, Viewer::system());
  REQUIRE(query.ok());
  auto page = run_list_query(t.db(), customers_def(), *query);
  REQUIRE(page.ok());
  return page->total;
}

// Runs `write` against a database failing at operation 1, 2, 3, ... until it succeeds; after each failure
// the state must equal the state before. Returns how many operations the write took.
int run_failure_points(test::TestDb& t, const std::function<Status(Database&, const Clock&)>& write) {
  json before = state(t);
  for (int fail_at = 1; fail_at < 500; ++fail_at) {
    test::FailingDatabase db(t.db(), fail_at);
    Status s = write(db, t.clock());
    if (!db.injected()) {
      REQUIRE(s.ok());
      CHECK(state(t) != before);
      return fail_at - 1;
    }
    INFO("failed at operation " << fail_at);
    CHECK_FALSE(s.ok());
    CHECK(state(t) == before);
  }
  FAIL("the write never finished");
  return 0;
}

Status create_customer(Database& db, const Clock& clock, const json& input) {
  auto txn = WriteTxn::begin(db, clock, Actor{});
  if (!txn.ok()) return txn.take_error();
  auto r = create_record(**txn, customers_def(), input);
  if (!r.ok()) return r.take_error();
  return (*txn)->commit();
}

}  // namespace

TEST_CASE("creating a customer fails cleanly at every step") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "已有客户"}});
  int ops = run_failure_points(t, [](Database& db, const Clock& clock) {
    return create_customer(db, clock, {{"name", "北京故障注入科技"}, {"tags", {"测试"}}, {"phone", "010-5555 0000"}});
  });
  CHECK(ops > 10);
  CHECK(found(t, "故障") == 1);
  CHECK(found(t, "障") == 1);
}

TEST_CASE("updating a customer fails cleanly at every step") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "更新前的名字"}, {"level", "B"}});
  run_failure_points(t, [&](Database& db, const Clock& clock) -> Status {
    auto txn = WriteTxn::begin(db, clock, Actor{});
    if (!txn.ok()) return txn.take_error();
    auto r = update_record(**txn, customers_def(), c["id"], {{"name", "更新后的名字"}, {"level", "A"}}, c["rev"]);
    if (!r.ok()) return r.take_error();
    return (*txn)->commit();
  });
  CHECK(found(t, "更新后") == 1);
  CHECK(found(t, "更新前") == 0);
}

TEST_CASE("deleting a customer with contacts fails cleanly at every step") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "将被删除的客户"}});
  for (const char* n : {"甲", "乙", "丙"}) t.create(contacts_def(), {{"name", n}, {"customer_id", c["id"]}});
  run_failure_points(t, [&](Database& db, const Clock& clock) -> Status {
    auto txn = WriteTxn::begin(db, clock, Actor{});
    if (!txn.ok()) return txn.take_error();
    KEHU_TRY(delete_record(**txn, customers_def(), c["id"]));
    return (*txn)->commit();
  });
  CHECK(t.count("SELECT count(*) FROM contacts") == 0);
  CHECK(t.count("SELECT count(*) FROM tombstones") == 4);
  CHECK(found(t, "删除") == 0);
}
