#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "client_cache_helpers.h"
#include "core/schema/migrations.h"
#include "core/sync/sync_image.h"
#include "core/users/user_store.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;
using test::list_page;
using test::open_client_cache;
using test::pull_changes;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool exists(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return in.good();
}

int64_t count(Database& db, const std::string& sql) { return db.query_int(sql).value().value_or(-1); }

// A server with what an image must get right: CJK, a 4-byte character, Latin words and phone digits; a
// renamed customer (its old words must not be found), a deleted one, contacts, a user with a password.
struct SeededServer {
  test::TestDb db;
  std::vector<json> customers;
  SeededServer() {
    // No merges on the server's index, as in a large database between merges: a deleted or renamed
    // record's terms are then still in the segments, marked deleted, and the image must not carry them.
    for (const char* fts : {"customers_tri", "customers_ngram", "contacts_tri", "contacts_ngram"})
      REQUIRE(db.db().exec(std::string("INSERT INTO ") + fts + "(" + fts + ", rank) VALUES ('automerge', 0)").ok());
    const char* names[] = {"北京华夏科技有限公司", "上海科技发展", "鑫源贸易", "吉祥 𠮷 物流", "Acme Trading", "华夏银行"};
    for (const char* n : names)
      customers.push_back(db.create(customers_def(), {{"name", n}, {"phone", "138 0013 800" + std::to_string(customers.size())}}));
    db.create(contacts_def(), {{"name", "张伟"}, {"customer_id", customers[0]["id"]}, {"mobile", "13900139000"}});
    db.create(contacts_def(), {{"name", "李娜"}, {"customer_id", customers[2]["id"]}});
    REQUIRE(db.try_update(customers_def(), customers[1]["id"], {{"name", "上海贸易发展"}}, customers[1]["rev"]).ok());
    REQUIRE(db.try_delete(customers_def(), customers[5]["id"]).ok());
    auto txn = WriteTxn::begin(db.db(), db.clock(), Actor{});
    REQUIRE(txn.ok());
    REQUIRE(create_user(**txn, {"lisi", "李四", "li@example.com", "sales"}, "$argon2id$secret").ok());
    REQUIRE((*txn)->commit().ok());
  }
  std::string image_path() const { return db.path() + ".image"; }
};

void check_same_answers(Database& a, Database& b) {
  for (const char* q : {"科技", "华夏", "鑫", "𠮷", "acme", "华夏科技有限", "13800138002", "上海", "贸易", "张伟", "1390013"}) {
    CAPTURE(q);
    CHECK(list_page(a, customers_def(), {{"q", q}}) == list_page(b, customers_def(), {{"q", q}}));
    CHECK(list_page(a, contacts_def(), {{"q", q}}) == list_page(b, contacts_def(), {{"q", q}}));
  }
  CHECK(list_page(a, customers_def(), {{"sort", "name"}}) == list_page(b, customers_def(), {{"sort", "name"}}));
  CHECK(list_page(a, contacts_def(), {}) == list_page(b, contacts_def(), {}));
  const std::string users = "SELECT group_concat(id || ',' || rev || ',' || username || ',' || display_name || ',' || role || ',' || "
                            "coalesce(team_id, '') || ',' || active, ';') FROM (SELECT * FROM users ORDER BY id)";
  auto ua = a.prepare(users), ub = b.prepare(users);
  REQUIRE(ua.ok());
  REQUIRE(ub.ok());
  REQUIRE((*ua)->step().value());
  REQUIRE((*ub)->step().value());
  CHECK((*ua)->column_text(0) == (*ub)->column_text(0));
}

}  // namespace

