// sync_bench.cpp — kehu-bench-sync: the issue-6 budgets, with the client's own cache, outbox and sync engine
// (natively, on a real SQLite file) against crm-server's App in this process on a loopback port.
//
//   kehu-bench-sync [--customers N] [--changes 100] [--edits 1000] [--runs 5] [--streams 64] [--notices 100]
//
// Prints, p50 / p95 / max over --runs:
//   incremental   another user changes --changes customers; from the client's pull request to its cache
//                 holding them all (GET /sync over HTTP, applied, committed), budget 200 ms for 100;
//   replay        --edits edits queued offline (each its own PATCH of a customer), then back online: from
//                 the first request to an empty outbox, budget 10 s for 1,000;
//   after replay  the pull that follows (the replayed edits come back once with their new revs), timed apart;
//   events        --streams GET /events streams open (the server's cap), then --notices edits one after
//                 another: from sending the PATCH to the last stream holding its `changes` event (the
//                 edit's own round trip included), and the PATCH's round trip with the streams open.
// The server's database starts with N customers (default 2,000) made through the API.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include <httplib.h>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"
#include "core/sync/server_events.h"
#include "core/users/user_store.h"
#include "server/app.h"
#include "server/routes/routes.h"
#include "sync/loopback_platform.h"
#include "web/cache/local_cache.h"
#include "web/sync/outbox.h"
#include "web/sync/sync_engine.h"

namespace {

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;
using Stopwatch = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-sync: %s\n", what.c_str());
  std::exit(1);
}

double ms_since(Stopwatch::time_point t) { return std::chrono::duration<double, std::milli>(Stopwatch::now() - t).count(); }

// crm-server's App on a loopback port, on a fresh database in a temporary folder.
struct Server {
  std::string dir;
  std::unique_ptr<server::App> app;
  std::thread thread;
  int port = 0;

  Server() {
    std::random_device rd;
    dir = (std::filesystem::temp_directory_path() / ("kehu-bench-sync-" + std::to_string(rd()))).string();
    std::filesystem::create_directories(dir);
    server::ServerConfig config;
    config.db_path = dir + "/kehu.db";
    config.host = "127.0.0.1";
    config.port = 0;
    config.scheduled_backups = false;  // measured alone
    auto made = server::App::create(config);
    if (!made.ok()) fail("the server did not start: " + made.error().message.en);
    app = std::move(made.value());
    server::register_all_routes(*app);
    port = app->bind();
    if (port <= 0) fail("the server could not bind a port");
    thread = std::thread([this] { app->listen_after_bind(); });
    app->http().wait_until_ready();
  }
  ~Server() {
    app->stop();
    thread.join();
    app.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  int64_t add_user(const std::string& username) {
    auto lease = app->db().write();
    auto txn = WriteTxn::begin(lease.db(), app->clock(), Actor{});
    if (!txn.ok()) fail("a write transaction: " + txn.error().message.en);
    auto u = create_user(**txn, NewUser{username, username, "", "admin", true}, app->hasher().hash("bench-password-1").value());
    if (!u.ok() || !(*txn)->commit().ok()) fail("adding " + username);
    return u->id;
  }
  json call(const std::string& method, const std::string& path, const std::string& token, const json& body = nullptr) {
    httplib::Client http("127.0.0.1", port);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto res = body.is_null() ? http.Get(path, headers) : method == "PATCH" ? http.Patch(path, headers, body.dump(), "application/json")
                                                                           : http.Post(path, headers, body.dump(), "application/json");
    if (!res || res->status >= 300) fail(method + " " + path + " answered " + (res ? std::to_string(res->status) + " " + res->body : "nothing"));
    return json::parse(res->body, nullptr, false);
  }
  std::string login(const std::string& username) {
    return call("POST", "/api/v1/auth/login", "", {{"username", username}, {"password", "bench-password-1"}})["token"].get<std::string>();
  }
};

struct Client {
  std::unique_ptr<LoopbackPlatform> platform;
  std::unique_ptr<LocalCache> cache;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<SyncEngine> engine;

