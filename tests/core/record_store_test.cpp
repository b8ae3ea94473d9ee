#include <doctest/doctest.h>

#include "core/entity/entity_def.h"
#include "core/rules/customer_rules.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

TEST_CASE("create assigns id, code, rev and timestamps; get reads it back") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "上海鑫源贸易有限公司"}, {"phone", "021-5555 0001"}, {"tags", {"华东"}}});
  CHECK(c["id"].get<int64_t>() > 0);
  CHECK(c["code"] == "C000001");
  CHECK(c["rev"] == 1);
  CHECK(c["created_at"] == "2025-11-22T08:26:40.000Z");
  CHECK(c["tags"] == json({"华东"}));
  CHECK(c["custom"] == json::object());
  json c2 = t.create(customers_def(), {{"name", "第二家"}});
  CHECK(c2["code"] == "C000002");
  CHECK(c2["rev"] == 2);
  auto got = get_record(t.db(), customers_def(), c["id"].get<int64_t>());
  REQUIRE(got.ok());
  CHECK(*got == c);
  CHECK(t.count("SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'customers'") == 2);
}

TEST_CASE("a code already in use is a field error; an auto code skips codes taken by hand") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "甲"}, {"code", "C000001"}});
  auto dup = t.try_create(customers_def(), {{"name", "乙"}, {"code", "C000001"}});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::validation);
  CHECK(dup.error().fields.count("code") == 1);
  json auto_coded = t.create(customers_def(), {{"name", "丙"}});
  CHECK(auto_coded["code"] == "C000002");
}

TEST_CASE("update checks rev, merges fields, bumps rev and audits the change") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "杭州云栖科技"}, {"level", "B"}});
  int64_t id = c["id"];
  t.clock().advance_ms(1000);
  auto u = t.try_update(customers_def(), id, {{"level", "A"}}, c["rev"]);
  REQUIRE(u.ok());
  CHECK((*u)["level"] == "A");
  CHECK((*u)["name"] == "杭州云栖科技");
  CHECK((*u)["rev"].get<int64_t>() > c["rev"].get<int64_t>());
  CHECK((*u)["updated_at"] == "2025-11-22T08:26:41.000Z");
  CHECK((*u)["created_at"] == c["created_at"]);
  CHECK(t.count("SELECT count(*) FROM audit WHERE action = 'update' AND changes = '{\"level\":[\"B\",\"A\"]}'") == 1);

  SUBCASE("a stale rev is a conflict and changes nothing") {
    auto stale = t.try_update(customers_def(), id, {{"level", "C"}}, c["rev"]);
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.error().code == ErrorCode::conflict);
    CHECK((*get_record(t.db(), customers_def(), id))["level"] == "A");
  }
  SUBCASE("a patch that changes nothing writes nothing") {
    int64_t rev_before = t.count("SELECT value FROM meta WHERE key = 'rev'");
    auto same = t.try_update(customers_def(), id, {{"level", "A"}}, (*u)["rev"]);
    REQUIRE(same.ok());
    CHECK(t.count("SELECT value FROM meta WHERE key = 'rev'") == rev_before);
  }
  SUBCASE("server-maintained fields cannot be written") {
    auto r = t.try_update(customers_def(), id, {{"last_order_at", "2025-01-01T00:00:00Z"}}, (*u)["rev"]);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().fields.count("last_order_at") == 1);
  }
}

TEST_CASE("references must exist") {
  test::TestDb t;
  auto r = t.try_create(contacts_def(), {{"name", "张三"}, {"customer_id", 999}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.at("customer_id").zh == "所选客户不存在");
  auto owner = t.try_create(customers_def(), {{"name", "无主"}, {"owner_id", 42}});
  REQUIRE_FALSE(owner.ok());
  CHECK(owner.error().fields.count("owner_id") == 1);
  CHECK(t.count("SELECT count(*) FROM customers") == 0);
  CHECK(t.count("SELECT value FROM meta WHERE key = 'rev'") == 0);
}

TEST_CASE("deleting a customer removes its contacts, all in one rev, leaving tombstones") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "广州白云电子"}});
  json p1 = t.create(contacts_def(), {{"name", "李四"}, {"customer_id", c["id"]}});
  json p2 = t.create(contacts_def(), {{"name", "王五"}, {"customer_id", c["id"]}});
  REQUIRE(t.try_delete(customers_def(), c["id"]).ok());
  CHECK(t.count("SELECT count(*) FROM customers") == 0);
  CHECK(t.count("SELECT count(*) FROM contacts") == 0);
  CHECK(t.count("SELECT count(*) FROM tombstones") == 3);
  CHECK(t.count("SELECT count(DISTINCT rev) FROM tombstones") == 1);
  CHECK(t.count("SELECT count(*) FROM customers_tri") == 0);
  auto gone = get_record(t.db(), customers_def(), c["id"]);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ErrorCode::not_found);
  CHECK(t.try_delete(customers_def(), c["id"]).error().code == ErrorCode::not_found);
  // Ids are never reused, so a tombstone keeps meaning one record.
  json next = t.create(customers_def(), {{"name", "新客户"}});
  CHECK(next["id"].get<int64_t>() > c["id"].get<int64_t>());
}

