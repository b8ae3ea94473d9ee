// scope_test.cpp — record scope (SPEC §3) over the real server: the generated access matrix (every role ×
// every endpoint × own / team-mate's / other team's / pool record × every action), claims, assignment,
// and scoped sync with removals and resets.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "core/store/record_store.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

// A company: team A (manager, sales1, sales2), team B (sales3), and the roles that see everything.
struct Company {
  TestServer& s;
  std::string admin;
  std::map<std::string, int64_t> ids;        // username -> user id
  std::map<std::string, std::string> tokens;  // username -> token
  int64_t team_a = 0, team_b = 0;

  explicit Company(TestServer& server) : s(server), admin(server.admin_token()) {
    ids["admin"] = s.count("SELECT id FROM users WHERE username = 'admin'");
    tokens["admin"] = admin;
    team_a = s.request("POST", "/api/v1/teams", admin, {{"name", "华东销售部"}}).body["id"];
    team_b = s.request("POST", "/api/v1/teams", admin, {{"name", "华南销售部"}}).body["id"];
    REQUIRE(team_a > 0);
    REQUIRE(team_b > 0);
    for (auto [name, role, team] : std::vector<std::tuple<std::string, std::string, int64_t>>{
             {"manager", "manager", team_a}, {"sales1", "sales", team_a}, {"sales2", "sales", team_a},
             {"sales3", "sales", team_b}, {"service", "service", 0}, {"contract", "contract", 0}, {"viewer", "viewer", 0}}) {
      ids[name] = s.add_user(name, role);
      if (team) set_team(name, team);
      tokens[name] = s.login(name);
    }
  }
  void set_team(const std::string& user, int64_t team) {
    auto u = s.request("GET", record_path("users", ids[user]), admin);
    REQUIRE(u.status == 200);
    auto r = s.request("PATCH", record_path("users", ids[user]), admin, {{"rev", u.body["rev"]}, {"team_id", team}});
    REQUIRE(r.status == 200);
  }
  // A customer owned by `owner` ("" = the pool) with one contact; returns {customer id, contact id}.
  std::pair<int64_t, int64_t> customer(const std::string& owner, const std::string& name) {
    json body = {{"name", name}, {"owner_id", owner.empty() ? json(nullptr) : json(ids[owner])}};
    auto c = s.request("POST", "/api/v1/customers", admin, body);
    REQUIRE(c.status == 201);
    auto k = s.request("POST", "/api/v1/contacts", admin, {{"customer_id", c.body["id"]}, {"name", name + "联系人"}});
    REQUIRE(k.status == 201);
    return {c.body["id"], k.body["id"]};
  }
};

// The SPEC §3 table, written out independently of the server's code: who sees, edits and deletes a
// customer (and its contacts) whose owner is `owner` ("" = pool).
struct Oracle {
  std::map<std::string, std::string> role_of = {{"admin", "admin"}, {"manager", "manager"}, {"sales1", "sales"}, {"sales2", "sales"},
                                                {"sales3", "sales"}, {"service", "service"}, {"contract", "contract"}, {"viewer", "viewer"}};
  std::map<std::string, std::string> team_of = {{"manager", "A"}, {"sales1", "A"}, {"sales2", "A"}, {"sales3", "B"}};

  bool sees(const std::string& user, const std::string& owner) const {
    const std::string& role = role_of.at(user);
    if (role == "admin" || role == "service" || role == "contract") return true;
    if (role == "viewer") return false;
    if (owner.empty()) return true;  // the pool
    if (role == "sales") return owner == user;
    return team_of.count(owner) && team_of.at(owner) == team_of.at(user);  // manager: the team's
  }
  bool edits(const std::string& user, const std::string& owner) const {
    const std::string& role = role_of.at(user);
    if (!sees(user, owner)) return false;
    if (role == "sales") return owner == user;
    return role != "contract";
  }
  bool deletes(const std::string& user, const std::string& owner) const {
    const std::string& role = role_of.at(user);
    return edits(user, owner) && role != "service";
  }
};

const std::vector<std::string> kUsers = {"admin", "manager", "sales1", "sales2", "sales3", "service", "contract", "viewer"};
const std::vector<std::string> kOwners = {"sales1", "sales2", "sales3", "manager", ""};

