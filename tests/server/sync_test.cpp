#include <doctest/doctest.h>

#include <set>

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