TEST_CASE("duplicate guard: same phone, or same name for non-individuals") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "深圳前海科技有限公司"}, {"phone", "0755-8888 0000"}, {"type", "enterprise"}});
  auto by_phone = t.try_create(customers_def(), {{"name", "别的名字"}, {"phone", "(0755) 88880000"}});
  REQUIRE_FALSE(by_phone.ok());
  CHECK(by_phone.error().code == ErrorCode::duplicate);
  CHECK(by_phone.error().message.zh.find("公海") != std::string::npos);  // no owner: the pool
  auto by_name = t.try_create(customers_def(), {{"name", "深圳前海科技有限公司"}, {"type", "partner"}});
  CHECK(by_name.error().code == ErrorCode::duplicate);
  // Two people called 张伟 are normal.
  t.create(customers_def(), {{"name", "张伟"}, {"type", "individual"}});
  CHECK(t.try_create(customers_def(), {{"name", "张伟"}, {"type", "individual"}}).ok());
  // A forced override goes through and is audited.
  auto forced = t.try_create(customers_def(), {{"name", "深圳前海科技有限公司"}}, WriteOptions{true});
  REQUIRE(forced.ok());
  CHECK(t.count("SELECT count(*) FROM audit WHERE action = 'override'") == 1);
}

TEST_CASE("find_customer_duplicate names the other customer, never the record itself") {
  test::TestDb t;
  json pooled = t.create(customers_def(), {{"name", "杭州西溪数据"}, {"phone", "0571-8888 1234"}});
  // What a form holds: the phone typed another way finds it, with no owner (the pool).
  auto found = find_customer_duplicate(t.db(), {{"name", "别的名字"}, {"phone", "0571 88881234"}}, 0);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->id == pooled["id"].get<int64_t>());
  CHECK((*found)->pool);
  // The record compared with itself (an edit) is no duplicate; nor is a person of the same name.
  auto self = find_customer_duplicate(t.db(), pooled, pooled["id"].get<int64_t>());
  REQUIRE(self.ok());
  CHECK_FALSE(self->has_value());
  auto person = find_customer_duplicate(t.db(), {{"name", "杭州西溪数据"}, {"type", "individual"}}, 0);
  REQUIRE(person.ok());
  CHECK_FALSE(person->has_value());
  // No name or phone to compare (a half-typed form): nothing found, no error.
  auto empty = find_customer_duplicate(t.db(), json::object(), 0);
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->has_value());
}

TEST_CASE("codes typed by hand in the C series do not block automatic numbering") {
  test::TestDb t;
  for (int i = 1; i <= 5; ++i) t.create(customers_def(), {{"name", "手工" + std::to_string(i)}, {"code", "C00000" + std::to_string(i)}});
  json next = t.create(customers_def(), {{"name", "自动编号"}});
  CHECK(next["code"] == "C000006");
}

TEST_CASE("a forced duplicate can still be edited without force when name, phone and type stay") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "重复公司"}, {"phone", "021-1234 5678"}});
  json forced = t.create(customers_def(), {{"name", "重复公司"}, {"phone", "021-1234 5678"}}, WriteOptions{true});
  auto notes = t.try_update(customers_def(), forced["id"], {{"notes", "只改备注"}}, forced["rev"]);
  REQUIRE(notes.ok());
  auto rename = t.try_update(customers_def(), forced["id"], {{"name", "重复公司"}, {"phone", "021-12345678"}}, (*notes)["rev"]);
  REQUIRE(rename.ok());  // same normalized phone and name: nothing that identifies it changed
  auto retype = t.try_update(customers_def(), forced["id"], {{"type", "partner"}}, (*rename)["rev"]);
  REQUIRE_FALSE(retype.ok());
  CHECK(retype.error().code == ErrorCode::duplicate);
}