// Every change a full sync from 0 gives `token`: entity -> ids present at the end.
std::map<std::string, std::set<int64_t>> synced(TestServer& s, const std::string& token, int64_t since = 0,
                                                 std::map<std::string, std::set<int64_t>> have = {}) {
  for (;;) {
    auto r = s.request("GET", "/api/v1/sync?limit=1000&since=" + std::to_string(since), token);
    REQUIRE(r.status == 200);
    for (const auto& c : r.body["changes"]) {
      if (c["deleted"].get<bool>()) have[c["entity"]].erase(c["id"].get<int64_t>());
      else have[c["entity"]].insert(c["id"].get<int64_t>());
    }
    since = r.body["next"];
    if (!r.body["more"].get<bool>()) return have;
  }
}

}  // namespace

TEST_CASE("access matrix: every role x customers and contacts x own/team-mate's/other team's/pool x every action") {
  TestServer s;
  Company co(s);
  Oracle oracle;
  // One customer (with a contact) per owner kind, named so a search finds exactly it.
  std::map<std::string, std::pair<int64_t, int64_t>> records;
  for (const auto& owner : kOwners) records[owner] = co.customer(owner, "矩阵客户" + (owner.empty() ? std::string("pool") : owner));
  int cases = 0;
  for (const auto& user : kUsers) {
    const std::string& token = co.tokens[user];
    auto sync = user == "viewer" ? std::map<std::string, std::set<int64_t>>{} : synced(s, token);
    for (const auto& owner : kOwners) {
      const std::string label = user + " on " + (owner.empty() ? "pool" : owner + "'s") + " record";
      const bool sees = oracle.sees(user, owner);
      for (const std::string res : {"customers", "contacts"}) {
        CAPTURE(label);
        CAPTURE(res);
        int64_t id = res == "customers" ? records[owner].first : records[owner].second;
        // read
        auto got = s.request("GET", record_path(res, id), token);
        CHECK(got.status == (sees ? 200 : 404));
        if (!sees) CHECK(got.raw.find("矩阵客户") == std::string::npos);
        // list
        auto listed = s.request("GET", "/api/v1/" + res + "?limit=500", token);
        bool in_list = false;
        if (listed.status == 200)
          for (const auto& item : listed.body["items"]) in_list = in_list || item["id"] == id;
        CHECK(in_list == sees);
        if (user == "viewer") CHECK(listed.status == 404);
        // search: the record's own name
        std::string q = httplib::detail::encode_query_param("矩阵客户" + (owner.empty() ? std::string("pool") : owner));
        auto found = s.request("GET", "/api/v1/" + res + "?q=" + q, token);
        bool in_search = false;
        if (found.status == 200)
          for (const auto& item : found.body["items"]) in_search = in_search || item["id"] == id;
        CHECK(in_search == sees);
        // sync
        if (user != "viewer") CHECK(sync[res].count(id) == (sees ? 1u : 0u));
        // update: notes only (owner unchanged)
        auto current = s.request("GET", record_path(res, id), co.admin);
        auto patched = s.request("PATCH", record_path(res, id), token, {{"rev", current.body["rev"]}, {"notes", "由 " + user + " 修改"}});
        int want = !sees ? 404 : oracle.edits(user, owner) ? 200 : 403;
        CHECK(patched.status == want);
        if (want != 200) CHECK(s.request("GET", record_path(res, id), co.admin).body["notes"] == current.body["notes"]);
        cases += 5;
      }
      // delete: on a fresh customer (and contact) per case, so every case starts from the same state
      auto fresh = co.customer(owner, "删除用例" + std::to_string(cases));
      for (const std::string res : {"contacts", "customers"}) {
        CAPTURE(label);
        CAPTURE(res);
        int64_t id = res == "customers" ? fresh.first : fresh.second;
        auto deleted = s.request("DELETE", record_path(res, id), token);
        int want = !sees ? 404 : oracle.deletes(user, owner) ? 204 : 403;
        CHECK(deleted.status == want);
        CHECK(s.request("GET", record_path(res, id), co.admin).status == (want == 204 ? 404 : 200));
        ++cases;
      }
    }
  }
  CHECK(cases == 8 * 5 * 12);
}

