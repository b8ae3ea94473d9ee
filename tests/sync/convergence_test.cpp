// convergence_test — several clients (the client's own cache, outbox and sync engine, natively) against
// the real server over loopback HTTP, doing random creates, edits and deletes on shared customers through
// random offline periods, tabs closed while an upload was on its way (the server applied it, the answer
// was lost), and server restarts (SPEC §6). At the end, with everyone back online and every question
// the merge asks answered:
//   - every outbox is empty;
//   - every client's cache holds exactly the server's customers, field for field;
//   - no creation happened twice (each name the clients made is on the server once);
//   - every edit a client sent and did not discard is in the server's audit log (each value written is
//     unique, so its presence is unambiguous).
// Seeded and reproducible: KEHU_CONVERGENCE_SEED (default 1) and KEHU_CONVERGENCE_ROUNDS (default 150, the
// CI run); tests/sync/run_convergence.sh runs many seeds with more rounds and prints the figures.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "server/test_server.h"
#include "web/cache/local_cache.h"
#include "sync/sim_client.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

std::string now_text() {
  return "2026-11-24T02:00:00.000Z";
}

}  // namespace

TEST_CASE("clients editing shared customers through outages, closed tabs and restarts converge with every edit once") {
  const unsigned seed = static_cast<unsigned>(env_int("KEHU_CONVERGENCE_SEED", 1));
  const int rounds = env_int("KEHU_CONVERGENCE_ROUNDS", 150);
  CAPTURE(seed);
  std::mt19937 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };

  test::TestServer server;
  const std::string admin = server.admin_token();
  // Customers everyone starts with; only these are ever deleted, so every customer a client makes must
  // survive to the end.
  for (int i = 0; i < 8; ++i) {
    auto r = server.request("POST", "/api/v1/customers", admin, {{"name", "共享客户" + std::to_string(i)}, {"level", "B"}});
    REQUIRE(r.status == 201);
  }
  std::set<int64_t> seeded;
  for (int i = 0; i < 8; ++i) seeded.insert(i + 1);

  std::vector<SimClient> clients(3);
  for (size_t i = 0; i < clients.size(); ++i) {
    SimClient& c = clients[i];
    c.name = "c" + std::to_string(i);
    c.user_id = server.add_user("user" + std::to_string(i), "admin");
    c.token = server.login("user" + std::to_string(i));
    c.file = server.dir() + "/client-" + c.name + ".db";
    c.server = &server;
    c.open();
    // The first sync, as a person's first sign-in does before they can work.
    for (int k = 0; k < 20 && (k == 0 || c.engine->busy() || c.engine->pulling()); ++k) c.step();
    auto n = c.cache->db().query_int("SELECT count(*) FROM customers");
    REQUIRE(n.ok());
    REQUIRE(n->value_or(0) == 8);
  }

  // client -> outbox seq -> field -> value. A later edit of a record whose creation still waits is folded
  // into that creation, and its value for a field replaces the earlier one, which is never sent.
  std::map<std::string, std::map<int64_t, std::map<std::string, std::string>>> sent;
  std::set<std::string> created_names;
  int edits = 0, creates = 0, deletes = 0, kills = 0, restarts = 0, outages = 0, merges = 0, discards = 0, recreated = 0;

  // What a person does with edits the server refused. A conflict: for each field, their own value or the
  // other person's, at random (a field given up is no longer expected on the server). An edit of a
  // customer someone deleted: made again (its values are then expected in the new customer) or discarded;
  // a customer made again twice meets the duplicate guard and is discarded. Discarding is the only loss,
  // and the person's own choice.
  auto settle = [&](SimClient& c) {
    for (const auto& f : c.outbox->failed_entries()) {
      const std::string code = f.error.value("error", json::object()).value("code", "");
      if (f.error.is_object() && f.error.contains("merge")) {
        std::map<std::string, bool> mine;
        for (const auto& conflict : f.error["merge"]["conflicts"]) {
          const std::string field = conflict["field"].get<std::string>();
          mine[field] = chance(0.5);
          if (!mine[field]) sent[c.name][f.entry.seq].erase(field);
        }
        REQUIRE(c.outbox->settle_conflict(f.entry.seq, mine).ok());
        ++merges;
      } else if (code == "not_found" && f.entry.method == "PATCH" && chance(0.5)) {
        auto made = c.outbox->recreate(f.entry.seq, now_text(), c.user_id);
        INFO("recreate: " << (made.ok() ? std::string() : made.error().message.en));
        REQUIRE(made.ok());
        sent[c.name][made->seq] = sent[c.name][f.entry.seq];
        sent[c.name].erase(f.entry.seq);
        ++recreated;
      } else {
        INFO("refused: " << f.error.dump());
        CHECK((code == "not_found" || code == "duplicate"));
        sent[c.name].erase(f.entry.seq);
        REQUIRE(c.outbox->withdraw(f.entry.seq).ok());
        ++discards;
      }
    }
  };
  auto cached_ids = [](SimClient& c) {
    std::vector<int64_t> ids;
    auto st = c.cache->db().prepare("SELECT id FROM customers ORDER BY id");
    REQUIRE(st.ok());
    while (true) {
      auto row = (*st)->step();
      REQUIRE(row.ok());
      if (!*row) break;
      ids.push_back((*st)->column_int(0));
    }
    return ids;
  };

  for (int round = 0; round < rounds; ++round) {
    SimClient& c = clients[pick(clients.size())];
    const std::string tag = c.name + "-" + std::to_string(round);
    const double roll = std::uniform_real_distribution<double>(0, 1)(rng);
    if (roll < 0.15) {
      const std::string name = "客户" + tag;
      auto q = c.outbox->create(customers_def(), {{"name", name}, {"notes", "备注" + tag}}, now_text(), c.user_id);
      INFO((q.ok() ? std::string() : q.error().message.en));
      REQUIRE(q.ok());
      created_names.insert(name);
      sent[c.name][q->seq]["notes"] = "备注" + tag;
      ++creates;
    } else if (roll < 0.75) {
      auto ids = cached_ids(c);
      if (!ids.empty()) {
        const int64_t id = ids[pick(ids.size())];
        auto row = c.cache->record(customers_def(), id);
        REQUIRE(row.ok());
        json patch = json::object();
        static const char* kFields[] = {"notes", "address", "industry"};
        for (const char* f : kFields)
          if (chance(0.5)) patch[f] = std::string(f) + "·" + tag;
        if (patch.empty()) patch["notes"] = "notes·" + tag;
        if (chance(0.3)) patch["level"] = std::string(1, static_cast<char>('A' + pick(4)));
        auto q = c.outbox->update(customers_def(), id, patch, (**row).value("rev", int64_t{0}), now_text(), c.user_id);
        REQUIRE(q.ok());
        for (const auto& [k, v] : patch.items())
          if (k != "level") sent[c.name][q->seq][k] = v.get<std::string>();
        ++edits;
      }
    } else if (roll < 0.78) {
      auto ids = cached_ids(c);
      std::vector<int64_t> deletable;
      for (int64_t id : ids)
        if (seeded.count(id)) deletable.push_back(id);
      if (!deletable.empty()) {
        REQUIRE(c.outbox->remove(customers_def(), deletable[pick(deletable.size())]).ok());
        ++deletes;
      }
    } else if (roll < 0.90) {
      c.set_online(!c.online);
      if (!c.online) ++outages;
    } else if (roll < 0.97) {
      // The tab closes while its requests are on their way: the server gets them, the answers are lost.
      c.engine->tick();
      c.platform->perform_and_lose_answers();
      c.close();
      c.open();
      ++kills;
    } else {
      server.restart();
      ++restarts;
    }
    for (auto& other : clients) {
      other.step();
      if (chance(0.3)) settle(other);
    }
  }

  // Everyone back online; the people answer what is asked; everything is sent and pulled.
  for (auto& c : clients) c.set_online(true);
  bool quiet = false;
  for (int pass = 0; pass < 400 && !quiet; ++pass) {
    quiet = true;
    for (auto& c : clients) {
      settle(c);
      c.engine->request_pull();
      for (int i = 0; i < 4; ++i) c.step();
      quiet = quiet && c.outbox->empty() && !c.engine->busy() && c.platform->idle();
    }
  }
  // One more pull each, after the last write anyone made.
  for (auto& c : clients) {
    c.engine->request_pull();
    for (int i = 0; i < 10 && (i == 0 || c.engine->busy()); ++i) c.step();
  }
  MESSAGE("seed " << seed << ", " << rounds << " rounds: " << creates << " creates, " << edits << " edits, " << deletes << " deletes, "
                  << outages << " outages, " << kills << " closed tabs, " << restarts << " server restarts, " << merges
                  << " conflicts answered, " << recreated << " deleted customers made again, " << discards << " edits discarded");

  // 1. Nothing left to send.
  for (auto& c : clients) {
    CAPTURE(c.name);
    CHECK(c.outbox->empty());
  }
  // 2. Every cache is the server's customers, field for field.
  const std::string columns = "id, rev, name, coalesce(level, ''), coalesce(notes, ''), coalesce(address, ''), coalesce(industry, '')";
  auto rows_of = [&](Database& db) {
    std::vector<std::string> out;
    auto st = db.prepare("SELECT " + columns + " FROM customers ORDER BY id");
    REQUIRE(st.ok());
    while (true) {
      auto row = (*st)->step();
      REQUIRE(row.ok());
      if (!*row) break;
      std::string line;
      for (int i = 0; i < 7; ++i) line += std::string((*st)->column_text(i)) + "|";
      out.push_back(line);
    }
    return out;
  };
  std::vector<std::string> on_server;
  {
    auto lease = server.app().db().read();
    on_server = rows_of(lease.db());
  }
  for (auto& c : clients) {
    CAPTURE(c.name);
    const auto cached = rows_of(c.cache->db());
    std::string differences;
    for (const auto& r : cached)
      if (std::find(on_server.begin(), on_server.end(), r) == on_server.end()) differences += "\n  only in the cache:  " + r;
    for (const auto& r : on_server)
      if (std::find(cached.begin(), cached.end(), r) == cached.end()) differences += "\n  only on the server: " + r;
    INFO(differences);
    CHECK(cached == on_server);
  }
  // 3. Each customer a client made is on the server exactly once.
  for (const auto& name : created_names) {
    CAPTURE(name);
    auto lease = server.app().db().read();
    auto n = lease.db().query_int("SELECT count(*) FROM customers WHERE name = ?1", {name});
    REQUIRE(n.ok());
    CHECK(n->value_or(0) == 1);
  }
  // 4. Every value a client sent (and did not discard) was written on the server.
  int checked = 0;
  for (const auto& [client, entries] : sent)
    for (const auto& [seq, fields] : entries)
      for (const auto& [field, value] : fields) {
        CAPTURE(client);
        CAPTURE(field);
        CAPTURE(value);
        auto lease = server.app().db().read();
        auto n = lease.db().query_int(
            "SELECT count(*) FROM audit WHERE entity = 'customers' AND json_extract(changes, '$.' || ?1 || '[1]') = ?2", {field, value});
        REQUIRE(n.ok());
        CHECK(n->value_or(0) >= 1);
        ++checked;
      }
  MESSAGE(checked << " values sent were checked against the audit log");
  for (auto& c : clients) c.close();
}
