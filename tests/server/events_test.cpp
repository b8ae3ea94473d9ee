// events_test.cpp — GET /api/v1/events (SPEC §5, §7) over the real server: a signed-in client hears of
// every change it may see and of none it may not, a reassignment away is news to the old owner, the
// number of streams is capped apart from the API's workers, and signing out ends the stream.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/store/record_store.h"
#include "core/store/write_txn.h"
#include "core/sync/server_events.h"
#include "event_reader.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct TwoReps {
  TestServer& s;
  std::string admin;
  int64_t rep1 = 0, rep2 = 0;
  std::string token1, token2;
  explicit TwoReps(TestServer& server) : s(server), admin(server.admin_token()) {
    rep1 = s.add_user("rep1", "sales");
    rep2 = s.add_user("rep2", "sales");
    token1 = s.login("rep1");
    token2 = s.login("rep2");
  }
  json customer(int64_t owner, const std::string& name) {
    auto c = s.request("POST", "/api/v1/customers", admin, {{"name", name}, {"owner_id", owner}});
    REQUIRE(c.status == 201);
    return c.body;
  }
};

}  // namespace

TEST_CASE("a client hears of the changes it may see, and of none it may not") {
  TestServer s([](server::ServerConfig& c) { c.event_heartbeat_s = 1; });
  TwoReps reps(s);
  json mine = reps.customer(reps.rep1, "杭州西湖茶业");
  EventReader events(s.port(), reps.token1);
  REQUIRE(events.status() == 200);
  CHECK(events.content_type().rfind("text/event-stream", 0) == 0);
  REQUIRE(events.wait_for("ready", 1));
  CHECK(events.last_data("ready") == json::object());  // no rev: it would tell how much everyone writes
  const int64_t ready_rev = s.count("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rev'");

  // Another rep's customer: rep1 may not see it, so it is no news to them (heartbeats go by meanwhile).
  json theirs = reps.customer(reps.rep2, "宁波港口物流");
  std::this_thread::sleep_for(1500ms);
  CHECK(events.count("changes") == 0);

  // An edit of rep1's own customer, by someone else: news at once, and statistics moved.
  auto edited = s.request("PATCH", record_path("customers", mine["id"]), reps.admin, {{"rev", mine["rev"]}, {"level", "A"}});
  REQUIRE(edited.status == 200);
  REQUIRE(events.wait_for("changes", 1));
  CHECK(events.wait_for("stats", 1));

  // Reassigned away: the customer leaves rep1's reach, which is news too (the pull brings its removal).
  auto moved = s.request("PATCH", record_path("customers", mine["id"]), reps.admin,
                         {{"rev", edited.body["rev"]}, {"owner_id", reps.rep2}});
  REQUIRE(moved.status == 200);
  REQUIRE(events.wait_for("changes", 2));
  auto pulled = s.request("GET", "/api/v1/sync?since=" + std::to_string(ready_rev), reps.token1);
  REQUIRE(pulled.status == 200);
  bool removed = false;
  for (const auto& c : pulled.body["changes"]) removed |= c["entity"] == "customers" && c["id"] == mine["id"] && c["deleted"] == true;
  CHECK(removed);

  // A change of rep1's team changes what they see: news, and the pull answers reset.
  auto team = s.request("POST", "/api/v1/teams", reps.admin, {{"name", "华东销售部"}});
  REQUIRE(team.status == 201);
  auto user = s.request("GET", record_path("users", json(reps.rep1)), reps.admin);
  REQUIRE(s.request("PATCH", record_path("users", json(reps.rep1)), reps.admin, {{"rev", user.body["rev"]}, {"team_id", team.body["id"]}}).status == 200);
  CHECK(events.wait_for("changes", 3));

  // Made an admin, rep1 sees every record from now on: another rep's customer is now news to the stream
  // that opened as a rep (it answers for the new reach, not the one it began with).
  user = s.request("GET", record_path("users", json(reps.rep1)), reps.admin);
  REQUIRE(s.request("PATCH", record_path("users", json(reps.rep1)), reps.admin, {{"rev", user.body["rev"]}, {"role", "admin"}}).status == 200);
  REQUIRE(events.wait_for("changes", 4));
  std::this_thread::sleep_for(300ms);  // past the stream's check gap: the next change is a check of its own
  const size_t before = events.count("changes");
  reps.customer(reps.rep2, "温州鞋业贸易有限公司");
  CHECK(events.wait_for("changes", before + 1));
}