  Client(Server& server, const std::string& token, const std::string& file) {
    platform = std::make_unique<LoopbackPlatform>([&server] { return server.port; });
    platform->set_bearer_token(token);
    auto db = SqliteDatabase::open(file, SqliteOptions{});
    if (!db.ok()) fail("opening the cache: " + db.error().message.en);
    auto attached = LocalCache::attach(std::move(db.value()));
    if (!attached.ok()) fail("attaching the cache: " + attached.error().message.en);
    cache = std::move(*attached);
    outbox = std::make_unique<Outbox>(*cache);
    engine = std::make_unique<SyncEngine>(*platform, *cache, *outbox, "zh-CN");
  }
  // Runs the engine until it has nothing to do (every request answered at once, as on a fast network).
  void settle() {
    for (int i = 0; i < 100000; ++i) {
      platform->clock_ += 1;
      engine->tick();
      platform->deliver();
      if (outbox->failed_count() > 0) fail("an edit was refused: " + outbox->last_failure());
      if (!engine->busy() && !engine->pulling() && platform->idle() && outbox->empty()) return;
    }
    fail("the client did not settle");
  }
};

// One GET /events stream on its own thread, noting when each `changes` event arrived.
class Listener {
 public:
  Listener(int port, const std::string& token) : http_("127.0.0.1", port) {
    http_.set_read_timeout(60, 0);
    thread_ = std::thread([this, token] {
      http_.Get("/api/v1/events", httplib::Headers{{"Authorization", "Bearer " + token}},
                [this](const char* data, size_t length) {
                  for (const auto& e : parser_.feed(std::string_view(data, length))) {
                    std::lock_guard lock(mu_);
                    if (e.name == "ready") ready_ = true;
                    if (e.name == "changes") heard_.push_back(Stopwatch::now());
                    cv_.notify_all();
                  }
                  return !stopping_.load();
                });
    });
  }
  ~Listener() {
    stopping_ = true;
    http_.stop();
    thread_.join();
  }
  bool wait_ready() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [this] { return ready_; });
  }
  // When the first `changes` event after `since` arrived; waits up to 10 s.
  std::optional<Stopwatch::time_point> heard(Stopwatch::time_point since) {
    std::unique_lock lock(mu_);
    std::optional<Stopwatch::time_point> at;
    cv_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& t : heard_)
        if (t > since) return (at = t).has_value();
      return false;
    });
    return at;
  }

 private:
  httplib::Client http_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  ServerEventParser parser_;
  bool ready_ = false;
  std::vector<Stopwatch::time_point> heard_;
};

}  // namespace

