#include <doctest/doctest.h>

#include <set>

#include "core/query/list_query.h"
#include "core/search/search_index.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;
using Params = std::multimap<std::string, std::string>;

namespace {

ListPage list(test::TestDb& t, const Params& params, const EntityDef& e = customers_def()) {
  auto q = parse_list_query(e, params, Viewer::system());
  if (!q.ok()) FAIL("parse failed: " << q.error().message.en);
  auto page = run_list_query(t.db(), e, *q);
  REQUIRE(page.ok());
  return *page;
}

std::vector<int64_t> ids(const ListPage& p) {
  std::vector<int64_t> out;
  for (const auto& i : p.items) out.push_back(i["id"].get<int64_t>());
  return out;
}

Error parse_error(const Params& params) {
  auto q = parse_list_query(customers_def(), params, Viewer::system());
  REQUIRE_FALSE(q.ok());
  return q.error();
}

}  // namespace

TEST_CASE("filters by every customer field the SPEC names") {
  test::TestDb t;
  REQUIRE(t.db().run("INSERT INTO users (rev, created_at, updated_at, username, display_name, role) VALUES (1,'x','x','li','李销售','sales')").ok());
  t.put_settings({{"custom_fields", {{"customers", {{{"key", "vip"}, {"zh", "会员等级"}, {"en", "VIP tier"}, {"type", "text"}}}}}}});
  t.create(customers_def(), {{"name", "甲"}, {"type", "enterprise"}, {"source", "website"}, {"level", "A"}, {"status", "active"},
                             {"region", "北京"}, {"owner_id", 1}, {"tags", {"重点"}}, {"custom", {{"vip", "gold"}}}, {"code", "K1"}});
  t.clock().advance_ms(86400000LL * 3);
  t.create(customers_def(), {{"name", "乙"}, {"type", "government"}, {"source", "referral"}, {"level", "B"}, {"status", "prospect"},
                             {"region", "上海"}, {"code", "K2"}});
  CHECK(list(t, {{"type", "enterprise"}}).total == 1);
  CHECK(list(t, {{"type", "enterprise,government"}}).total == 2);
  CHECK(list(t, {{"source", "referral"}}).total == 1);
  CHECK(list(t, {{"level", "A"}}).total == 1);
  CHECK(list(t, {{"status", "prospect"}}).total == 1);
  CHECK(list(t, {{"region", "上海"}}).total == 1);
  CHECK(list(t, {{"owner_id", "1"}}).total == 1);
  CHECK(list(t, {{"owner_id", "null"}}).items[0]["name"] == "乙");  // the pool
  CHECK(list(t, {{"owner_id", "1,2"}}).total == 1);                // any of several
  CHECK(list(t, {{"owner_id", "2,null"}}).items[0]["name"] == "乙");
  CHECK(list(t, {{"owner_id", "1,null"}}).total == 2);
  CHECK(list(t, {{"owner_id", "2,3"}}).total == 0);
  CHECK(list(t, {{"tag", "重点"}}).total == 1);
  CHECK(list(t, {{"custom.vip", "gold"}}).total == 1);
  CHECK(list(t, {{"code", "K2"}}).total == 1);
  CHECK(list(t, {{"name", "甲"}}).total == 1);
  CHECK(list(t, {{"created_at_from", "2025-11-23"}}).items[0]["name"] == "乙");
  CHECK(list(t, {{"created_at_to", "2025-11-22"}}).items[0]["name"] == "甲");  // the whole day included
  CHECK(list(t, {{"created_at_from", "2025-11-22"}, {"created_at_to", "2025-11-25"}}).total == 2);
  CHECK(list(t, {{"level", "A"}, {"region", "上海"}}).total == 0);
}

TEST_CASE("sorting by any sortable column, ascending and descending") {
  test::TestDb t;
  for (const char* n : {"b", "a", "d", "c"}) t.create(customers_def(), {{"name", n}});
  auto asc = list(t, {{"sort", "name"}});
  CHECK(asc.items[0]["name"] == "a");
  CHECK(asc.items[3]["name"] == "d");
  auto desc = list(t, {{"sort", "-name"}});
  CHECK(desc.items[0]["name"] == "d");
  CHECK(ids(list(t, {})) == std::vector<int64_t>{4, 3, 2, 1});  // newest first by default
  CHECK(ids(list(t, {{"sort", "id"}})) == std::vector<int64_t>{1, 2, 3, 4});
}

