// session_expiry_test — a session that ends while the outbox is being sent (SPEC §6): the server answers
// 401 part way, the client stops and keeps what is left, and nothing more is sent until the same user
// signs in again; then the rest goes, and every edit is on the server exactly once.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/entity/entity_def.h"
#include "sync/sim_client.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

int64_t audited(test::TestServer& server, const std::string& notes) {
  return server.count("SELECT count(*) FROM audit WHERE entity = 'customers' AND action = 'update' AND "
                      "json_extract(changes, '$.notes[1]') = '" + notes + "'");
}

}  // namespace

TEST_CASE("a session that ends mid-outbox keeps the rest, which is sent once after signing in again") {
  test::TestServer server;
  const std::string admin = server.admin_token();
  SimClient c;
  c.name = "rep";
  c.user_id = server.add_user("rep", "sales");
  c.token = server.login("rep");
  c.server = &server;
  c.file = server.dir() + "/rep-cache.db";
  constexpr int kCustomers = 12;
  std::vector<int64_t> ids;
  for (int i = 0; i < kCustomers; ++i) {
    auto made = server.request("POST", "/api/v1/customers", admin, {{"name", "会话测试客户" + std::to_string(i)}, {"owner_id", c.user_id}});
    REQUIRE(made.status == 201);
    ids.push_back(made.body["id"]);
  }
  c.open();
  bool signed_out = false;
  c.engine->on_signed_out = [&] { signed_out = true; };
  for (int k = 0; k < 10 && (k == 0 || c.engine->busy() || c.engine->pulling()); ++k) c.step();
  REQUIRE(c.cache->db().query_int("SELECT count(*) FROM customers")->value_or(0) == kCustomers);

  // Offline, one edit per customer.
  c.set_online(false);
  std::map<int64_t, std::string> notes;
  for (int64_t id : ids) {
    auto row = c.cache->record(customers_def(), id);
    REQUIRE(row.ok());
    notes[id] = "会话过期前的备注 " + std::to_string(id);
    REQUIRE(c.outbox->update(customers_def(), id, {{"notes", notes[id]}}, (**row).value("rev", int64_t{0}), "2026-11-24T02:00:00.000Z", c.user_id).ok());
  }
  REQUIRE(c.outbox->pending_count() == kCustomers);

  // Online: a few go, then the session ends (signed out elsewhere, or expired).
  c.set_online(true);
  for (int k = 0; k < 50 && c.outbox->pending_count() > kCustomers - 4; ++k) c.step();
  const int left = c.outbox->pending_count();
  REQUIRE(left <= kCustomers - 4);
  REQUIRE(left > 0);
  REQUIRE(server.request("POST", "/api/v1/auth/logout", c.token).status == 204);
  for (int k = 0; k < 10; ++k) c.step();
  CHECK(signed_out);
  CHECK(c.outbox->pending_count() == left);  // kept, not dropped, not failed
  CHECK(c.outbox->failed_count() == 0);
  int64_t on_server = 0;
  for (int64_t id : ids) on_server += audited(server, notes[id]);
  CHECK(on_server == kCustomers - left);
  // The cache still shows every edit, sent or not.
  for (int64_t id : ids) CHECK((**c.cache->record(customers_def(), id)).value("notes", "") == notes[id]);

  // The same user signs in again: the client resumes the outbox with the new session.
  c.token = server.login("rep");
  c.platform->set_bearer_token(c.token);
  c.engine = std::make_unique<SyncEngine>(*c.platform, *c.cache, *c.outbox, "zh-CN");
  for (int k = 0; k < 60 && (!c.outbox->empty() || c.engine->busy() || c.engine->pulling()); ++k) c.step();
  CHECK(c.outbox->empty());
  for (int64_t id : ids) {
    CHECK(audited(server, notes[id]) == 1);  // each exactly once
    auto row = server.request("GET", "/api/v1/customers/" + std::to_string(id), admin);
    CHECK(row.body["notes"] == notes[id]);
  }
}