// The SPEC §3 table for the other owned records, written out on its own: opportunities, contracts,
// orders and activities follow their own owner; tickets and e-mails their customer's.
struct DomainOracle {
  Oracle base;
  bool owned_by_self(const std::string& entity) const { return entity != "tickets" && entity != "emails"; }
  bool in_team(const std::string& user, const std::string& owner) const {
    return !owner.empty() && base.team_of.count(owner) && base.team_of.count(user) && base.team_of.at(owner) == base.team_of.at(user);
  }
  bool sees(const std::string& user, const std::string& entity, const std::string& owner) const {
    const std::string& role = base.role_of.at(user);
    if (role == "admin") return true;
    if (role == "viewer") return false;
    if (entity == "emails") {
      if (role == "manager") return true;
      if (role == "sales") return owner == user;
      return false;  // service and contract: no e-mail
    }
    if (role == "service" || role == "contract") return true;
    if (role == "sales") return owner == user;
    return in_team(user, owner);  // manager
  }
  bool changes(const std::string& user, const std::string& entity, const std::string& owner) const {
    const std::string& role = base.role_of.at(user);
    if (!sees(user, entity, owner) || entity == "emails") return false;
    if (role == "admin") return true;
    if (entity == "tickets") return role == "service";
    if (role == "service") return entity == "activities" && owner == user;
    if (role == "contract") return entity == "contracts";
    return true;  // sales (own) and manager (team's), already within sight
  }
};

TEST_CASE("access matrix: every role x opportunities, contracts, orders, activities, tickets, e-mails x every owner x every action") {
  TestServer s;
  Company co(s);
  DomainOracle oracle;
  auto product = s.request("POST", "/api/v1/products", co.admin, {{"sku", "MX-1"}, {"name", "矩阵产品"}, {"price", 100}, {"stock", 100000}});
  REQUIRE(product.status == 201);
  const std::vector<std::string> entities = {"opportunities", "contracts", "orders", "activities", "tickets", "emails"};
  // One record of `entity` for `owner`'s customer, owned by `owner` where the entity has an owner.
  auto make = [&](const std::string& entity, const std::string& owner, int64_t customer, const std::string& tag) -> int64_t {
    const json owner_id = owner.empty() ? json(nullptr) : json(co.ids[owner]);
    json body;
    if (entity == "opportunities") body = {{"customer_id", customer}, {"title", tag}, {"owner_id", owner_id}};
    if (entity == "contracts") body = {{"customer_id", customer}, {"title", tag}, {"owner_id", owner_id}};
    if (entity == "orders") body = {{"customer_id", customer}, {"notes", tag}, {"owner_id", owner_id}, {"items", {{{"product_id", product.body["id"]}, {"quantity", 1}}}}};
    if (entity == "activities") body = {{"customer_id", customer}, {"subject", tag}, {"type", "call"}, {"owner_id", owner_id}};
    if (entity == "tickets") body = {{"customer_id", customer}, {"subject", tag}, {"type", "inquiry"}};
    if (entity == "emails") {  // records of mail sent; no API creates them (sending comes with the e-mail job)
      auto lease = s.app().db().write();
      auto txn = WriteTxn::begin(lease.db(), s.app().clock(), Actor{});
      REQUIRE(txn.ok());
      auto e = create_record(**txn, emails_def(), {{"direction", "outbound"}, {"customer_id", customer}, {"subject", tag}, {"status", "sent"}});
      REQUIRE(e.ok());
      REQUIRE((*txn)->commit().ok());
      return (*e)["id"];
    }
    auto r = s.request("POST", "/api/v1/" + entity, co.admin, body);
    REQUIRE_MESSAGE(r.status == 201, r.raw);
    return r.body["id"];
  };
  auto tag_of = [](const std::string& entity, const std::string& owner) { return "矩阵" + entity + (owner.empty() ? std::string("pool") : owner); };
  std::map<std::string, std::map<std::string, int64_t>> records;  // entity -> owner -> id
  std::map<std::string, int64_t> customers;
  for (const auto& owner : kOwners) {
    customers[owner] = co.customer(owner, "域客户" + (owner.empty() ? std::string("pool") : owner)).first;
    for (const auto& entity : entities) records[entity][owner] = make(entity, owner, customers[owner], tag_of(entity, owner));
  }
  const std::map<std::string, std::string> harmless = {{"opportunities", "lost_reason"}, {"contracts", "notes"}, {"orders", "order_date"},
                                                       {"activities", "content"}, {"tickets", "description"}, {"emails", "subject"}};
  int cases = 0;
  for (const auto& user : kUsers) {
    const std::string& token = co.tokens[user];
    auto sync = user == "viewer" ? std::map<std::string, std::set<int64_t>>{} : synced(s, token);
    for (const auto& owner : kOwners)
      for (const auto& entity : entities) {
        CAPTURE(user);
        CAPTURE(owner);
        CAPTURE(entity);
        // Tickets and e-mails follow the customer, whose owner is `owner` (the pool's has none).
        const bool sees = oracle.sees(user, entity, owner);
        const int64_t id = records[entity][owner];
        auto got = s.request("GET", record_path(entity, id), token);
        CHECK(got.status == (sees ? 200 : 404));
        if (!sees) CHECK(got.raw.find("矩阵") == std::string::npos);
        auto listed = s.request("GET", "/api/v1/" + entity + "?limit=500", token);
        bool in_list = false;
        if (listed.status == 200)
          for (const auto& item : listed.body["items"]) in_list = in_list || item["id"] == id;
        CHECK(in_list == sees);
        auto found = s.request("GET", "/api/v1/" + entity + "?q=" + httplib::detail::encode_query_param(tag_of(entity, owner)), token);
        bool in_search = false;
        if (found.status == 200)
          for (const auto& item : found.body["items"]) in_search = in_search || item["id"] == id;
        CHECK(in_search == sees);
        if (user != "viewer") CHECK(sync[entity].count(id) == (sees ? 1u : 0u));
        // The timeline of a customer the user can see shows exactly the visible rows of it (a manager reads
        // every e-mail, but another team's customer has no timeline for them).
        auto timeline = s.request("GET", record_path("customers", customers[owner]) + "/timeline?limit=500", token);
        bool on_timeline = false;
        if (timeline.status == 200)
          for (const auto& item : timeline.body["items"]) on_timeline = on_timeline || (item["entity"] == entity && item["id"] == id);
        if (entity != "opportunities") CHECK(on_timeline == (sees && oracle.base.sees(user, owner)));
        auto current = s.request("GET", record_path(entity, id), co.admin);
        const json value = entity == "orders" ? json("2026-11-0" + std::to_string(1 + cases % 9)) : json("由 " + user + " 修改");
        auto patched = s.request("PATCH", record_path(entity, id), token, {{"rev", current.body["rev"]}, {harmless.at(entity), value}});
        const int want = !sees ? 404 : oracle.changes(user, entity, owner) ? 200 : 403;
        CHECK(patched.status == want);
        const int64_t fresh = make(entity, owner, customers[owner], "删除" + entity + std::to_string(cases));
        auto deleted = s.request("DELETE", record_path(entity, fresh), token);
        CHECK(deleted.status == (want == 200 ? 204 : want));
        cases += 7;
      }
  }
  CHECK(cases == 8 * 5 * 6 * 7);
}