TEST_CASE("keyset pages cover every row once, even while rows are inserted") {
  test::TestDb t;
  for (int i = 0; i < 23; ++i) t.create(customers_def(), {{"name", "客户" + std::to_string(i % 7)}, {"type", "individual"},
                               {"region", i % 3 ? json("华北") : json(nullptr)}});
  for (std::string sort : {"id", "-id", "name", "-name", "region", "-region", "created_at"}) {
    INFO(sort);
    std::set<int64_t> seen;
    std::string cursor;
    int pages = 0;
    for (;;) {
      Params p = {{"sort", sort}, {"limit", "5"}};
      if (!cursor.empty()) p.insert({"cursor", cursor});
      auto page = list(t, p);
      for (auto id : ids(page)) CHECK(seen.insert(id).second);
      if (pages == 1) {  // a colleague adds customers while we page
        t.create(customers_def(), {{"name", "客户0"}, {"type", "individual"}, {"region", "华北"}});
      }
      ++pages;
      if (page.next_cursor.empty()) break;
      cursor = page.next_cursor;
      REQUIRE(pages < 20);
    }
    CHECK(seen.size() >= 23);  // every row that existed at the start was seen exactly once
    for (int64_t id = 1; id <= 23; ++id) CHECK(seen.count(id) == 1);
  }
}

TEST_CASE("search pages by cursor too") {
  test::TestDb t;
  for (int i = 0; i < 12; ++i) t.create(customers_def(), {{"name", "华夏分公司" + std::to_string(i)}});
  t.create(customers_def(), {{"name", "无关"}});
  std::set<int64_t> seen;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    Params p = {{"q", "华夏"}, {"limit", "5"}};
    if (!cursor.empty()) p.insert({"cursor", cursor});
    auto page = list(t, p);
    CHECK(page.total == 12);
    for (auto id : ids(page)) seen.insert(id);
    if (page.next_cursor.empty()) break;
    cursor = page.next_cursor;
  }
  CHECK(seen.size() == 12);
}

TEST_CASE("total stops counting at 10,000") {
  test::TestDb t;
  REQUIRE(t.db().exec("BEGIN").ok());
  auto st = t.db().prepare("INSERT INTO customers (rev, created_at, updated_at, code, name) VALUES (1, 'x', 'x', ?1, 'n')");
  REQUIRE(st.ok());
  for (int i = 0; i < 10050; ++i) {
    (*st)->bind(1, std::string("Z") + std::to_string(i));
    auto done = (*st)->run();
    if (!done.ok()) FAIL(done.error().message.en);
  }
  st->reset();
  REQUIRE(t.db().exec("COMMIT").ok());
  auto page = list(t, {{"limit", "3"}});
  CHECK(page.total == 10000);
  CHECK_FALSE(page.total_exact);
  CHECK(page.items.size() == 3);
  auto exact = list(t, {{"code", "Z17"}});
  CHECK(exact.total == 1);
  CHECK(exact.total_exact);
}

TEST_CASE("a scoped search that sees few of many matches counts among the first 10,000 and says the total is a floor") {
  test::TestDb t;
  REQUIRE(t.db().run("INSERT INTO users (id, rev, created_at, updated_at, username, display_name, role) VALUES (7,1,'x','x','rep','R','sales'), (8,1,'x','x','other','O','sales')").ok());
  REQUIRE(t.db().exec("BEGIN").ok());
  // 10,050 customers named 华夏…, indexed as the write path would; the rep owns every 500th; the rest are
  // other reps'.
  bool written = true;
  for (int i = 0; i < 10050 && written; ++i) {
    json c = {{"code", "H" + std::to_string(i)}, {"name", "华夏" + std::to_string(i)}, {"owner_id", i % 500 == 0 ? 7 : 8}};
    written = insert_record_row(t.db(), customers_def(), {{"rev", 1}, {"created_at", "x"}, {"updated_at", "x"}}, c).ok() &&
              index_new_record(t.db(), customers_def(), t.db().last_insert_rowid(), c).ok();
  }
  REQUIRE(written);
  REQUIRE(t.db().exec("COMMIT").ok());
  const Viewer rep{7, "sales", std::nullopt};
  auto query = parse_list_query(customers_def(), {{"q", "华夏"}}, rep);
  REQUIRE(query.ok());
  auto page = run_list_query(t.db(), customers_def(), *query);
  REQUIRE(page.ok());
  // 20 of the rep's are among the first 10,000 matches (ids 1..10,000); the page itself holds all 21, and
  // a total is never less than what the page shows.
  CHECK(page->items.size() == 21);
  CHECK(page->total == 21);
  CHECK_FALSE(page->total_exact);
  // A search with fewer matches than that is counted exactly.
  auto narrow = parse_list_query(customers_def(), {{"q", "华夏500"}}, rep);
  REQUIRE(narrow.ok());
  auto few = run_list_query(t.db(), customers_def(), *narrow);
  REQUIRE(few.ok());
  CHECK(few->total_exact);
  CHECK(few->total == 2);  // 华夏500 and 华夏5000
}