TEST_CASE("a cache loaded from a sync image answers every query as one filled by /sync pages") {
  SeededServer server;
  auto rev = write_sync_image(server.db.path(), server.image_path());
  REQUIRE(rev.ok());
  CHECK(*rev == count(server.db.db(), "SELECT value FROM meta WHERE key = 'rev'"));

  auto paged = open_client_cache();
  CHECK(pull_changes(server.db.db(), *paged, 0, 3) == *rev);
  auto imaged = open_client_cache();
  REQUIRE(imaged->replace_with_image(read_file(server.image_path())).ok());
  CHECK(count(*imaged, "SELECT value FROM meta WHERE key = 'rev'") == *rev);
  CHECK(count(*imaged, "SELECT count(*) FROM customers") == 5);
  CHECK(list_page(*imaged, customers_def(), {{"q", "科技"}}).size() == 1);  // the renamed one no longer matches
  CHECK(list_page(*imaged, customers_def(), {{"q", "银行"}}).empty());     // the deleted one is gone, index too
  check_same_answers(*imaged, *paged);

  SUBCASE("nothing secret is in the image") {
    auto image = SqliteDatabase::open(server.image_path(), SqliteOptions{.read_only = true});
    REQUIRE(image.ok());
    CHECK(count(**image, "SELECT count(*) FROM users WHERE password_hash IS NOT NULL OR email IS NOT NULL") == 0);
    CHECK(count(**image, "SELECT count(*) FROM users WHERE display_name = '李四' AND username = '#' || id") == 1);
    CHECK(count(**image, "SELECT count(*) FROM sessions") == 0);
    CHECK(count(**image, "SELECT count(*) FROM audit") == 0);
    CHECK(count(**image, "SELECT count(*) FROM idempotency") == 0);
    CHECK(count(**image, "SELECT count(*) FROM tombstones") == 0);
    CHECK(read_file(server.image_path()).find("$argon2id$secret") == std::string::npos);
  }
  SUBCASE("no term of a deleted record or of an overwritten name is in the image's index") {
    auto image = SqliteDatabase::open(server.image_path(), SqliteOptions{.read_only = true});
    REQUIRE(image.ok());
    REQUIRE((*image)->exec("CREATE VIRTUAL TABLE temp.tri_terms USING fts5vocab(main, customers_tri, 'row');"
                          "CREATE VIRTUAL TABLE temp.ngram_terms USING fts5vocab(main, customers_ngram, 'row');").ok());
    auto terms = [&](const std::string& table, const std::string& term) {
      auto st = (*image)->prepare("SELECT count(*) FROM temp." + table + " WHERE term = ?1");
      REQUIRE(st.ok());
      (*st)->bind(1, term);
      REQUIRE((*st)->step().value());
      return (*st)->column_int(0);
    };
    CHECK(terms("tri_terms", "华夏科") == 1);  // a live customer's trigram is there: the check can see terms
    CHECK(terms("tri_terms", "夏银行") == 0);  // 华夏银行, deleted
    CHECK(terms("tri_terms", "海科技") == 0);  // 上海科技发展, renamed to 上海贸易发展
    CHECK(terms("ngram_terms", "e993b6e8a18c") == 0);  // hex("银行"), only in the deleted name
    // Nor in the file's bytes: the index stores a term's tail as plain UTF-8 (夏|银行 after 夏科技).
    CHECK(read_file(server.image_path()).find("银行") == std::string::npos);
  }
  SUBCASE("later changes continue from the image's rev, and the index follows them") {
    server.db.create(customers_def(), {{"name", "深圳华夏电子"}});
    REQUIRE(server.db.try_delete(customers_def(), server.customers[2]["id"]).ok());
    auto next_imaged = pull_changes(server.db.db(), *imaged, *rev, 100);
    CHECK(next_imaged == pull_changes(server.db.db(), *paged, *rev, 100));
    CHECK(list_page(*imaged, customers_def(), {{"q", "华夏"}}).size() == 2);
    CHECK(list_page(*imaged, customers_def(), {{"q", "鑫源"}}).empty());
    check_same_answers(*imaged, *paged);
  }
}

TEST_CASE("an image that is not a whole database file is refused and the cache keeps its data") {
  SeededServer server;
  REQUIRE(write_sync_image(server.db.path(), server.image_path()).ok());
  const std::string image = read_file(server.image_path());
  auto cache = open_client_cache();
  pull_changes(server.db.db(), *cache, 0, 100);
  const json before = list_page(*cache, customers_def(), {{"q", "华夏"}});
  REQUIRE(before.size() == 1);

  for (const std::string& bad : {image.substr(0, image.size() - 4096), image.substr(0, 50), std::string(),
                                 std::string(8192, 'x'), image + std::string(4096, '\0')}) {
    CAPTURE(bad.size());
    auto loaded = cache->replace_with_image(bad);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == ErrorCode::bad_request);
    CHECK(list_page(*cache, customers_def(), {{"q", "华夏"}}) == before);
  }
  std::string flipped = image;
  flipped[0] = 'X';
  CHECK_FALSE(cache->replace_with_image(flipped).ok());
  CHECK(list_page(*cache, customers_def(), {{"q", "华夏"}}) == before);
}

TEST_CASE("an image is never written over an existing file, nor left behind when it fails") {
  SeededServer server;
  {
    std::ofstream(server.image_path()) << "keep me";
  }
  auto over = write_sync_image(server.db.path(), server.image_path());
  REQUIRE_FALSE(over.ok());
  CHECK(read_file(server.image_path()) == "keep me");
  std::remove(server.image_path().c_str());

  auto missing = write_sync_image(server.db.path() + ".nope", server.image_path());
  REQUIRE_FALSE(missing.ok());
  CHECK_FALSE(exists(server.image_path()));
  CHECK_FALSE(exists(server.db.path() + ".nope"));

  // A source at another schema version (a newer server's file) is refused, and nothing is left.
  REQUIRE(server.db.db().exec("PRAGMA user_version = 99").ok());
  auto newer = write_sync_image(server.db.path(), server.image_path());
  REQUIRE_FALSE(newer.ok());
  CHECK_FALSE(exists(server.image_path()));
}

TEST_CASE("the desktop's cache file (WAL) takes an image too, and keeps it after reopening") {
  SeededServer server;
  REQUIRE(write_sync_image(server.db.path(), server.image_path()).ok());
  const std::string cache_path = server.db.path() + ".desktop-cache";
  SqliteOptions options;
  options.client_cache = true;  // a plain file: WAL, synchronous=NORMAL (the desktop host)
  {
    auto cache = SqliteDatabase::open(cache_path, options);
    REQUIRE(cache.ok());
    REQUIRE(migrate(**cache).ok());
    REQUIRE((*cache)->replace_with_image(read_file(server.image_path())).ok());
    CHECK(list_page(**cache, customers_def(), {{"q", "华夏"}}).size() == 1);
  }
  auto reopened = SqliteDatabase::open(cache_path, options);
  REQUIRE(reopened.ok());
  CHECK(count(**reopened, "SELECT count(*) FROM customers") == 5);
  CHECK(list_page(**reopened, customers_def(), {{"q", "𠮷"}}).size() == 1);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((cache_path + suffix).c_str());
}
