// outbox_pipeline_test — plain edits of different records go several at once (SyncEngine, Outbox::
// sendable_alongside), and nothing about the result may differ from sending them one at a time: a record's
// own edits keep their order, a creation, a delete or an action goes alone in its turn, and an edit refused
// because it overtook an older one (a duplicate phone freed by that one) goes again alone and succeeds.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/entity/entity_def.h"
#include "sync/sim_client.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

struct Fixture {
  test::TestServer server;
  std::string admin = server.admin_token();
  SimClient c;
  std::vector<int64_t> ids;

  explicit Fixture(int customers) {
    c.name = "rep";
    c.user_id = server.add_user("rep", "sales");
    c.token = server.login("rep");
    c.server = &server;
    c.file = server.dir() + "/rep-cache.db";
    for (int i = 0; i < customers; ++i) {
      auto made = server.request("POST", "/api/v1/customers", admin,
                                 {{"name", "并发发送客户" + std::to_string(i)}, {"phone", "1380000" + std::to_string(1000 + i)}, {"owner_id", c.user_id}});
      REQUIRE(made.status == 201);
      ids.push_back(made.body["id"]);
    }
    c.open();
    settle();
  }
  void settle() {
    for (int k = 0; k < 200 && (k == 0 || !c.outbox->empty() || c.engine->busy() || c.engine->pulling()); ++k) c.step();
  }
  void edit(int64_t id, const json& patch) {
    auto row = c.cache->record(customers_def(), id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    auto queued = c.outbox->update(customers_def(), id, patch, (**row).value("rev", int64_t{0}), "2026-11-24T04:00:00.000Z", c.user_id);
    INFO((queued.ok() ? std::string() : queued.error().message.en));
    REQUIRE(queued.ok());
  }
  json on_server(int64_t id) { return server.request("GET", "/api/v1/customers/" + std::to_string(id), admin).body; }
};

}  // namespace

TEST_CASE("plain edits of different records go several at once; a record's own edits and a creation keep their turn") {
  Fixture f(7);
  f.c.set_online(false);
  f.edit(f.ids[0], {{"notes", "first of 0"}});
  f.edit(f.ids[0], {{"level", "A"}});  // the same record again: after the first
  for (int i = 1; i <= 4; ++i) f.edit(f.ids[i], {{"notes", "edit of " + std::to_string(i)}});
  auto made = f.c.outbox->create(customers_def(), {{"name", "离线新建的客户"}, {"owner_id", f.c.user_id}}, "2026-11-24T04:00:00.000Z", f.c.user_id);
  REQUIRE(made.ok());
  f.edit(f.ids[5], {{"notes", "after the creation"}});
  REQUIRE(f.c.outbox->pending_count() == 8);

  f.c.set_online(true);
  f.c.engine->tick();
  // The oldest, and the four plain edits of other records before the creation alongside (five at most);
  // not customer 0's second edit, and nothing after the creation.
  CHECK(f.c.platform->queued() == 5);
  f.settle();
  CHECK(f.c.outbox->empty());
  CHECK(f.c.outbox->failed_count() == 0);
  json zero = f.on_server(f.ids[0]);
  CHECK(zero["notes"] == "first of 0");
  CHECK(zero["level"] == "A");
  for (int i = 1; i <= 4; ++i) CHECK(f.on_server(f.ids[i])["notes"] == "edit of " + std::to_string(i));
  CHECK(f.on_server(f.ids[5])["notes"] == "after the creation");
  // The creation reached the server before the edit queued after it, and after every edit before it.
  const int64_t created_at = f.server.count("SELECT min(id) FROM audit WHERE entity = 'customers' AND action = 'create' AND "
                                            "json_extract(changes, '$.name[1]') = '离线新建的客户'");
  std::string before_it;
  for (int i = 0; i <= 4; ++i) before_it += (i ? "," : "") + std::to_string(f.ids[i]);
  const int64_t last_before = f.server.count("SELECT max(id) FROM audit WHERE entity = 'customers' AND action = 'update' AND entity_id IN (" +
                                             before_it + ")");
  const int64_t after = f.server.count("SELECT min(id) FROM audit WHERE entity = 'customers' AND action = 'update' AND entity_id = " +
                                       std::to_string(f.ids[5]));
  CHECK(last_before < created_at);
  CHECK(created_at < after);
  // Each edit once.
  CHECK(f.server.count("SELECT count(*) FROM audit WHERE entity = 'customers' AND action = 'update' AND entity_id = " + std::to_string(f.ids[0])) == 2);
}

TEST_CASE("an edit that overtook an older one and was refused for it goes again alone, and succeeds") {
  Fixture f(2);
  const std::string phone_a = f.on_server(f.ids[0])["phone"];
  f.c.set_online(false);
  f.edit(f.ids[0], {{"phone", "13999990000"}});  // A gives its number up ...
  f.edit(f.ids[1], {{"phone", phone_a}});        // ... and B takes it
  f.c.set_online(true);
  f.c.engine->tick();
  REQUIRE(f.c.platform->queued() == 2);
  f.c.platform->deliver_newest_first();  // B's edit reaches the server first: A still has the number
  f.settle();
  CHECK(f.c.outbox->empty());
  CHECK(f.c.outbox->failed_count() == 0);
  CHECK(f.on_server(f.ids[0])["phone"] == "13999990000");
  CHECK(f.on_server(f.ids[1])["phone"] == phone_a);
}