TEST_CASE("sales own what they create; only managers and admins assign, managers within their team") {
  TestServer s;
  Company co(s);
  auto mine = s.request("POST", "/api/v1/customers", co.tokens["sales1"], {{"name", "自建客户"}});
  REQUIRE(mine.status == 201);
  CHECK(mine.body["owner_id"] == co.ids["sales1"]);
  auto for_other = s.request("POST", "/api/v1/customers", co.tokens["sales1"], {{"name", "替人建"}, {"owner_id", co.ids["sales2"]}});
  CHECK(for_other.status == 403);
  auto give_away = s.request("PATCH", record_path("customers", mine.body["id"]), co.tokens["sales1"],
                             {{"rev", mine.body["rev"]}, {"owner_id", co.ids["sales2"]}});
  CHECK(give_away.status == 403);
  CHECK(s.count("SELECT count(*) FROM customers WHERE name = '替人建'") == 0);

  // The manager moves it inside team A, not to team B.
  auto outside = s.request("PATCH", record_path("customers", mine.body["id"]), co.tokens["manager"],
                           {{"rev", mine.body["rev"]}, {"owner_id", co.ids["sales3"]}}, {{"Accept-Language", "en"}});
  CHECK(outside.status == 422);
  CHECK(outside.body["error"]["fields"].contains("owner_id"));
  auto inside = s.request("PATCH", record_path("customers", mine.body["id"]), co.tokens["manager"],
                          {{"rev", mine.body["rev"]}, {"owner_id", co.ids["sales2"]}});
  REQUIRE(inside.status == 200);
  CHECK(inside.body["owner_id"] == co.ids["sales2"]);
  CHECK(s.request("GET", record_path("customers", mine.body["id"]), co.tokens["sales1"]).status == 404);
  // The admin assigns anywhere.
  auto admin_move = s.request("PATCH", record_path("customers", mine.body["id"]), co.admin,
                              {{"rev", inside.body["rev"]}, {"owner_id", co.ids["sales3"]}});
  CHECK(admin_move.status == 200);
  // A contact cannot be hung on a customer the user cannot see, and that looks like a missing customer.
  auto pool = co.customer("", "公海客户甲");
  auto hidden = co.customer("sales3", "别组客户");
  auto on_hidden = s.request("POST", "/api/v1/contacts", co.tokens["sales1"], {{"customer_id", hidden.first}, {"name", "张三"}});
  CHECK(on_hidden.status == 422);
  CHECK(on_hidden.body["error"]["fields"].contains("customer_id"));
  auto on_pool = s.request("POST", "/api/v1/contacts", co.tokens["sales1"], {{"customer_id", pool.first}, {"name", "李四"}});
  CHECK(on_pool.status == 403);  // visible (the pool) but not theirs until claimed
}