TEST_CASE("a write by another process on the same file is news within about a second") {
  TestServer s;
  TwoReps reps(s);
  json mine = reps.customer(reps.rep1, "苏州丝绸之家");
  EventReader events(s.port(), reps.token1);
  REQUIRE(events.wait_for("ready", 1));
  std::this_thread::sleep_for(300ms);
  REQUIRE(events.count("changes") == 0);
  // Another connection to the file, as the console command or a restore would write: no hook of this
  // server's pool sees it.
  {
    auto other = SqliteDatabase::open(s.db_path(), SqliteOptions{});
    REQUIRE(other.ok());
    SystemClock clock;
    auto txn = WriteTxn::begin(**other, clock, Actor{});
    REQUIRE(txn.ok());
    REQUIRE(update_record(**txn, customers_def(), mine["id"].get<int64_t>(), {{"level", "A"}}, mine["rev"].get<int64_t>()).ok());
    REQUIRE((*txn)->commit().ok());
  }
  const auto written = std::chrono::steady_clock::now();
  REQUIRE(events.wait_for("changes", 1, 3s));
  CHECK(std::chrono::steady_clock::now() - written < 2s);
}

TEST_CASE("signing out ends the stream; no session, no stream") {
  TestServer s([](server::ServerConfig& c) { c.event_heartbeat_s = 1; });
  TwoReps reps(s);
  EventReader events(s.port(), reps.token1);
  REQUIRE(events.status() == 200);
  REQUIRE(events.wait_for("ready", 1));
  CHECK_FALSE(events.wait_ended(500ms));
  REQUIRE(s.request("POST", "/api/v1/auth/logout", reps.token1).status == 204);
  CHECK(events.wait_ended(5s));

  EventReader anonymous(s.port(), "not-a-token");
  CHECK(anonymous.status() == 401);
  auto unknown = s.request("GET", "/api/v1/events?since=0", reps.token2);
  CHECK(unknown.status == 400);
  CHECK(unknown.body["error"]["fields"].contains("since"));
}

TEST_CASE("streams are capped apart from the API's workers") {
  TestServer s([](server::ServerConfig& c) {
    c.workers = 2;
    c.event_streams = 3;
  });
  TwoReps reps(s);
  std::vector<std::unique_ptr<EventReader>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<EventReader>(s.port(), reps.token1));
    REQUIRE(open.back()->status() == 200);
    REQUIRE(open.back()->wait_for("ready", 1));
  }
  CHECK(s.app().changes().open_streams() == 3);
  // One more is refused with a reason the client understands (it polls instead).
  auto refused = s.request("GET", "/api/v1/events", reps.token2, nullptr, {{"Accept-Language", "en"}});
  CHECK(refused.status == 503);
  CHECK(refused.body["error"]["code"] == "busy");
  CHECK(refused.header("Retry-After") == "60");
  // The API still has both its workers: requests from several threads at once are all answered.
  std::atomic<int> answered{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] {
      if (s.request("GET", "/api/v1/customers", reps.token2).status == 200) ++answered;
    });
  for (auto& t : callers) t.join();
  CHECK(answered == 4);
  // A stream that closes gives its place back.
  open.front()->close();
  for (int i = 0; i < 50 && s.app().changes().open_streams() > 2; ++i) std::this_thread::sleep_for(100ms);
  CHECK(s.app().changes().open_streams() == 2);
  EventReader again(s.port(), reps.token2);
  CHECK(again.status() == 200);
  CHECK(again.wait_for("ready", 1));
}

TEST_CASE("a server that stops ends its streams") {
  TestServer s;
  TwoReps reps(s);
  EventReader events(s.port(), reps.token1);
  REQUIRE(events.wait_for("ready", 1));
  s.restart();
  CHECK(events.wait_ended(5s));
}
