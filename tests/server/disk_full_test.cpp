// The disk filling up or failing under the running server (failing_vfs.h): every write that SQLite could
// not finish gets a clear 5xx naming the cause, leaves no part of itself behind, and once space
// returns the next write succeeds on a database that passes its integrity check. As SQLite tests
// itself: the failure moves from the first write operation to the last, one step at a time, until the
// request no longer reaches it.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "failing_vfs.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

void check_every_step(int rc, const std::string& expected_message) {
  FailingVfs disk;
  TestServer s;
  const std::string token = s.admin_token();
  const int64_t customers0 = s.count("SELECT count(*) FROM customers");
  int failed = 0, step = 1;
  for (;; ++step) {
    REQUIRE_MESSAGE(step < 400, "the write never got past the failing disk");
    const std::string name = "满盘客户" + std::to_string(step);
    disk.arm(step, rc);
    auto r = s.request("POST", "/api/v1/customers", token, json{{"name", name}});
    const bool fired = disk.fired();
    disk.disarm();  // space returns
    CAPTURE(step);
    CAPTURE(r.raw);
    const int64_t kept = s.count("SELECT count(*) FROM customers WHERE name = '" + name + "'");
    if (r.status == 201) {
      CHECK(kept == 1);
      if (!fired) break;  // the request finished before the failure point: every step was tried
      continue;  // the failure hit after the commit (a checkpoint): the write was saved, and said so
    }
    ++failed;
    CHECK(r.status == 500);
    CHECK(r.body["error"]["code"] == "storage");
    CHECK(r.body["error"]["message"].get<std::string>().find(expected_message) != std::string::npos);
    CHECK(kept == 0);  // nothing of it
    CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'customers' AND entity_id NOT IN (SELECT id FROM customers)") == 0);
    // Recovery: with space back, the same write goes through.
    auto again = s.request("POST", "/api/v1/customers", token, json{{"name", name}});
    CHECK(again.status == 201);
  }
  MESSAGE(step << " failure points tried, " << failed << " writes refused");
  CHECK(failed > 0);
  CHECK(s.count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") == 0);
  CHECK(s.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
  // Every customer a 201 announced is there once, and search finds the last one.
  CHECK(s.count("SELECT count(*) FROM customers") == customers0 + step);
  auto found = s.request("GET", "/api/v1/customers?q=" + std::string("%E6%BB%A1%E7%9B%98%E5%AE%A2%E6%88%B7") + std::to_string(step), token);
  REQUIRE(found.status == 200);
  REQUIRE(found.body["items"].size() >= 1);
  CHECK(found.body["items"][0]["name"] == "满盘客户" + std::to_string(step));
  // And the server survives a restart on what the failures left.
  s.restart();
  CHECK(s.request("POST", "/api/v1/customers", s.admin_token(), json{{"name", "重启之后"}}).status == 201);
}

}  // namespace

TEST_CASE("a full disk refuses each write whole, with a clear message, and the server recovers when space returns") {
  check_every_step(SQLITE_FULL, "磁盘已满");
}

TEST_CASE("a failing disk refuses each write whole, and the server recovers when the disk does") {
  check_every_step(SQLITE_IOERR_WRITE, "存储读写出错");
}