TEST_CASE("claim: a pool customer goes to the first rep who claims it; two at once, exactly one wins") {
  TestServer s;
  Company co(s);
  auto pool = co.customer("", "公海客户乙");
  auto claimed = s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["sales1"]);
  REQUIRE(claimed.status == 200);
  CHECK(claimed.body["owner_id"] == co.ids["sales1"]);
  CHECK(s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["sales1"]).status == 200);  // a retry
  auto late = s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["sales2"]);
  CHECK(late.status == 404);  // no longer in the pool, and not theirs: invisible
  CHECK(s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["service"]).status == 403);
  CHECK(s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["viewer"]).status == 404);
  CHECK(s.request("POST", "/api/v1/customers/abc/claim", co.tokens["sales1"]).status == 400);

  for (int round = 0; round < 5; ++round) {
    auto contested = co.customer("", "抢单客户" + std::to_string(round));
    std::atomic<int> won{0}, lost{0};
    std::vector<std::thread> reps;
    for (const std::string rep : {"sales1", "sales2", "sales3"}) {
      reps.emplace_back([&, rep] {
        auto r = s.request("POST", record_path("customers", contested.first) + "/claim", co.tokens[rep]);
        if (r.status == 200) ++won;
        else if (r.status == 409 || r.status == 404) ++lost;
      });
    }
    for (auto& t : reps) t.join();
    CHECK(won == 1);
    CHECK(lost == 2);
    CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'customers' AND entity_id = " + std::to_string(contested.first) +
                  " AND action = 'update'") == 1);
  }
}

TEST_CASE("scoped sync: a claim removes the customer and its contacts from the others' caches, and nothing more") {
  TestServer s;
  Company co(s);
  auto pool = co.customer("", "公海客户丙");
  auto theirs = co.customer("sales3", "华南客户");
  std::map<std::string, std::map<std::string, std::set<int64_t>>> cache;
  std::map<std::string, int64_t> since;
  for (const std::string u : {"sales1", "sales2", "sales3", "manager", "admin"}) {
    cache[u] = synced(s, co.tokens[u]);
    since[u] = s.count("SELECT value FROM meta WHERE key = 'rev'");
  }
  CHECK(cache["sales2"]["customers"].count(pool.first) == 1);
  CHECK(cache["sales2"]["contacts"].count(pool.second) == 1);
  CHECK(cache["sales1"]["customers"].count(theirs.first) == 0);

  REQUIRE(s.request("POST", record_path("customers", pool.first) + "/claim", co.tokens["sales1"]).status == 200);
  auto theirs_row = s.request("GET", record_path("customers", theirs.first), co.admin);
  REQUIRE(s.request("DELETE", record_path("customers", theirs.first), co.admin).status == 204);

  auto raw = s.request("GET", "/api/v1/sync?since=" + std::to_string(since["sales2"]), co.tokens["sales2"]);
  REQUIRE(raw.status == 200);
  std::set<std::pair<std::string, int64_t>> removed;
  for (const auto& c : raw.body["changes"]) {
    CHECK(c["deleted"] == true);  // nothing new for sales2: the claim only takes rows away
    removed.insert({c["entity"].get<std::string>(), c["id"].get<int64_t>()});
  }
  CHECK(removed == std::set<std::pair<std::string, int64_t>>{{"customers", pool.first}, {"contacts", pool.second}});

  auto after = [&](const std::string& u) { return synced(s, co.tokens[u], since[u], cache[u]); };
  auto s1 = after("sales1");
  CHECK(s1["customers"].count(pool.first) == 1);  // the claimer receives the customer and its contact
  CHECK(s1["contacts"].count(pool.second) == 1);
  auto s3 = after("sales3");
  CHECK(s3["customers"].count(pool.first) == 0);
  CHECK(s3["customers"].count(theirs.first) == 0);  // their own customer, deleted
  CHECK(s3["contacts"].count(theirs.second) == 0);
  auto mgr = after("manager");
  CHECK(mgr["customers"].count(pool.first) == 1);  // pool -> team member: still the manager's
  CHECK(mgr["contacts"].count(pool.second) == 1);
  // sales1 never saw sales3's customer, so its deletion is not news to them.
  auto raw1 = s.request("GET", "/api/v1/sync?since=" + std::to_string(since["sales1"]), co.tokens["sales1"]);
  for (const auto& c : raw1.body["changes"]) CHECK(c["id"] != theirs.first);
  CHECK(raw1.raw.find("华南客户") == std::string::npos);
  CHECK(theirs_row.status == 200);
}