TEST_CASE("bad list parameters are refused, naming the parameter") {
  CHECK(parse_error({{"limit", "501"}}).fields.count("limit") == 1);
  CHECK(parse_error({{"limit", "0"}}).fields.count("limit") == 1);
  CHECK(parse_error({{"limit", "ten"}}).fields.count("limit") == 1);
  CHECK(parse_error({{"sort", "password_hash"}}).fields.count("sort") == 1);
  CHECK(parse_error({{"sort", "notes"}}).fields.count("sort") == 1);
  CHECK(parse_error({{"type", "company"}}).fields.count("type") == 1);
  CHECK(parse_error({{"owner_id", "1 OR 1=1"}}).fields.count("owner_id") == 1);
  CHECK(parse_error({{"owner_id", "1,,2"}}).fields.count("owner_id") == 1);
  CHECK(parse_error({{"owner_id", "1,"}}).fields.count("owner_id") == 1);
  CHECK(parse_error({{"owner_id", "1,x"}}).fields.count("owner_id") == 1);
  {
    std::string many = "1";
    for (int i = 2; i <= 501; ++i) many += "," + std::to_string(i);
    CHECK(parse_error({{"owner_id", many}}).fields.count("owner_id") == 1);
    many.resize(many.rfind(','));  // 500 values: taken
    CHECK(parse_list_query(customers_def(), {{"owner_id", many}}, Viewer::system()).ok());
  }
  CHECK(parse_error({{"created_at_from", "yesterday"}}).fields.count("created_at_from") == 1);
  CHECK(parse_error({{"nonsense", "1"}}).fields.count("nonsense") == 1);
  CHECK(parse_error({{"custom.Bad-Key", "1"}}).fields.count("custom.Bad-Key") == 1);
  CHECK(parse_error({{"level", "A"}, {"level", "B"}}).fields.count("level") == 1);
  CHECK(parse_error({{"cursor", "!!!"}}).fields.count("cursor") == 1);
  CHECK(parse_error({{"cursor", "WzEsMiwzXQ"}}).fields.count("cursor") == 1);  // base64 of [1,2,3]: wrong shape
  // A well-formed cursor from another sort order is refused too.
  test::TestDb t;
  for (int i = 0; i < 3; ++i) t.create(customers_def(), {{"name", "n" + std::to_string(i)}});
  auto page = list(t, {{"limit", "1"}, {"sort", "name"}});
  REQUIRE_FALSE(page.next_cursor.empty());
  CHECK(parse_error({{"cursor", page.next_cursor}, {"sort", "-id"}}).fields.count("cursor") == 1);
  CHECK(parse_list_query(customers_def(), {{"cursor", page.next_cursor}, {"sort", "name"}}, Viewer::system()).ok());
}

