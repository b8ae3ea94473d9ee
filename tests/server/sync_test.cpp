#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "core/store/write_txn.h"
#include "core/client_cache_helpers.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("GET /sync pulls every change in rev order, in batches, ending on rev boundaries") {
  TestServer s;
  std::string t = s.admin_token();
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(s.request("POST", "/api/v1/customers", t, {{"name", "同步" + std::to_string(i)}}).body["id"]);
  auto c0 = s.request("GET", "/api/v1/customers/" + std::to_string(ids[0]), t).body;
  REQUIRE(s.request("PATCH", "/api/v1/customers/" + std::to_string(ids[0]), t, {{"rev", c0["rev"]}, {"level", "A"}}).status == 200);
  REQUIRE(s.request("DELETE", "/api/v1/customers/" + std::to_string(ids[1]), t).status == 204);

  int64_t since = 0, last_rev = 0;
  std::set<std::pair<std::string, int64_t>> seen;
  bool saw_removal = false;
  for (int batch = 0; batch < 20; ++batch) {
    auto r = s.request("GET", "/api/v1/sync?since=" + std::to_string(since) + "&limit=3", t);
    REQUIRE(r.status == 200);
    CHECK(r.body["reset"] == false);
    for (const auto& ch : r.body["changes"]) {
      CHECK(ch["rev"].get<int64_t>() >= last_rev);
      last_rev = ch["rev"].get<int64_t>();
      bool first_time = seen.insert({ch["entity"].get<std::string>(), ch["id"].get<int64_t>()}).second;
      CHECK(first_time);
      if (ch["deleted"].get<bool>()) {
        saw_removal = true;
        CHECK(ch["id"] == ids[1]);
        CHECK(ch["row"].is_null());
      }
      if (ch["entity"] == "customers" && ch["id"] == ids[0]) CHECK(ch["row"]["level"] == "A");
      if (ch["entity"] == "directory") CHECK_FALSE(ch["row"].contains("password_hash"));
    }
    since = r.body["next"].get<int64_t>();
    if (!r.body["more"].get<bool>()) break;
  }
  CHECK(saw_removal);
  CHECK(seen.count({"directory", 1}) == 1);
  CHECK(seen.size() == 8);  // the admin, 6 live customers, 1 removal
  auto empty = s.request("GET", "/api/v1/sync?since=" + std::to_string(since), t);
  CHECK(empty.body["changes"].empty());
  CHECK(empty.body["more"] == false);
}

TEST_CASE("GET /sync/image is a database file a client cache loads, continued by /sync from its rev") {
  TestServer s;
  std::string t = s.admin_token();
  for (const char* name : {"北京华夏科技有限公司", "鑫源贸易", "吉祥 𠮷 物流"})
    REQUIRE(s.request("POST", "/api/v1/customers", t, {{"name", name}}).status == 201);

  auto r = s.request("GET", "/api/v1/sync/image", t);
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/vnd.sqlite3");
  CHECK(r.header("Cache-Control") == "no-store");
  const int64_t rev = std::stoll(r.header("X-Kehu-Rev"));
  CHECK(rev == s.request("GET", "/api/v1/sync?since=0&limit=5000", t).body["next"].get<int64_t>());
  CHECK(r.raw.find("$argon2") == std::string::npos);

  auto cache = open_client_cache();
  REQUIRE(cache->replace_with_image(r.raw).ok());
  CHECK(committed_rev(*cache).value() == rev);
  auto search = [&](const char* q) { return list_page(*cache, customers_def(), {{"q", q}}).size(); };
  CHECK(search("华夏") == 1);
  CHECK(search("𠮷") == 1);
  CHECK(search("科技有限") == 1);
  CHECK(search("银行") == 0);

  // Written just after: the image is reused (it is seconds old), and /sync from its rev brings the rest.
  REQUIRE(s.request("POST", "/api/v1/customers", t, {{"name", "深圳华夏电子"}}).status == 201);
  auto again = s.request("GET", "/api/v1/sync/image", t);
  REQUIRE(again.status == 200);
  CHECK(std::stoll(again.header("X-Kehu-Rev")) == rev);
  CHECK(again.raw == r.raw);
  auto rest = s.request("GET", "/api/v1/sync?since=" + std::to_string(rev), t);
  REQUIRE(rest.body["changes"].size() == 1);
  CHECK(rest.body["changes"][0]["row"]["name"] == "深圳华夏电子");

  // Nothing is left beside the database: the image was unlinked once open.
  for (const auto& entry : std::filesystem::directory_iterator(s.dir())) {
    std::string name = entry.path().filename().string();
    CAPTURE(name);
    CHECK((name == "kehu.db" || name == "kehu.db-wal" || name == "kehu.db-shm"));
  }

  CHECK(s.request("GET", "/api/v1/sync/image").status == 401);
  s.add_user("kiosk", "viewer");
  CHECK(s.request("GET", "/api/v1/sync/image", s.login("kiosk")).status == 404);
  auto unknown = s.request("GET", "/api/v1/sync/image?since=3", t);
  CHECK(unknown.status == 400);
  CHECK(unknown.body["error"]["fields"].contains("since"));
}
