// sim_client.h — one person's client in the sync tests: the client's own cache (a real SQLite file),
// outbox and sync engine over a LoopbackPlatform, against a real TestServer. The driver moves its clock
// and delivers its requests (step()); close() and open() are a tab closed and opened again.
#pragma once

#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "core/db/sqlite_database.h"
#include "server/test_server.h"
#include "sync/loopback_platform.h"
#include "web/cache/local_cache.h"
#include "web/sync/outbox.h"
#include "web/sync/sync_engine.h"

namespace kehu::client {

// One person's client: its cache is a real SQLite file, kept when the "tab" is closed and reopened.
struct SimClient {
  std::string name;
  int64_t user_id = 0;
  std::string token, file;
  test::TestServer* server = nullptr;
  std::unique_ptr<LoopbackPlatform> platform;
  std::unique_ptr<LocalCache> cache;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<SyncEngine> engine;
  bool online = true;
  double clock = 0;

  void open() {
    platform = std::make_unique<LoopbackPlatform>([srv = server] { return srv->port(); });
    platform->set_bearer_token(token);
    platform->online_ = online;
    platform->clock_ = clock;
    auto db = SqliteDatabase::open(file, SqliteOptions{});
    REQUIRE(db.ok());
    auto attached = LocalCache::attach(std::move(db.value()));
    REQUIRE(attached.ok());
    cache = std::move(*attached);
    outbox = std::make_unique<Outbox>(*cache);
    engine = std::make_unique<SyncEngine>(*platform, *cache, *outbox, "zh-CN");
  }
  void close() {
    engine.reset();
    outbox.reset();
    cache.reset();
    platform.reset();
  }
  void set_online(bool on) {
    online = on;
    platform->online_ = on;
    engine->set_online(on);
  }
  // Time passes (retries and the periodic pull fall due), the engine acts, and its requests are answered.
  void step() {
    clock += 6;
    platform->clock_ = clock;
    engine->tick();
    platform->deliver();
  }
};

}  // namespace kehu::client