int main(int argc, char** argv) {
  int customers = 2000, changes = 100, edits = 1000, runs = 5, streams = 64, notices = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (value <= 0) fail("usage: kehu-bench-sync [--customers N] [--changes 100] [--edits 1000] [--runs 5] [--streams 64] [--notices 100]");
    if (flag == "--customers") customers = value;
    else if (flag == "--changes") changes = value;
    else if (flag == "--edits") edits = value;
    else if (flag == "--runs") runs = value;
    else if (flag == "--streams") streams = value;
    else if (flag == "--notices") notices = value;
    else fail("unknown option " + flag);
  }
  Server server;
  server.add_user("bench_a");
  server.add_user("bench_b");
  const std::string editor = server.login("bench_b");
  std::vector<int64_t> ids;
  for (int i = 0; i < customers; ++i)
    ids.push_back(server.call("POST", "/api/v1/customers", editor, {{"name", "同步测试客户" + std::to_string(i)}})["id"].get<int64_t>());

  Client client(server, server.login("bench_a"), server.dir + "/client.db");
  auto first = Stopwatch::now();
  client.settle();
  std::printf("first sync of %d customers: %.0f ms\n", customers, ms_since(first));

  std::mt19937 rng(1);
  std::vector<double> incremental, replay, catch_up;
  for (int run = 0; run < runs; ++run) {
    // Another user changes `changes` customers.
    for (int i = 0; i < changes; ++i) {
      const int64_t id = ids[std::uniform_int_distribution<size_t>(0, ids.size() - 1)(rng)];
      json row = server.call("GET", "/api/v1/customers/" + std::to_string(id), editor);
      server.call("PATCH", "/api/v1/customers/" + std::to_string(id), editor,
                  {{"rev", row["rev"]}, {"notes", "run " + std::to_string(run) + " change " + std::to_string(i)}});
    }
    auto t = Stopwatch::now();
    client.engine->request_pull();
    client.settle();
    incremental.push_back(ms_since(t));

    // `edits` edits queued offline, then sent.
    client.platform->online_ = false;
    client.engine->set_online(false);
    for (int i = 0; i < edits; ++i) {
      const int64_t id = ids[static_cast<size_t>(i) % ids.size()];
      auto row = client.cache->record(customers_def(), id);
      if (!row.ok() || !row->has_value()) fail("a customer missing from the cache");
      auto q = client.outbox->update(customers_def(), id, {{"address", "run " + std::to_string(run) + " edit " + std::to_string(i)}},
                                     (**row).value("rev", int64_t{0}), "2026-11-24T03:00:00.000Z", 0);
      if (!q.ok()) fail("queueing an edit: " + q.error().message.en);
    }
    client.platform->online_ = true;
    client.engine->set_online(true);
    t = Stopwatch::now();
    client.settle();
    replay.push_back(ms_since(t));
    if (client.outbox->failed_count() > 0) fail("an edit was refused: " + client.outbox->last_failure());

    // The pull that follows a replay (the client's own edits come back once, as the event stream would
    // announce them); timed apart so that the next run's incremental pull holds only the other user's changes.
    t = Stopwatch::now();
    client.engine->request_pull();
    client.settle();
    catch_up.push_back(ms_since(t));
  }

  // Live notices: every stream open, then single edits one after another.
  if (streams > server.app->changes().capacity()) fail("--streams is over the server's cap of " + std::to_string(server.app->changes().capacity()));
  const std::string watcher = server.login("bench_a");
  std::vector<std::unique_ptr<Listener>> listeners;
  for (int i = 0; i < streams; ++i) {
    listeners.push_back(std::make_unique<Listener>(server.port, watcher));
    if (!listeners.back()->wait_ready()) fail("an event stream did not open");
  }
  std::vector<double> told, round_trip;
  for (int i = 0; i < notices; ++i) {
    const int64_t id = ids[static_cast<size_t>(i) % ids.size()];
    std::this_thread::sleep_for(std::chrono::milliseconds(250));  // past each stream's check gap: a change after a quiet spell
    json row = server.call("GET", "/api/v1/customers/" + std::to_string(id), editor);
    auto t = Stopwatch::now();
    server.call("PATCH", "/api/v1/customers/" + std::to_string(id), editor, {{"rev", row["rev"]}, {"notes", "notice " + std::to_string(i)}});
    round_trip.push_back(ms_since(t));
    Stopwatch::time_point last = t;
    for (auto& l : listeners) {
      auto at = l->heard(t);  // edits go one at a time, each after every stream heard the one before
      if (!at) fail("a stream was not told of an edit within 10 s");
      last = std::max(last, *at);
    }
    told.push_back(std::chrono::duration<double, std::milli>(last - t).count());
  }
  listeners.clear();
  auto tell = bench::percentiles(told);
  auto rt = bench::percentiles(round_trip);

  auto inc = bench::percentiles(incremental);
  auto rep = bench::percentiles(replay);
  std::printf("incremental sync of %d changes: p50 %.1f ms, p95 %.1f ms, max %.1f ms (budget 200 ms for 100)\n", changes, inc.p50, inc.p95, inc.max);
  std::printf("replay of %d queued edits: p50 %.0f ms, p95 %.0f ms, max %.0f ms (budget 10 s for 1,000)\n", edits, rep.p50, rep.p95, rep.max);
  auto back = bench::percentiles(catch_up);
  std::printf("pull after a replay (the %d edits come back): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", edits, back.p50, back.p95, back.max);
  std::printf("an edit told to all of %d open event streams: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d edits; the PATCH's own round trip p50 %.1f ms)\n",
              streams, tell.p50, tell.p95, tell.max, notices, rt.p50);
  return 0;
}