TEST_CASE("the JSON text of a page equals the page's values, whatever the characters") {
  test::TestDb t;
  t.put_settings({{"custom_fields",
                   {{"customers",
                     {{{"key", "k"}, {"zh", "文本"}, {"en", "text"}, {"type", "text"}},
                      {{"key", "n"}, {"zh", "数字"}, {"en", "number"}, {"type", "number"}},
                      {{"key", "b"}, {"zh", "是否"}, {"en", "flag"}, {"type", "boolean"}}}}}}});
  t.create(customers_def(), {{"name", "引号\"反斜杠\\ 换行\n 制表\t 控制\x01 结束"}, {"type", "individual"},
                             {"tags", {"a\"b", "标签"}}, {"custom", {{"k", "v\"1"}, {"n", 3}, {"b", true}}},
                             {"notes", "𠮷 emoji 😀 </script>"}});
  t.create(customers_def(), {{"name", "普通客户"}, {"level", "A"}, {"phone", "13800138000"}});
  REQUIRE(t.db().run("INSERT INTO users (rev, created_at, updated_at, username, display_name, role) VALUES (9,'x','x','own','O','sales')").ok());
  t.create(contacts_def(), {{"name", "联系人"}, {"customer_id", 2}, {"is_primary", true}, {"birthday", "1990-01-02"}});
  for (const Params& p : std::vector<Params>{{}, {{"limit", "1"}}, {{"sort", "name"}, {"limit", "1"}}, {{"q", "引号"}}, {{"q", "nothing-here"}}}) {
    auto q = parse_list_query(customers_def(), p, Viewer::system());
    REQUIRE(q.ok());
    auto page = run_list_query(t.db(), customers_def(), *q);
    auto text = run_list_query_json(t.db(), customers_def(), *q);
    REQUIRE(page.ok());
    REQUIRE(text.ok());
    json parsed = json::parse(*text, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed["items"] == page->items);
    CHECK(parsed["total"] == page->total);
    CHECK(parsed["total_exact"] == page->total_exact);
    CHECK(parsed["next_cursor"] == (page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)));
  }
  auto q = parse_list_query(contacts_def(), {}, Viewer::system());
  auto page = run_list_query(t.db(), contacts_def(), *q);
  auto text = run_list_query_json(t.db(), contacts_def(), *q);
  CHECK(json::parse(*text)["items"] == page->items);
  CHECK(page->items[0]["is_primary"] == true);
}

TEST_CASE("time bounds are compared as times, whatever their written form") {
  test::TestDb t;  // the clock stands at 2025-11-22T08:26:40.000Z
  t.create(customers_def(), {{"name", "准点"}});
  CHECK(list(t, {{"created_at_from", "2025-11-22T08:26:40Z"}}).total == 1);
  CHECK(list(t, {{"created_at_to", "2025-11-22T08:26:40Z"}}).total == 1);
  CHECK(list(t, {{"created_at_from", "2025-11-22T16:26:40+08:00"}}).total == 1);
  CHECK(list(t, {{"created_at_from", "2025-11-22T16:26:41+08:00"}}).total == 0);
  CHECK(list(t, {{"created_at_to", "2025-11-22T08:26:39.999Z"}}).total == 0);
}

// A bound is compared as stored text: one past year 9999 would be written "10000-..." and sort before
// every stored time, so "from" it would list everything. It is refused naming the parameter.
TEST_CASE("a time bound past year 9999 is refused, not taken as a time before every record") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "准点"}});
  CHECK(list(t, {{"created_at_from", "9999-12-31T23:59:59.999Z"}}).total == 0);
  CHECK(list(t, {{"created_at_to", "9999-12-31T23:59:59.999Z"}}).total == 1);
  for (const std::string past : {"9999-12-31T23:59:60Z", "9999-12-31T23:30:00-01:00"}) {
    CAPTURE(past);
    CHECK(parse_error({{"created_at_from", past}}).fields.count("created_at_from") == 1);
    CHECK(parse_error({{"created_at_to", past}}).fields.count("created_at_to") == 1);
  }
}

TEST_CASE("a range filter on a short field name: at_from and at_to (emails' time)") {
  // "at_to" is as long as "_from": the suffix test once required a name longer than five characters.
  for (const char* name : {"at_from", "at_to"}) {
    auto q = parse_list_query(emails_def(), {{name, "2026-11-22"}}, Viewer::system());
    CHECK_MESSAGE(q.ok(), name);
  }
  for (const char* name : {"_to", "_from", "nope_to"}) {
    auto q = parse_list_query(emails_def(), {{name, "2026-11-22"}}, Viewer::system());
    CHECK_MESSAGE(!q.ok(), name);
  }
}
