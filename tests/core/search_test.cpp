#include <doctest/doctest.h>

#include <set>

#include "core/query/list_query.h"
#include "core/search/search_index.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

namespace {

std::set<std::string> search_names(test::TestDb& t, const std::string& q, const EntityDef& e = customers_def()) {
  auto query = parse_list_query(e, {{"q", q}, {"limit", "500"}}, Viewer::system());
  REQUIRE(query.ok());
  auto page = run_list_query(t.db(), e, *query);
  REQUIRE(page.ok());
  std::set<std::string> names;
  for (const auto& item : page->items) names.insert(item["name"].get<std::string>());
  CHECK(page->total == static_cast<int64_t>(names.size()));
  return names;
}

struct Seeded {
  test::TestDb t;
  Seeded() {
    t.create(customers_def(), {{"name", "北京华夏科技有限公司"}, {"code", "BJ0001"}, {"phone", "010-6552 1234"},
                               {"email", "Info@HuaXia.cn"}});
    t.create(customers_def(), {{"name", "上海鑫源贸易有限公司"}, {"code", "SH0002"}, {"phone", "13800138000"},
                               {"address", "浦东新区世纪大道100号A座"}});
    t.create(customers_def(), {{"name", "𠮷野家餐饮"}, {"code", "JP0003"}, {"tags", {"餐饮", "重点客户"}}});
    t.create(customers_def(), {{"name", "广州科创电子"}, {"code", "GZ0004"}, {"notes", "老客户，2019年开始合作"}});
  }
};

}  // namespace

TEST_CASE("Chinese substrings of any length are found") {
  Seeded s;
  CHECK(search_names(s.t, "科技") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "科") == std::set<std::string>{"北京华夏科技有限公司", "广州科创电子"});
  CHECK(search_names(s.t, "鑫") == std::set<std::string>{"上海鑫源贸易有限公司"});
  CHECK(search_names(s.t, "华夏") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "华夏科技") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "有限公司").size() == 2);
  CHECK(search_names(s.t, "𠮷") == std::set<std::string>{"𠮷野家餐饮"});
  CHECK(search_names(s.t, "𠮷野") == std::set<std::string>{"𠮷野家餐饮"});
  CHECK(search_names(s.t, "重点").size() == 1);  // tags are searchable
  CHECK(search_names(s.t, "老客户").size() == 1);  // notes too
  CHECK(search_names(s.t, "A座").size() == 1);    // mixed Latin + CJK bigram
  CHECK(search_names(s.t, "夏科技有").size() == 1);
  CHECK(search_names(s.t, "科华").empty());        // characters present, but not adjacent
  CHECK(search_names(s.t, "不存在").empty());
}

TEST_CASE("codes and phones by prefix, Latin case-insensitively") {
  Seeded s;
  CHECK(search_names(s.t, "BJ") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "bj00") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "138") == std::set<std::string>{"上海鑫源贸易有限公司"});
  CHECK(search_names(s.t, "13") == std::set<std::string>{"上海鑫源贸易有限公司"});
  CHECK(search_names(s.t, "0106552") == std::set<std::string>{"北京华夏科技有限公司"});  // phone digits joined
  CHECK(search_names(s.t, "huaxia") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "INFO@") == std::set<std::string>{"北京华夏科技有限公司"});
}

TEST_CASE("several words must all match") {
  Seeded s;
  CHECK(search_names(s.t, "北京 科技") == std::set<std::string>{"北京华夏科技有限公司"});
  CHECK(search_names(s.t, "北京　科") == std::set<std::string>{"北京华夏科技有限公司"});  // ideographic space
  CHECK(search_names(s.t, "北京 鑫").empty());
  CHECK(search_names(s.t, "上海 贸易有限").size() == 1);
}

TEST_CASE("search follows edits and deletes") {
  Seeded s;
  auto page = run_list_query(s.t.db(), customers_def(), *parse_list_query(customers_def(), {{"q", "鑫源"}}, Viewer::system()));
  REQUIRE(page->items.size() == 1);
  json c = page->items[0];
  REQUIRE(s.t.try_update(customers_def(), c["id"], {{"name", "上海金源贸易"}}, c["rev"]).ok());
  CHECK(search_names(s.t, "鑫").empty());
  CHECK(search_names(s.t, "金源").size() == 1);
  REQUIRE(s.t.try_delete(customers_def(), c["id"]).ok());
  CHECK(search_names(s.t, "金源").empty());
}

TEST_CASE("contacts are searchable by name, mobile and e-mail") {
  test::TestDb t;
  json c = t.create(customers_def(), {{"name", "客户甲"}});
  t.create(contacts_def(), {{"name", "欧阳娜娜"}, {"customer_id", c["id"]}, {"mobile", "139 1234 5678"}});
  t.create(contacts_def(), {{"name", "王鑫"}, {"customer_id", c["id"]}, {"email", "wang.xin@example.com"}});
  CHECK(search_names(t, "欧阳", contacts_def()) == std::set<std::string>{"欧阳娜娜"});
  CHECK(search_names(t, "鑫", contacts_def()) == std::set<std::string>{"王鑫"});
  CHECK(search_names(t, "13912345678", contacts_def()) == std::set<std::string>{"欧阳娜娜"});
  CHECK(search_names(t, "wang.xin", contacts_def()) == std::set<std::string>{"王鑫"});
}

TEST_CASE("queries with SQL or FTS syntax are only text") {
  Seeded s;
  for (std::string q : {"\" OR 1=1 --", "'; DROP TABLE customers; --", "NEAR(a b)", "科*", "\"", "-", "*", "a:b", "^北"}) {
    INFO(q);
    auto query = parse_list_query(customers_def(), {{"q", q}}, Viewer::system());
    REQUIRE(query.ok());
    auto page = run_list_query(s.t.db(), customers_def(), *query);
    REQUIRE(page.ok());
  }
  CHECK(s.t.count("SELECT count(*) FROM customers") == 4);
  CHECK(search_names(s.t, "\" OR 1=1 --").empty());
}

TEST_CASE("bad search text is refused, naming q") {
  std::string long_q(101, 'a');
  auto r = parse_list_query(customers_def(), {{"q", long_q}}, Viewer::system());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.count("q") == 1);
  CHECK_FALSE(parse_list_query(customers_def(), {{"q", "\xff\xfe"}}, Viewer::system()).ok());
}