TEST_CASE("scoped sync: a changed team answers reset; only roles that read every record get the image") {
  TestServer s;
  Company co(s);
  co.customer("sales1", "重置客户");
  auto first = s.request("GET", "/api/v1/sync?since=0", co.tokens["sales1"]);
  REQUIRE(first.status == 200);
  int64_t next = first.body["next"];
  REQUIRE(next > 0);
  CHECK(s.request("GET", "/api/v1/sync?since=" + std::to_string(next), co.tokens["sales1"]).body["reset"] == false);
  co.set_team("sales1", co.team_b);
  auto reset = s.request("GET", "/api/v1/sync?since=" + std::to_string(next), co.tokens["sales1"]);
  REQUIRE(reset.status == 200);
  CHECK(reset.body["reset"] == true);
  CHECK(reset.body["changes"].empty());
  // The manager of the team they left starts over too: their team's customers changed.
  CHECK(s.request("GET", "/api/v1/sync?since=" + std::to_string(next), co.tokens["manager"]).body["reset"] == true);
  // From 0 again: no reset, and the data is there.
  auto again = synced(s, co.tokens["sales1"]);
  CHECK(again["customers"].size() == 1);
  CHECK(s.request("GET", "/api/v1/sync?since=0", co.tokens["sales3"]).body["reset"] == false);

  CHECK(s.request("GET", "/api/v1/sync/image", co.tokens["sales1"]).status == 404);
  CHECK(s.request("GET", "/api/v1/sync/image", co.tokens["manager"]).status == 404);
  // Service reads every customer but no campaigns or e-mail (SPEC §3): it pages like the others.
  CHECK(s.request("GET", "/api/v1/sync/image", co.tokens["service"]).status == 404);
  CHECK(s.request("GET", "/api/v1/sync/image", co.admin).status == 200);
}

