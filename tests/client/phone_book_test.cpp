// The phone book over a real SQLite cache: grouped by customer then name, found by a contact's or a customer's name or by part of a number however it was typed.
#include <doctest/doctest.h>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/sync/sync_applier.h"
#include "web/cache/local_cache.h"
#include "web/cache/phone_book.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

void store(Database& db, const EntityDef& e, json row) {
  static int64_t rev = 0;
  row["rev"] = ++rev;
  row["created_at"] = row["updated_at"] = "2026-11-23T01:00:00.000Z";
  Status stored = store_server_record(db, e, row);
  const std::string why = stored.ok() ? "" : stored.error().message.en;
  INFO(why);
  REQUIRE(stored.ok());
}

std::vector<std::string> names(Database& db, std::string_view search) {
  auto ids = phone_book_ids(db, search);
  REQUIRE(ids.ok());
  auto entries = phone_book_entries(db, *ids);
  REQUIRE(entries.ok());
  std::vector<std::string> out;
  for (const auto& e : *entries) out.push_back(e.name);
  return out;
}

}  // namespace

TEST_CASE("the phone book: by customer, then name; found by names and by numbers typed any way") {
  auto opened = SqliteDatabase::open(":memory:", SqliteOptions{});
  REQUIRE(opened.ok());
  auto cache = LocalCache::attach(std::move(opened.value()));
  REQUIRE(cache.ok());
  Database& db = (*cache)->db();
  store(db, customers_def(), {{"id", 1}, {"code", "C000001"}, {"name", "杭州西溪数据"}});
  store(db, customers_def(), {{"id", 2}, {"code", "C000002"}, {"name", "Acme 100% Ltd"}});
  store(db, contacts_def(), {{"id", 10}, {"customer_id", 1}, {"name", "王芳"}, {"mobile", "138 0013 8000"}, {"title", "采购经理"}});
  store(db, contacts_def(), {{"id", 11}, {"customer_id", 1}, {"name", "李强"}, {"phone", "0571-8888 1234"}});
  store(db, contacts_def(), {{"id", 12}, {"customer_id", 2}, {"name", "Ann Lee"}, {"email", "ann@acme.example"}});
  store(db, contacts_def(), {{"id", 13}, {"customer_id", 2}, {"name", "Bo Chen"}, {"mobile", "+86 139-0000-1111"}});

  // Acme before 杭州 (code point order), each customer's contacts by name.
  CHECK(names(db, "") == std::vector<std::string>{"Ann Lee", "Bo Chen", "李强", "王芳"});
  CHECK(names(db, "西溪") == std::vector<std::string>{"李强", "王芳"});     // the customer's name
  CHECK(names(db, "王") == std::vector<std::string>{"王芳"});               // the contact's
  CHECK(names(db, "8888-1234") == std::vector<std::string>{"李强"});        // a phone typed another way
  CHECK(names(db, "0013 8000") == std::vector<std::string>{"王芳"});        // part of a mobile
  CHECK(names(db, "1390000") == std::vector<std::string>{"Bo Chen"});
  CHECK(names(db, "acme") == std::vector<std::string>{"Ann Lee", "Bo Chen"});  // LIKE ignores ASCII case
  // % and _ are characters, not wildcards: only Acme's name has them.
  CHECK(names(db, "100%") == std::vector<std::string>{"Ann Lee", "Bo Chen"});
  CHECK(names(db, "%") == std::vector<std::string>{"Ann Lee", "Bo Chen"});
  CHECK(names(db, "_").empty());
  CHECK(names(db, "没有这个人").empty());

  // The search index only narrows: text in other indexed fields (notes, an address) does not match.
  store(db, contacts_def(), {{"id", 14}, {"customer_id", 2}, {"name", "Dan Wu"}, {"notes", "西溪湿地旁，备用 0013 8000"},
                             {"address", "王府井"}});
  CHECK(names(db, "西溪") == std::vector<std::string>{"李强", "王芳"});
  CHECK(names(db, "0013 8000") == std::vector<std::string>{"王芳"});
  CHECK(names(db, "王") == std::vector<std::string>{"王芳"});
  // Short Latin text inside a word (the index finds only word starts), and longer text anywhere.
  CHECK(names(db, "an") == std::vector<std::string>{"Ann Lee", "Dan Wu"});
  CHECK(names(db, "ee") == std::vector<std::string>{"Ann Lee"});
  CHECK(names(db, "HEN") == std::vector<std::string>{"Bo Chen"});
  CHECK(names(db, "n W") == std::vector<std::string>{"Dan Wu"});
  CHECK(names(db, "13") == std::vector<std::string>{"Bo Chen", "王芳"});  // 1-2 digits: part of a number
  // A full-width space splits terms as the search index does ("j" is short Latin: the names are scanned).
  store(db, contacts_def(), {{"id", 15}, {"customer_id", 2}, {"name", "小王　Jane"}});
  CHECK(names(db, "小王　J") == std::vector<std::string>{"小王　Jane"});
  CHECK(names(db, "小王　Jan") == std::vector<std::string>{"小王　Jane"});

  // Two customers of one name (people may share one) stay two groups: their contacts do not interleave.
  store(db, customers_def(), {{"id", 3}, {"code", "C000003"}, {"name", "张伟"}, {"type", "individual"}});
  store(db, customers_def(), {{"id", 4}, {"code", "C000004"}, {"name", "张伟"}, {"type", "individual"}});
  store(db, contacts_def(), {{"id", 20}, {"customer_id", 4}, {"name", "A 张伟"}});
  store(db, contacts_def(), {{"id", 21}, {"customer_id", 3}, {"name", "B 张伟"}});
  store(db, contacts_def(), {{"id", 22}, {"customer_id", 4}, {"name", "C 张伟"}});
  auto same = phone_book_ids(db, "张伟");
  REQUIRE(same.ok());
  CHECK(*same == std::vector<int64_t>{21, 20, 22});

  auto ids = phone_book_ids(db, "王芳");
  REQUIRE(ids.ok());
  auto entries = phone_book_entries(db, *ids);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 1);
  const PhoneBookEntry& e = entries->front();
  CHECK(e.customer == "杭州西溪数据");
  CHECK(e.customer_id == 1);
  CHECK(e.title == "采购经理");
  CHECK(e.mobile == "138 0013 8000");
  // An id no longer in the cache is left out.
  auto gone = phone_book_entries(db, {12, 99, 10});
  REQUIRE(gone.ok());
  REQUIRE(gone->size() == 2);
  CHECK((*gone)[0].name == "Ann Lee");
  CHECK((*gone)[1].name == "王芳");
}