TEST_CASE("merge: the merged customer's contacts move to the kept one, it is deleted, and caches follow") {
  TestServer s;
  Company co(s);
  auto keep = co.customer("sales2", "合并保留客户");
  auto gone = co.customer("sales1", "合并被并客户");
  auto elsewhere = co.customer("sales3", "别组客户乙");
  auto before = synced(s, co.tokens["sales1"]);
  int64_t since = s.count("SELECT value FROM meta WHERE key = 'rev'");
  REQUIRE(before["contacts"].count(gone.second) == 1);

  json body = {{"keep_id", keep.first}, {"merge_id", gone.first}};
  CHECK(s.request("POST", "/api/v1/customers/merge", co.tokens["sales1"], body).status == 403);
  CHECK(s.request("POST", "/api/v1/customers/merge", co.tokens["manager"], {{"keep_id", keep.first}, {"merge_id", elsewhere.first}}).status == 404);
  CHECK(s.request("POST", "/api/v1/customers/merge", co.tokens["manager"], {{"keep_id", keep.first}, {"merge_id", keep.first}}).status == 422);
  auto malformed = s.request("POST", "/api/v1/customers/merge", co.tokens["manager"], {{"keep_id", "一"}, {"extra", 1}});
  CHECK(malformed.status == 422);
  CHECK(malformed.body["error"]["fields"].size() == 3);
  CHECK(s.count("SELECT count(*) FROM tombstones") == 0);  // nothing of the refused merges happened

  // Campaign memberships: the merged customer's own one moves; where both were members, the kept one stays.
  auto fair = s.request("POST", "/api/v1/campaigns", co.admin, {{"name", "秋季展会"}});
  auto mailing = s.request("POST", "/api/v1/campaigns", co.admin, {{"name", "年终促销"}});
  auto join = [&](const json& campaign, int64_t customer, const std::string& status) {
    REQUIRE(s.request("POST", record_path("campaigns", campaign["id"], "/members"), co.admin, {{"customer_id", customer}, {"status", status}}).status == 200);
  };
  join(fair.body, keep.first, "responded");
  join(fair.body, gone.first, "sent");
  join(mailing.body, gone.first, "opened");
  const std::string member_audit = "SELECT count(*) FROM audit WHERE entity = 'campaigns' AND changes LIKE '%\"member\"%'";
  const int64_t member_audit_before = s.count(member_audit);

  auto merged = s.request("POST", "/api/v1/customers/merge", co.tokens["manager"], body);
  REQUIRE(merged.status == 200);
  CHECK(merged.body["id"] == keep.first);
  CHECK(s.request("GET", record_path("customers", gone.first), co.admin).status == 404);
  auto contact = s.request("GET", record_path("contacts", gone.second), co.admin);
  CHECK(contact.body["customer_id"] == keep.first);
  auto kept_contacts = s.request("GET", "/api/v1/contacts?customer_id=" + std::to_string(keep.first), co.tokens["sales2"]);
  CHECK(kept_contacts.body["total"] == 2);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'update' AND entity = 'customers' AND changes LIKE '%merged_from%'") == 1);
  auto fair_members = s.request("GET", record_path("campaigns", fair.body["id"], "/members"), co.admin).body["items"];
  REQUIRE(fair_members.size() == 1);
  CHECK(fair_members[0]["customer_id"] == keep.first);
  CHECK(fair_members[0]["status"] == "responded");
  auto mailing_members = s.request("GET", record_path("campaigns", mailing.body["id"], "/members"), co.admin).body["items"];
  REQUIRE(mailing_members.size() == 1);
  CHECK(mailing_members[0]["customer_id"] == keep.first);
  CHECK(mailing_members[0]["status"] == "opened");
  // Both show in the campaigns' history: the move on one, the dropped copy on the other.
  CHECK(s.count(member_audit) == member_audit_before + 2);
  auto history = s.request("GET", "/api/v1/audit?entity=campaigns&entity_id=" + std::to_string(mailing.body["id"].get<int64_t>()), co.admin);
  REQUIRE(history.status == 200);
  CHECK(history.body["items"][0]["changes"]["member"][0]["customer_id"] == gone.first);
  CHECK(history.body["items"][0]["changes"]["member"][1]["customer_id"] == keep.first);

  // sales1's cache loses the merged customer and its contact (now sales2's); sales2's gains the contact.
  auto s1 = synced(s, co.tokens["sales1"], since, before);
  CHECK(s1["customers"].count(gone.first) == 0);
  CHECK(s1["contacts"].count(gone.second) == 0);
  auto s2 = synced(s, co.tokens["sales2"]);
  CHECK(s2["contacts"].count(gone.second) == 1);
}

TEST_CASE("moving a contact to another customer moves it out of the old owner's reach") {
  TestServer s;
  Company co(s);
  auto mine = co.customer("sales1", "联系人原客户");
  auto other = co.customer("sales3", "联系人新客户");
  auto before = synced(s, co.tokens["sales1"]);
  int64_t since = s.count("SELECT value FROM meta WHERE key = 'rev'");
  auto contact = s.request("GET", record_path("contacts", mine.second), co.admin);
  REQUIRE(s.request("PATCH", record_path("contacts", mine.second), co.admin, {{"rev", contact.body["rev"]}, {"customer_id", other.first}}).status == 200);
  CHECK(s.request("GET", record_path("contacts", mine.second), co.tokens["sales1"]).status == 404);
  auto after = synced(s, co.tokens["sales1"], since, before);
  CHECK(after["contacts"].count(mine.second) == 0);
  CHECK(synced(s, co.tokens["sales3"])["contacts"].count(mine.second) == 1);
}
