// stats_endpoints_test.cpp — /stats/sales/by-customer, /sales/by-team, /contracts, /funnel, /forecast,
// /campaigns, /tickets, /customers and /churn (SPEC §5) against figures counted here from the raw record
// rows (never from the stat_* tables).
//
// One world of a few hundred records of every kind, made once with a fixed seed: two currencies, creation
// times at 23:59 and 00:01 Shanghai time around year ends and a leap day, cancelled orders, won, lost and
// open opportunities, contracts in every status, resolved and rated tickets, campaign members in every
// status. Each endpoint is asked as every role that has it (admin: all, manager: the team's, rep: own,
// a manager or rep in no team), with owner and team filters, explicit and default ranges; churn gets a
// world of its own aged against a fixed "now"; every bad parameter is refused by name.
//
// [SECTION] dates and periods, counted here     [SECTION] the world
// [SECTION] who sees what                        [SECTION] one expectation per endpoint
// [SECTION] test cases
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "core/db/json_rows.h"
#include "core/rules/campaign_members.h"
#include "core/rules/workflows.h"
#include "core/stats/business_stats.h"
#include "core/stats/churn.h"
#include "core/stats/churn_window.h"
#include "core/stats/sales_stats.h"
#include "tests/core/stats_test_support.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------------
// [SECTION] dates and periods, counted here (no core calendar code)
// ---------------------------------------------------------------------------------------------------

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
const std::string kToday = "2026-03-15";  // the world's "today": records exist after it too

int64_t utc_midnight(const std::string& day) { return parse_rfc3339_ms(day + "T00:00:00Z"); }
std::string day_at(int64_t ms) { return format_rfc3339_ms(ms).substr(0, 10); }
std::string plus_days(const std::string& day, int64_t n) { return day_at(utc_midnight(day) + n * kDay); }
// The Shanghai day of a stored instant: UTC+8, without daylight saving since 1991.
std::string local_day(const json& stamp) { return day_at(parse_rfc3339_ms(stamp.get<std::string>()) + 8 * kHour); }
// Local (Shanghai) `day` at 00:01, or at 23:59 when `late`, as a UTC instant (16:01Z the day before, 15:59Z).
int64_t local_instant(const std::string& day, bool late) {
  return late ? utc_midnight(day) + 15 * kHour + 59 * kMinute : utc_midnight(day) - 8 * kHour + kMinute;
}

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Every month label "YYYY-MM" (or year label "YYYY") from date `from` to date `to`.
std::vector<std::string> labels(const std::string& group, const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  int y = std::stoi(from.substr(0, 4)), m = std::stoi(from.substr(5, 2));
  const int end_y = std::stoi(to.substr(0, 4)), end_m = std::stoi(to.substr(5, 2));
  if (group == "year") {
    for (; y <= end_y; ++y) out.push_back(std::to_string(y));
    return out;
  }
  for (; y < end_y || (y == end_y && m <= end_m);) {
    out.push_back(std::to_string(y) + "-" + two(m));
    if (++m == 13) m = 1, ++y;
  }
  return out;
}

// The documented default start: the last 12 months (month) or 5 years (year) up to `to`.
std::string default_from(const std::string& group, const std::string& to) {
  const int y = std::stoi(to.substr(0, 4)), m = std::stoi(to.substr(5, 2));
  if (group == "year") return std::to_string(y - 4) + "-01-01";
  return m == 12 ? std::to_string(y) + "-01-01" : std::to_string(y - 1) + "-" + two(m + 1) + "-01";
}

struct Range {
  std::string from, to;
};
Range range_of(const StatParamMap& params, const std::string& group, const std::string& today) {
  auto get = [&](const char* name) {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  Range r{get("from"), get("to")};
  if (r.to.empty()) r.to = today;
  if (r.from.empty()) r.from = default_from(group, r.to);
  return r;
}

json raw(TestDb& t, const std::string& sql) {
  auto rows = query_json_rows(t.db(), sql);
  REQUIRE(rows.ok());
  return *rows;
}

// `value` rounded to two decimals as shown to people: within half a hundredth of `exact`, and on a
// hundredth; null when there is nothing to average.
void check_two_decimals(const json& value, std::optional<double> exact) {
  if (!exact) {
    CHECK(value.is_null());
    return;
  }
  REQUIRE(value.is_number());
  const double v = value.get<double>();
  CHECK(std::fabs(v - *exact) <= 0.005 + 1e-9);
  CHECK(std::fabs(v * 100 - std::round(v * 100)) < 1e-6);
}

// A breakdown [{<key>: value, <counter>: n}] "largest first": its content, and the order.
void check_largest_first(const json& list, const char* key, const char* counter,
                         const std::map<std::string, int64_t>& want) {
  std::map<std::string, int64_t> got;
  for (size_t i = 0; i < list.size(); ++i) {
    got[list[i][key].get<std::string>()] = list[i][counter].get<int64_t>();
    if (i > 0) CHECK(list[i - 1][counter].get<int64_t>() >= list[i][counter].get<int64_t>());
  }
  CHECK(got == want);
  CHECK(list.size() == want.size());
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] the world: people, teams and a few hundred records made with a fixed seed
// ---------------------------------------------------------------------------------------------------

struct People {
  int64_t team_a = 0, team_b = 0;
  int64_t admin = 0, manager_a = 0, manager_b = 0, manager_alone = 0, rep_a1 = 0, rep_a2 = 0, rep_b1 = 0, rep_alone = 0;
  int64_t service = 0, contract = 0, reader = 0;
  std::map<int64_t, Viewer> viewers;
  std::vector<json> owners;  // owners records get (null: nobody)

  const Viewer& operator[](int64_t id) const { return viewers.at(id); }
};

int64_t add_person(TestDb& t, People& p, const std::string& name, const std::string& role,
                   std::optional<int64_t> team) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  NewUser user{name, name + "的名字", name + "@example.com", role};
  user.team_id = team;
  auto made = create_user(**txn, user, "$argon2id$x");
  REQUIRE(made.ok());
  REQUIRE((*txn)->commit().ok());
  p.viewers[made->id] = Viewer{made->id, role, team};
  return made->id;
}

People make_people(TestDb& t) {
  People p;
  p.team_a = t.create(teams_def(), {{"name", "华东销售部"}})["id"].get<int64_t>();
  p.team_b = t.create(teams_def(), {{"name", "华南销售部"}})["id"].get<int64_t>();
  p.admin = add_person(t, p, "admin", "admin", std::nullopt);
  p.manager_a = add_person(t, p, "manager.a", "manager", p.team_a);
  p.manager_b = add_person(t, p, "manager.b", "manager", p.team_b);
  p.manager_alone = add_person(t, p, "manager.alone", "manager", std::nullopt);
  p.rep_a1 = add_person(t, p, "rep.a1", "sales", p.team_a);
  p.rep_a2 = add_person(t, p, "rep.a2", "sales", p.team_a);
  p.rep_b1 = add_person(t, p, "rep.b1", "sales", p.team_b);
  p.rep_alone = add_person(t, p, "rep.alone", "sales", std::nullopt);
  p.service = add_person(t, p, "service", "service", std::nullopt);
  p.contract = add_person(t, p, "contract", "contract", std::nullopt);
  p.reader = add_person(t, p, "reader", "viewer", std::nullopt);
  p.owners = {p.rep_a1, p.rep_a2, p.rep_b1, p.rep_alone, p.manager_a, p.manager_b, p.manager_alone, nullptr};
  return p;
}

void move_contract(TestDb& t, int64_t id, const std::string& to) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  json request = {{"to", to}};
  if (to == "terminated" || to == "draft") request["reason"] = "客户要求";
  auto moved = transition_contract(**txn, id, request, Viewer::system());
  REQUIRE_MESSAGE(moved.ok(), "contract " << id << " to " << to << ": " << moved.error().message.en);
  REQUIRE((*txn)->commit().ok());
}

void move_ticket(TestDb& t, int64_t id, json request) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto moved = transition_ticket(**txn, id, request, Viewer::system());
  REQUIRE_MESSAGE(moved.ok(), "ticket " << id << " " << request.dump() << ": " << moved.error().message.en);
  REQUIRE((*txn)->commit().ok());
}

void put_member(TestDb& t, int64_t campaign, json body) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto put = put_campaign_member(**txn, campaign, body, Viewer::system());
  REQUIRE_MESSAGE(put.ok(), body.dump() << ": " << put.error().message.en);
  REQUIRE((*txn)->commit().ok());
}

void patch(TestDb& t, const EntityDef& e, int64_t id, const json& change) {
  auto current = get_record(t.db(), e, id);
  REQUIRE(current.ok());
  auto updated = t.try_update(e, id, change, (*current)["rev"].get<int64_t>());
  REQUIRE_MESSAGE(updated.ok(), e.name << " " << id << " " << change.dump() << ": " << updated.error().message.en);
}

struct World {
  TestDb t;
  People p;
  std::vector<int64_t> campaigns;  // the detailed ones, oldest first
  World();
};

World::World() {
  ZonesInstalled zones;
  p = make_people(t);
  std::mt19937 rng(20260315);
  auto number = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto chance = [&](int percent) { return number(0, 99) < percent; };
  auto pick = [&](const auto& v) { return v[static_cast<size_t>(number(0, static_cast<int64_t>(v.size()) - 1))]; };
  const std::vector<std::string> edge_days = {"2024-02-28", "2024-02-29", "2024-03-01", "2024-12-31", "2025-01-01",
                                              "2025-03-31", "2025-04-01", "2025-06-30", "2025-12-31", "2026-01-01",
                                              "2026-02-28", "2026-03-01", "2026-03-15", "2026-03-16", "2026-06-30"};
  const int64_t first = utc_midnight("2024-01-01"), last = utc_midnight("2026-07-15");
  // Half the records at 23:59 or 00:01 of an edge day, the rest anywhere.
  auto instant = [&]() { return chance(50) ? local_instant(pick(edge_days), chance(50)) : number(first, last); };
  auto some_day = [&]() { return chance(50) ? pick(edge_days) : day_at(number(first, last)); };
  auto currency = [&]() { return chance(30) ? "USD" : "CNY"; };
  auto owner_into = [&](json& input) {
    json owner = pick(p.owners);
    if (!owner.is_null()) input["owner_id"] = owner;
  };

  // Campaigns first (opportunities name them): fillers, then the detailed ones, newest.
  for (int i = 0; i < 196; ++i) t.create(campaigns_def(), {{"name", "旧活动" + std::to_string(i)}});
  const std::vector<json> campaign_inputs = {
      {{"name", "春季展会"}, {"type", "event"}, {"status", "completed"}, {"budget", 500000}, {"actual_cost", 480001}},
      {{"name", "网络广告"},
       {"type", "advertising"},
       {"status", "active"},
       {"budget", 300000},
       {"actual_cost", 100000}},
      {{"name", "零花费"}, {"status", "planned"}, {"actual_cost", 0}},
      {{"name", "无人响应"}, {"type", "social"}, {"status", "cancelled"}, {"actual_cost", 7777}},
      {{"name", "无预算"}, {"type", "other"}},
      {{"name", "空活动"}, {"status", "active"}, {"budget", 1000}, {"actual_cost", 999}},
  };
  for (const auto& input : campaign_inputs) campaigns.push_back(t.create(campaigns_def(), input)["id"].get<int64_t>());

  // Customers of every type, source, level and status (and none), owned by everyone and nobody.
  const std::vector<json> types = {"enterprise", "individual", "government", "partner", "other", nullptr};
  const std::vector<json> sources = {"referral",     "website", "exhibition", "cold_call", "advertising",
                                     "social_media", "partner", "other",      nullptr};
  const std::vector<json> levels = {"A", "B", "C", "D", nullptr};
  const std::vector<json> statuses = {"prospect", "active", "dormant", "lost", nullptr};
  std::vector<int64_t> customers;
  for (int i = 0; i < 80; ++i) {
    json input = {{"name", "客户" + std::to_string(i) + "号"}};
    for (const auto& [field, values] : {std::pair<const char*, const std::vector<json>*>{"type", &types},
                                        {"source", &sources},
                                        {"level", &levels},
                                        {"status", &statuses}}) {
      json v = i < static_cast<int>(values->size()) ? (*values)[static_cast<size_t>(i)] : pick(*values);
      if (!v.is_null()) input[field] = v;
    }
    owner_into(input);
    t.clock().set_ms(instant());
    customers.push_back(t.create(customers_def(), input)["id"].get<int64_t>());
  }
  std::vector<int64_t> products;
  for (int i = 0; i < 3; ++i)
    products.push_back(t.create(products_def(), {{"sku", "SKU" + std::to_string(i)},
                                                 {"name", "产品" + std::to_string(i)},
                                                 {"price", 1999 + 48001 * i},
                                                 {"stock", 1'000'000'000}})["id"]
                           .get<int64_t>());
  // The first twelve customers have a contact and an opportunity, for feedback tickets and contact members.
  std::map<int64_t, int64_t> contact_of, opportunity_of;
  for (int i = 0; i < 12; ++i)
    contact_of[customers[static_cast<size_t>(i)]] =
        t.create(contacts_def(),
                 {{"customer_id", customers[static_cast<size_t>(i)]}, {"name", "联系人" + std::to_string(i)}})["id"]
            .get<int64_t>();

  // Opportunities: open in every stage, then some won or lost later (across a local midnight too).
  const std::vector<std::string> open_stages = {"lead", "qualified", "proposal", "negotiation"};
  const std::vector<json> expected_days = {"2025-12-31", "2026-01-01", "2026-02-28", "2026-03-31", "2026-04-01",
                                           "2026-12-31", "2027-01-01", "2024-02-29", nullptr};
  for (int i = 0; i < 150; ++i) {
    const int64_t customer = i < 12 ? customers[static_cast<size_t>(i)] : pick(customers);
    json input = {{"customer_id", customer},
                  {"title", "商机" + std::to_string(i)},
                  {"stage", pick(open_stages)},
                  {"currency", currency()}};
    if (chance(85)) input["amount"] = number(1, 2'000'000);
    if (i % 17 == 0) input["amount"] = 1;  // weighted figures of a fraction of a unit
    if (chance(85)) input["probability"] = number(0, 100);
    if (json d = pick(expected_days); !d.is_null()) input["expected_close_date"] = d;
    if (chance(35)) input["campaign_id"] = pick(campaigns);
    owner_into(input);
    const int64_t created = instant();
    t.clock().set_ms(created);
    const int64_t id = t.create(opportunities_def(), input)["id"].get<int64_t>();
    if (i < 12) opportunity_of[customer] = id;
    if (chance(45)) {
      const std::vector<int64_t> delays = {2 * kMinute,          7 * kHour, 9 * kHour,
                                           3 * kDay + 5 * kHour, 40 * kDay, number(0, 300 * kDay)};
      t.clock().set_ms(created + pick(delays));
      patch(t, opportunities_def(), id, {{"stage", chance(60) ? "won" : "lost"}});
    }
  }

  // Contracts in every status, signed on edge days or on the day they are approved.
  const std::vector<std::string> contract_targets = {"draft",     "rejected",  "pending_approval", "signed",
                                                     "executing", "completed", "terminated"};
  for (int i = 0; i < 90; ++i) {
    json input = {{"customer_id", pick(customers)}, {"title", "合同" + std::to_string(i)}, {"currency", currency()}};
    if (chance(85)) input["amount"] = number(100, 5'000'000);
    if (chance(60)) input["signed_date"] = some_day();
    owner_into(input);
    t.clock().set_ms(instant());
    const int64_t id = t.create(contracts_def(), input)["id"].get<int64_t>();
    const std::string target = contract_targets[static_cast<size_t>(i) % contract_targets.size()];
    std::vector<std::string> path;
    if (target == "rejected")
      path = {"pending_approval", "draft"};
    else if (target == "pending_approval")
      path = {"pending_approval"};
    else if (target == "signed")
      path = {"pending_approval", "signed"};
    else if (target == "executing")
      path = {"pending_approval", "signed", "executing"};
    else if (target == "completed")
      path = {"pending_approval", "signed", "executing", "completed"};
    else if (target == "terminated") {
      const std::vector<std::vector<std::string>> before_end = {
          {}, {"pending_approval"}, {"pending_approval", "signed"}, {"pending_approval", "signed", "executing"}};
      path = pick(before_end);
      path.push_back("terminated");
    }
    for (const auto& to : path) {
      t.clock().advance_ms(number(kMinute, 20 * kHour));
      move_contract(t, id, to);
    }
  }

  // Orders: in both currencies, dated or counted on their local creation day, some cancelled.
  std::vector<int64_t> orders;
  for (int i = 0; i < 260; ++i) {
    json items = json::array();
    for (int64_t n = number(1, 2); n > 0; --n) {
      json line = {{"product_id", pick(products)}, {"quantity", number(1, 9)}};
      if (chance(40)) line["unit_price"] = number(1, 100000);
      items.push_back(line);
    }
    json input = {{"customer_id", pick(customers)}, {"items", items}, {"currency", currency()}};
    if (chance(70)) input["order_date"] = some_day();
    if (chance(10)) input["status"] = "cancelled";
    owner_into(input);
    t.clock().set_ms(instant());
    const int64_t id = t.create(orders_def(), input)["id"].get<int64_t>();
    if (!input.contains("status") && chance(10))
      patch(t, orders_def(), id, {{"status", "cancelled"}});
    else if (input.contains("status") && chance(30))
      patch(t, orders_def(), id, {{"status", "confirmed"}});
  }

  // Tickets of every type through every status; resolved ones after minutes to weeks; some rated.
  const std::vector<std::string> ticket_types = {"complaint", "inquiry", "after_sales", "feedback"};
  const std::vector<std::string> ticket_targets = {"new",    "assigned", "in_progress",  "resolved",
                                                   "closed", "reopened", "worked_again", "resolved_again"};
  for (int i = 0; i < 110; ++i) {
    const std::string type = ticket_types[static_cast<size_t>(i) % ticket_types.size()];
    const int64_t customer = type == "feedback" ? customers[static_cast<size_t>(number(0, 11))] : pick(customers);
    json input = {{"customer_id", customer}, {"type", type}, {"subject", "工单" + std::to_string(i)}};
    if (type == "feedback")
      input["contact_id"] = contact_of[customer], input["opportunity_id"] = opportunity_of[customer];
    const int64_t created = instant();
    t.clock().set_ms(created);
    const int64_t id = t.create(tickets_def(), input)["id"].get<int64_t>();
    const std::string target =
        ticket_targets[static_cast<size_t>(number(0, static_cast<int64_t>(ticket_targets.size()) - 1))];
    const size_t steps =
        static_cast<size_t>(std::find(ticket_targets.begin(), ticket_targets.end(), target) - ticket_targets.begin());
    const std::vector<json> moves = {{{"to", "assigned"}, {"assignee_id", p.service}},
                                     {{"to", "in_progress"}},
                                     {{"to", "resolved"}, {"resolution", "已处理"}},
                                     {{"to", "closed"}},
                                     {{"to", "reopened"}},
                                     {{"to", "in_progress"}},
                                     {{"to", "resolved"}, {"resolution", "再次处理"}}};
    for (size_t s = 0; s < steps; ++s) {
      json move = moves[s];
      // Step 3 is "closed": only the target closed takes it; the later ones reopen straight from resolved.
      if (s == 3 && target != "closed") continue;
      const std::vector<int64_t> delays = {kMinute, 2 * kMinute, 5 * kHour, 26 * kHour, number(0, 20 * kDay)};
      t.clock().advance_ms(pick(delays));
      move_ticket(t, id, move);
    }
    if (chance(55)) patch(t, tickets_def(), id, {{"satisfaction", number(1, 5)}});
  }

  // Members of the detailed campaigns in every status, some changed, some of a contact.
  const std::vector<std::string> member_statuses = {"targeted", "sent", "opened", "responded", "converted"};
  for (size_t c = 0; c + 1 < campaigns.size(); ++c) {
    if (c == 3) {  // nobody responded
      for (size_t i = 0; i < 6; ++i)
        put_member(t, campaigns[c], {{"customer_id", customers[i]}, {"status", member_statuses[i % 3]}});
      continue;
    }
    std::set<int64_t> in;
    for (int64_t n = number(8, 25); n > 0; --n) {
      const int64_t customer = pick(customers);
      if (!in.insert(customer).second) continue;
      put_member(t, campaigns[c], {{"customer_id", customer}, {"status", pick(member_statuses)}});
      if (chance(25)) put_member(t, campaigns[c], {{"customer_id", customer}, {"status", pick(member_statuses)}});
      if (contact_of.count(customer) && chance(60))
        put_member(
            t, campaigns[c],
            {{"customer_id", customer}, {"contact_id", contact_of[customer]}, {"status", pick(member_statuses)}});
    }
  }
  // A member whose customer is deleted leaves the campaign.
  const int64_t gone = t.create(customers_def(), {{"name", "将删除的客户"}})["id"].get<int64_t>();
  put_member(t, campaigns[0], {{"customer_id", gone}, {"status", "converted"}});
  REQUIRE(t.try_delete(customers_def(), gone).ok());
  require_exact(t);
}

World& world() {
  static std::unique_ptr<World> w = std::make_unique<World>();
  return *w;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] who sees what: the documented reach per role, over owners' teams as they are now
// ---------------------------------------------------------------------------------------------------

struct Scope {
  bool all = false;
  std::optional<int64_t> self, team;  // own / team reach
  std::optional<int64_t> owner_filter, team_filter;
  std::map<int64_t, std::optional<int64_t>> team_of;

  std::optional<int64_t> team_now(const std::optional<int64_t>& owner) const {
    if (!owner) return std::nullopt;
    auto it = team_of.find(*owner);
    return it == team_of.end() ? std::nullopt : it->second;
  }
  bool covers(const json& owner_value) const {
    const std::optional<int64_t> owner =
        owner_value.is_number_integer() ? std::optional<int64_t>(owner_value.get<int64_t>()) : std::nullopt;
    bool in = all || (team ? owner && team_now(owner) == team : owner && owner == self);
    if (owner_filter) in = in && owner == owner_filter;
    if (team_filter) in = in && owner && team_now(owner) == team_filter;
    return in;
  }
};

// The sales reach (SPEC §3): admin all, a manager their team (their own without one), a rep their own;
// `contract_role_all` for contracts, which the contract department reads whole.
Scope scope_of(TestDb& t, const Viewer& v, const StatParamMap& params = {}, bool contract_role_all = false) {
  Scope s;
  for (const auto& u : raw(t, "SELECT id, team_id FROM users"))
    s.team_of[u["id"].get<int64_t>()] =
        u["team_id"].is_null() ? std::nullopt : std::optional<int64_t>(u["team_id"].get<int64_t>());
  s.all = v.is_system() || v.role == "admin" || (contract_role_all && v.role == "contract");
  if (!s.all && v.role == "manager" && v.team_id)
    s.team = v.team_id;
  else if (!s.all)
    s.self = v.user_id;
  if (auto it = params.find("owner_id"); it != params.end()) s.owner_filter = std::stoll(it->second);
  if (auto it = params.find("team_id"); it != params.end()) s.team_filter = std::stoll(it->second);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] one expectation per endpoint, from the raw rows
// ---------------------------------------------------------------------------------------------------

struct Sums {
  int64_t orders = 0, quantity = 0, amount = 0;
  void add(const Sums& o) { orders += o.orders, quantity += o.quantity, amount += o.amount; }
};
json sums_json(const Sums& s) { return {{"orders", s.orders}, {"quantity", s.quantity}, {"amount", s.amount}}; }

// Confirmed orders with the day each counts on (its order date, else its local creation day) and its sums.
struct Sale {
  int64_t customer;
  json owner;
  std::string day, currency;
  Sums sums;
};
std::vector<Sale> confirmed_sales(TestDb& t) {
  std::vector<Sale> out;
  for (const auto& o : raw(t,
                           "SELECT customer_id, owner_id, order_date, created_at, currency, total, items FROM orders "
                           "WHERE status = 'confirmed'")) {
    int64_t quantity = 0;
    for (const auto& line : json::parse(o["items"].get<std::string>())) quantity += line["quantity"].get<int64_t>();
    out.push_back({o["customer_id"].get<int64_t>(),
                   o["owner_id"],
                   o["order_date"].is_string() ? o["order_date"].get<std::string>() : local_day(o["created_at"]),
                   o["currency"].get<std::string>(),
                   {1, quantity, o["total"].get<int64_t>()}});
  }
  return out;
}

// sales/by-customer, every row in order (largest amount first), each with its zero-filled series.
std::vector<json> expect_by_customer(TestDb& t, const Scope& s, const std::string& group, const Range& r) {
  std::map<std::pair<int64_t, std::string>, std::map<std::string, Sums>> by_period;
  std::map<std::pair<int64_t, std::string>, Sums> totals;
  for (const auto& sale : confirmed_sales(t)) {
    const std::string month = sale.day.substr(0, 7);
    if (month < r.from.substr(0, 7) || month > r.to.substr(0, 7) || !s.covers(sale.owner)) continue;
    by_period[{sale.customer, sale.currency}][group == "year" ? month.substr(0, 4) : month].add(sale.sums);
    totals[{sale.customer, sale.currency}].add(sale.sums);
  }
  std::map<int64_t, std::string> names;
  for (const auto& c : raw(t, "SELECT id, name FROM customers"))
    names[c["id"].get<int64_t>()] = c["name"].get<std::string>();
  std::vector<json> rows;
  for (const auto& [key, sums] : totals) {
    json row = sums_json(sums);
    row["customer_id"] = key.first, row["currency"] = key.second, row["name"] = names.at(key.first);
    row["series"] = json::array();
    for (const auto& label : labels(group, r.from, r.to)) {
      auto it = by_period[key].find(label);
      json point = sums_json(it == by_period[key].end() ? Sums{} : it->second);
      point["period"] = label;
      row["series"].push_back(point);
    }
    rows.push_back(row);
  }
  // Largest amount first, then the newest customer (the highest id: ids are given in creation order).
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    return std::make_tuple(a["amount"].get<int64_t>(), a["customer_id"].get<int64_t>(),
                           a["currency"].get<std::string>()) > std::make_tuple(b["amount"].get<int64_t>(),
                                                                               b["customer_id"].get<int64_t>(),
                                                                               b["currency"].get<std::string>());
  });
  return rows;
}

// sales/by-team as {(team or null, currency): {name, sums, members: {owner or null: {name, sums}}}}.
json expect_by_team(TestDb& t, const Scope& s, const Range& r) {
  std::map<int64_t, std::string> team_names, user_names;
  for (const auto& row : raw(t, "SELECT id, name FROM teams"))
    team_names[row["id"].get<int64_t>()] = row["name"].get<std::string>();
  for (const auto& row : raw(t, "SELECT id, display_name FROM users"))
    user_names[row["id"].get<int64_t>()] = row["display_name"].get<std::string>();
  json out = json::object();
  for (const auto& sale : confirmed_sales(t)) {
    const std::string month = sale.day.substr(0, 7);
    if (month < r.from.substr(0, 7) || month > r.to.substr(0, 7) || !s.covers(sale.owner)) continue;
    const std::optional<int64_t> owner =
        sale.owner.is_null() ? std::nullopt : std::optional<int64_t>(sale.owner.get<int64_t>());
    const std::optional<int64_t> team = s.team_now(owner);
    json& line = out[json::array({team ? json(*team) : json(), sale.currency}).dump()];
    if (line.is_null())
      line = {{"name", team ? json(team_names.at(*team)) : json()},
              {"orders", 0},
              {"quantity", 0},
              {"amount", 0},
              {"members", json::object()}};
    json& member = line["members"][owner ? std::to_string(*owner) : "null"];
    if (member.is_null())
      member = {{"name", owner ? json(user_names.at(*owner)) : json()}, {"orders", 0}, {"quantity", 0}, {"amount", 0}};
    for (json* j : {&line, &member}) {
      (*j)["orders"] = (*j)["orders"].get<int64_t>() + sale.sums.orders;
      (*j)["quantity"] = (*j)["quantity"].get<int64_t>() + sale.sums.quantity;
      (*j)["amount"] = (*j)["amount"].get<int64_t>() + sale.sums.amount;
    }
  }
  return out;
}

// The answer of sales/by-team in the shape of expect_by_team, its order checked on the way.
json by_team_shape(const json& answer) {
  json out = json::object();
  for (size_t i = 0; i < answer["teams"].size(); ++i) {
    const json& team = answer["teams"][i];
    if (i > 0) CHECK(answer["teams"][i - 1]["amount"].get<int64_t>() >= team["amount"].get<int64_t>());
    json members = json::object();
    for (size_t m = 0; m < team["members"].size(); ++m) {
      const json& member = team["members"][m];
      if (m > 0) CHECK(team["members"][m - 1]["amount"].get<int64_t>() >= member["amount"].get<int64_t>());
      members[member["owner_id"].is_null() ? "null" : std::to_string(member["owner_id"].get<int64_t>())] = {
          {"name", member["name"]},
          {"orders", member["orders"]},
          {"quantity", member["quantity"]},
          {"amount", member["amount"]}};
    }
    out[json::array({team["team_id"], team["currency"]}).dump()] = {{"name", team["name"]},
                                                                    {"orders", team["orders"]},
                                                                    {"quantity", team["quantity"]},
                                                                    {"amount", team["amount"]},
                                                                    {"members", members}};
  }
  return out;
}

// contracts: {by_status: {"status currency": [n, amount]}, by_month: [...] zero-filled, total: {currency: [n,
// amount]}}.
json expect_contracts(TestDb& t, const Scope& s, const Range& r) {
  json by_status = json::object(), total = json::object();
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> signed_in;
  std::set<std::string> currencies;
  for (const auto& c : raw(t, "SELECT status, currency, amount, signed_date, owner_id FROM contracts")) {
    if (!s.covers(c["owner_id"])) continue;
    const std::string status = c["status"], cur = c["currency"];
    const int64_t amount = c["amount"].is_null() ? 0 : c["amount"].get<int64_t>();
    for (json* j : {&by_status[status + " " + cur], &total[cur]}) {
      if (j->is_null()) *j = {0, 0};
      *j = {(*j)[0].get<int64_t>() + 1, (*j)[1].get<int64_t>() + amount};
    }
    if ((status == "signed" || status == "executing" || status == "completed") && c["signed_date"].is_string()) {
      const std::string month = c["signed_date"].get<std::string>().substr(0, 7);
      if (month < r.from.substr(0, 7) || month > r.to.substr(0, 7)) continue;
      currencies.insert(cur);
      signed_in[{month, cur}].first += 1, signed_in[{month, cur}].second += amount;
    }
  }
  if (currencies.empty()) currencies.insert("CNY");
  json by_month = json::array();
  for (const auto& label : labels("month", r.from, r.to))
    for (const auto& cur : currencies) {
      auto v = signed_in[{label, cur}];
      by_month.push_back({{"period", label}, {"currency", cur}, {"contracts", v.first}, {"amount", v.second}});
    }
  return {{"from", r.from}, {"to", r.to}, {"by_status", by_status}, {"by_month", by_month}, {"total", total}};
}

json contracts_shape(const json& a) {
  json by_status = json::object(), total = json::object();
  for (const auto& row : a["by_status"])
    by_status[row["status"].get<std::string>() + " " + row["currency"].get<std::string>()] = {row["contracts"],
                                                                                              row["amount"]};
  for (const auto& row : a["total"]) total[row["currency"].get<std::string>()] = {row["contracts"], row["amount"]};
  return {
      {"from", a["from"]}, {"to", a["to"]}, {"by_status", by_status}, {"by_month", a["by_month"]}, {"total", total}};
}

// funnel, its stages' amounts as {currency: amount}; win rate and average days apart (they are rounded).
struct Funnel {
  json shape;
  std::optional<double> win_rate, average_days;
};
Funnel expect_funnel(TestDb& t, const Scope& s, const Range& r) {
  const std::vector<std::string> pipeline = {"lead", "qualified", "proposal", "negotiation", "won", "lost"};
  std::map<std::string, int64_t> count;
  std::map<std::string, json> amounts;
  int64_t won_days = 0;
  for (const auto& o : raw(t, "SELECT stage, currency, amount, owner_id, created_at, closed_at FROM opportunities")) {
    const std::string created = local_day(o["created_at"]);
    if (created < r.from || created > r.to || !s.covers(o["owner_id"])) continue;
    const std::string stage = o["stage"];
    count[stage] += 1;
    json& a = amounts[stage][o["currency"].get<std::string>()];
    a = (a.is_null() ? 0 : a.get<int64_t>()) + (o["amount"].is_null() ? 0 : o["amount"].get<int64_t>());
    if (stage == "won") won_days += (utc_midnight(local_day(o["closed_at"])) - utc_midnight(created)) / kDay;
  }
  json stages = json::array();
  for (const auto& stage : pipeline)
    stages.push_back({{"stage", stage},
                      {"opportunities", count[stage]},
                      {"amounts", amounts[stage].is_null() ? json::object() : amounts[stage]}});
  Funnel f;
  f.shape = {{"from", r.from}, {"to", r.to}, {"stages", stages}, {"won", count["won"]}, {"lost", count["lost"]}};
  if (count["won"] + count["lost"])
    f.win_rate = static_cast<double>(count["won"]) / static_cast<double>(count["won"] + count["lost"]);
  if (count["won"]) f.average_days = static_cast<double>(won_days) / static_cast<double>(count["won"]);
  return f;
}

Funnel funnel_shape(const json& a) {
  Funnel f;
  json stages = json::array();
  for (const auto& st : a["stages"]) {
    json amounts = json::object();
    for (const auto& x : st["amounts"]) amounts[x["currency"].get<std::string>()] = x["amount"];
    stages.push_back({{"stage", st["stage"]}, {"opportunities", st["opportunities"]}, {"amounts", amounts}});
  }
  f.shape = {{"from", a["from"]}, {"to", a["to"]}, {"stages", stages}, {"won", a["won"]}, {"lost", a["lost"]}};
  return f;
}

// forecast: {months: {"period currency": [n, amount, weighted]}, total: {currency: [...]}}; weighted is
// the sum of amount × probability, divided by 100 and rounded (half up) once.
json expect_forecast(TestDb& t, const Scope& s, std::optional<Range> r) {
  std::map<std::string, std::array<int64_t, 3>> months, totals;
  for (const auto& o :
       raw(t,
           "SELECT stage, currency, amount, probability, expected_close_date AS d, owner_id FROM opportunities"
           " WHERE stage NOT IN ('won', 'lost')")) {
    if (!s.covers(o["owner_id"])) continue;
    const std::string month = o["d"].is_string() ? o["d"].get<std::string>().substr(0, 7) : "";
    if (r && (month.empty() || month < r->from.substr(0, 7) || month > r->to.substr(0, 7))) continue;
    const int64_t amount = o["amount"].is_null() ? 0 : o["amount"].get<int64_t>();
    const int64_t x100 = amount * (o["probability"].is_null() ? 0 : o["probability"].get<int64_t>());
    for (auto* sums : {&months[(month.empty() ? "null" : month) + " " + o["currency"].get<std::string>()],
                       &totals[o["currency"].get<std::string>()]}) {
      (*sums)[0] += 1, (*sums)[1] += amount, (*sums)[2] += x100;
    }
  }
  auto rounded = [](const std::array<int64_t, 3>& v) {
    return json{v[0], v[1], std::llround(static_cast<double>(v[2]) / 100.0)};
  };
  json m = json::object(), total = json::object();
  for (const auto& [key, v] : months) m[key] = rounded(v);
  for (const auto& [key, v] : totals) total[key] = rounded(v);
  return {{"months", m}, {"total", total}};
}

json forecast_shape(const json& a) {
  json m = json::object(), total = json::object();
  std::string previous;
  for (const auto& row : a["months"]) {
    if (row["period"].is_string()) {  // by expected month, oldest first (where "no date" goes is not said)
      CHECK(row["period"].get<std::string>() >= previous);
      previous = row["period"].get<std::string>();
    }
    m[(row["period"].is_null() ? "null" : row["period"].get<std::string>()) + " " +
      row["currency"].get<std::string>()] = {row["opportunities"], row["amount"], row["weighted"]};
  }
  for (const auto& row : a["total"])
    total[row["currency"].get<std::string>()] = {row["opportunities"], row["amount"], row["weighted"]};
  return {{"months", m}, {"total", total}};
}

// campaigns: newest first, at most 200, each with its members by status (from campaign_members), its
// responses and cost per response, and the won opportunities naming it.
json expect_campaigns(TestDb& t, std::optional<int64_t> only) {
  json out = json::array();
  for (const auto& c : raw(t, "SELECT id, name, status, budget, actual_cost FROM campaigns ORDER BY id DESC")) {
    const int64_t id = c["id"].get<int64_t>();
    if (only && id != *only) continue;
    if (out.size() == 200) break;
    json members = {{"targeted", 0}, {"sent", 0}, {"opened", 0}, {"responded", 0}, {"converted", 0}};
    for (const auto& m : raw(t, "SELECT status FROM campaign_members WHERE campaign_id = " + std::to_string(id)))
      members[m["status"].get<std::string>()] = members[m["status"].get<std::string>()].get<int64_t>() + 1;
    const int64_t responses = members["responded"].get<int64_t>() + members["converted"].get<int64_t>();
    int64_t won = 0;
    json revenue = json::object();
    for (const auto& o : raw(t, "SELECT currency, amount FROM opportunities WHERE stage = 'won' AND campaign_id = " +
                                    std::to_string(id))) {
      ++won;
      json& r = revenue[o["currency"].get<std::string>()];
      r = (r.is_null() ? 0 : r.get<int64_t>()) + (o["amount"].is_null() ? 0 : o["amount"].get<int64_t>());
    }
    json cost =
        c["actual_cost"].is_null() || responses == 0
            ? json()
            : json(std::llround(static_cast<double>(c["actual_cost"].get<int64_t>()) / static_cast<double>(responses)));
    out.push_back({{"campaign_id", id},
                   {"name", c["name"]},
                   {"status", c["status"]},
                   {"budget", c["budget"]},
                   {"actual_cost", c["actual_cost"]},
                   {"members", members},
                   {"responses", responses},
                   {"cost_per_response", cost},
                   {"won", won},
                   {"revenue", revenue}});
  }
  return out;
}

json campaigns_shape(const json& a) {
  json out = json::array();
  for (json c : a["campaigns"]) {
    json revenue = json::object();
    for (const auto& r : c["revenue"]) revenue[r["currency"].get<std::string>()] = r["amount"];
    c["revenue"] = revenue;
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] test cases
// ---------------------------------------------------------------------------------------------------

using Params = StatParamMap;

void require_refused(const Result<json>& r, const std::string& field) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_request);
  CHECK(r.error().fields.count(field) == 1);
}

void require_not_found(const Result<json>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::not_found);
}

std::string str(int64_t id) { return std::to_string(id); }

}  // namespace

TEST_CASE("sales by customer: largest first, whole months, paged, within the viewer's reach") {
  World& w = world();
  const People& p = w.p;
  size_t listed = 0;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.manager_alone, p.rep_a1, p.rep_b1, p.rep_alone}) {
    for (const Params& asked :
         {Params{}, Params{{"group", "year"}}, Params{{"from", "2024-02-29"}, {"to", "2025-01-01"}},
          Params{{"group", "year"}, {"from", "2024-03-01"}, {"to", "2026-06-30"}}, Params{{"to", "2026-12-31"}},
          Params{{"from", "2024-01-01"}, {"to", "2024-12-31"}},
          Params{{"group", "year"}, {"from", "2025-01-15"}, {"to", "2025-12-01"}},
          // Company-wide, each of these reads the kept rankings differently (customer_ranking.h): a month's
          // own, a quarter's for two of its months, two months', a quarter's and a year's.
          Params{{"from", "2025-02-01"}, {"to", "2025-02-28"}}, Params{{"from", "2025-05-01"}, {"to", "2025-06-30"}},
          Params{{"from", "2025-06-01"}, {"to", "2025-07-31"}}, Params{{"from", "2024-12-01"}, {"to", "2025-11-30"}},
          // A team's (its own rankings for its manager or an administrator; nothing outside a manager's
          // team), and a rep's.
          Params{{"team_id", str(p.team_a)}}, Params{{"team_id", str(p.team_b)}, {"from", "2024-12-01"}, {"to", "2025-11-30"}},
          Params{{"team_id", str(p.team_a)}, {"from", "2024-01-01"}, {"to", "2026-12-31"}},
          Params{{"owner_id", str(p.rep_a1)}, {"group", "year"}}}) {
      const std::string group = asked.count("group") ? asked.find("group")->second : "month";
      // Neither from nor to: this calendar year; else as every range.
      const Range r = asked.count("from") || asked.count("to")
                          ? range_of(asked, group, kToday)
                          : Range{kToday.substr(0, 4) + "-01-01", kToday.substr(0, 4) + "-12-31"};
      const auto want = expect_by_customer(w.t, scope_of(w.t, p[who], asked), group, r);
      listed += want.size();
      const int64_t n = static_cast<int64_t>(want.size());
      for (const auto& [limit, offset] :
           std::vector<std::pair<int64_t, int64_t>>{{20, 0}, {100, 0}, {7, 7}, {3, n - 2}, {5, n + 5}}) {
        Params params = asked;
        if (limit != 20) params.emplace("limit", str(limit));
        if (offset != 0) params.emplace("offset", str(std::max<int64_t>(offset, 0)));
        const int64_t from = std::max<int64_t>(offset, 0);
        auto got = sales_by_customer(w.t.db(), p[who], params, kToday);
        REQUIRE(got.ok());
        INFO("viewer " << who << " asked " << json(params).dump());
        CHECK((*got)["group"] == group);
        CHECK((*got)["from"] == r.from);
        CHECK((*got)["to"] == r.to);
        json page = json::array();
        for (int64_t i = from; i < std::min(n, from + limit); ++i) page.push_back(want[static_cast<size_t>(i)]);
        CHECK((*got)["customers"] == page);
        CHECK((*got)["more"] == (from + limit < n));
      }
    }
  }
  CHECK(listed > 200);  // the comparisons above were not all of empty lists
}

TEST_CASE("sales by team: per team as it is now and per rep, owner-less orders under team null") {
  World& w = world();
  const People& p = w.p;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.manager_alone, p.rep_a2, p.rep_alone}) {
    for (const Params& asked : {Params{}, Params{{"from", "2024-01-01"}, {"to", "2026-12-31"}},
                                Params{{"from", "2025-12-31"}, {"to", "2026-01-01"}}, Params{{"to", "2024-12-31"}}}) {
      const Range r = range_of(asked, "month", kToday);
      auto got = sales_by_team(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      CHECK((*got)["from"] == r.from);
      CHECK((*got)["to"] == r.to);
      const json want = expect_by_team(w.t, scope_of(w.t, p[who]), r);
      CHECK(by_team_shape(*got) == want);
      if (who == p.admin && asked.size() == 2 && asked.find("from")->second == "2024-01-01") {
        CHECK(want.contains(json::array({nullptr, "CNY"}).dump()));  // owner-less and team-less orders exist
        CHECK(want.size() >= 5);
      }
    }
  }
}

TEST_CASE("contract statistics: by status (all), signed ones by signing month zero-filled, owner and team filters") {
  World& w = world();
  const People& p = w.p;
  int64_t signed_seen = 0;
  for (const int64_t who : {p.admin, p.contract, p.manager_a, p.manager_alone, p.rep_a1, p.rep_b1}) {
    for (const Params& asked :
         {Params{}, Params{{"from", "2024-01-01"}, {"to", "2026-06-30"}},
          Params{{"from", "2020-01-01"}, {"to", "2020-03-31"}}, Params{{"to", "2025-01-01"}},
          Params{{"owner_id", str(p.rep_a2)}, {"from", "2024-01-01"}},
          Params{{"team_id", str(p.team_b)}, {"from", "2024-01-01"}},
          Params{{"team_id", str(p.team_a)}, {"owner_id", str(p.rep_a1)}, {"from", "2024-01-01"}}}) {
      const Range r = range_of(asked, "month", kToday);
      auto got = contract_statistics(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      const json want = expect_contracts(w.t, scope_of(w.t, p[who], asked, true), r);
      CHECK(contracts_shape(*got) == want);
      for (const auto& m : want["by_month"]) signed_seen += m["contracts"].get<int64_t>();
    }
  }
  CHECK(signed_seen > 50);
  // Every status is there for the company.
  auto all = contract_statistics(w.t.db(), p[p.admin], {}, kToday);
  REQUIRE(all.ok());
  std::set<std::string> statuses;
  for (const auto& row : (*all)["by_status"]) statuses.insert(row["status"].get<std::string>());
  CHECK(statuses ==
        std::set<std::string>{"completed", "draft", "executing", "pending_approval", "signed", "terminated"});
}

TEST_CASE("funnel: opportunities created in the range by stage, win rate, average local days to close") {
  World& w = world();
  const People& p = w.p;
  int64_t won_seen = 0;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.manager_alone, p.rep_a1, p.rep_alone}) {
    for (const Params& asked :
         {Params{}, Params{{"from", "2024-01-01"}, {"to", "2026-07-31"}},
          Params{{"from", "2024-02-29"}, {"to", "2024-02-29"}}, Params{{"from", "2024-12-31"}, {"to", "2025-01-01"}},
          Params{{"owner_id", str(p.rep_b1)}, {"from", "2024-01-01"}, {"to", "2026-12-31"}},
          Params{{"team_id", str(p.team_a)}, {"from", "2024-01-01"}, {"to", "2026-12-31"}}}) {
      const Range r = range_of(asked, "month", kToday);
      auto got = funnel_statistics(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      const Funnel want = expect_funnel(w.t, scope_of(w.t, p[who], asked), r);
      CHECK(funnel_shape(*got).shape == want.shape);
      if (want.win_rate) {
        REQUIRE((*got)["win_rate"].is_number());
        CHECK((*got)["win_rate"].get<double>() == doctest::Approx(*want.win_rate).epsilon(1e-9));
      } else {
        CHECK((*got)["win_rate"].is_null());
      }
      check_two_decimals((*got)["average_days_to_close"], want.average_days);
      won_seen += want.shape["won"].get<int64_t>();
    }
  }
  CHECK(won_seen > 20);
}

TEST_CASE("funnel: days to close count local days, so two minutes across a Shanghai midnight is one day") {
  ZonesInstalled zones;
  TestDb t;
  const int64_t c = t.create(customers_def(), {{"name", "客户"}})["id"].get<int64_t>();
  auto won_after = [&](int64_t created, int64_t closed) {
    t.clock().set_ms(created);
    const int64_t id =
        t.create(opportunities_def(), {{"customer_id", c}, {"title", "机会"}, {"amount", 10}})["id"].get<int64_t>();
    t.clock().set_ms(closed);
    patch(t, opportunities_def(), id, {{"stage", "won"}});
  };
  won_after(local_instant("2025-12-31", true), local_instant("2026-01-01", false));  // 2 minutes, 1 local day
  won_after(local_instant("2024-02-28", false), local_instant("2024-03-01", true));  // 0:01 to 23:59 two days on: 2
  won_after(local_instant("2024-02-29", false), local_instant("2024-02-29", true));  // the same local day: 0
  auto got = funnel_statistics(t.db(), Viewer::system(), {{"from", "2024-01-01"}, {"to", "2025-12-31"}}, "2026-01-01");
  REQUIRE(got.ok());
  CHECK((*got)["won"] == 3);
  CHECK((*got)["lost"] == 0);
  CHECK((*got)["win_rate"] == 1.0);
  CHECK((*got)["average_days_to_close"] == 1.0);  // (1 + 2 + 0) / 3
  // The one created at 00:01 on 2024-02-29 local (16:01Z on the 28th) counts on the leap day.
  auto leap = funnel_statistics(t.db(), Viewer::system(), {{"from", "2024-02-29"}, {"to", "2024-02-29"}}, "2026-01-01");
  REQUIRE(leap.ok());
  CHECK((*leap)["won"] == 1);
  CHECK((*leap)["average_days_to_close"] == 0.0);
}

TEST_CASE("forecast: open opportunities by expected month, weighted once and rounded half up") {
  World& w = world();
  const People& p = w.p;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.manager_alone, p.rep_a1, p.rep_b1}) {
    for (const Params& asked :
         {Params{}, Params{{"from", "2026-01-01"}, {"to", "2026-12-31"}},
          Params{{"from", "2024-02-01"}, {"to", "2024-02-29"}}, Params{{"to", "2026-06-30"}},
          Params{{"from", "2025-06-01"}}, Params{{"owner_id", str(p.rep_a2)}}, Params{{"team_id", str(p.team_b)}},
          Params{{"team_id", str(p.team_a)}, {"from", "2026-01-01"}, {"to", "2027-12-31"}}}) {
      const bool ranged = asked.count("from") || asked.count("to");
      std::optional<Range> r;
      if (ranged) r = range_of(asked, "month", kToday);
      auto got = forecast_statistics(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      CHECK(forecast_shape(*got) == expect_forecast(w.t, scope_of(w.t, p[who], asked), r));
    }
  }
  // Rounding: three opportunities of 1 at 50% weigh 1.5, shown as 2 — not 3 (each rounded) nor 1 (truncated).
  ZonesInstalled zones;
  TestDb t;
  const int64_t c = t.create(customers_def(), {{"name", "客户"}})["id"].get<int64_t>();
  for (int i = 0; i < 3; ++i)
    t.create(opportunities_def(), {{"customer_id", c},
                                   {"title", "小单"},
                                   {"amount", 1},
                                   {"probability", 50},
                                   {"expected_close_date", "2026-04-30"}});
  t.create(opportunities_def(),
           {{"customer_id", c}, {"title", "美元"}, {"amount", 3}, {"probability", 33}, {"currency", "USD"}});
  t.create(opportunities_def(), {{"customer_id", c}, {"title", "无赢率"}, {"amount", 1000}, {"currency", "USD"}});
  auto got = forecast_statistics(t.db(), Viewer::system(), {}, "2026-03-15");
  REQUIRE(got.ok());
  CHECK((*got)["months"] ==
        json::array(
            {json{{"period", "2026-04"}, {"currency", "CNY"}, {"opportunities", 3}, {"amount", 3}, {"weighted", 2}},
             json{{"period", nullptr}, {"currency", "USD"}, {"opportunities", 2}, {"amount", 1003}, {"weighted", 1}}}));
}

TEST_CASE("campaign statistics: members by status, cost per response, revenue of won opportunities, newest 200") {
  World& w = world();
  const People& p = w.p;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_alone}) {
    auto got = campaign_statistics(w.t.db(), p[who], {}, kToday);
    REQUIRE(got.ok());
    const json want = expect_campaigns(w.t, std::nullopt);
    REQUIRE(want.size() == 200);
    const json shape = campaigns_shape(*got);
    CHECK(shape.size() == 200);
    for (size_t i = 0; i < std::min(shape.size(), want.size()); ++i) {
      INFO("campaign " << want[i]["campaign_id"]);
      CHECK(shape[i] == want[i]);
    }
  }
  int64_t responses = 0, won = 0;
  for (const int64_t id : w.campaigns) {
    auto one = campaign_statistics(w.t.db(), p[p.admin], {{"campaign_id", str(id)}}, kToday);
    REQUIRE(one.ok());
    const json want = expect_campaigns(w.t, id);
    CHECK(campaigns_shape(*one) == want);
    responses += want[0]["responses"].get<int64_t>(), won += want[0]["won"].get<int64_t>();
  }
  CHECK(responses > 5);
  CHECK(won > 5);
  auto none = campaign_statistics(w.t.db(), p[p.admin], {{"campaign_id", "999999"}}, kToday);
  REQUIRE(none.ok());
  CHECK((*none)["campaigns"] == json::array());

  // Cost per response to the nearest unit: 1001 over 3 responses is 334 (333.67), not 333.
  ZonesInstalled zones;
  TestDb t;
  const int64_t campaign = t.create(campaigns_def(), {{"name", "小活动"}, {"actual_cost", 1001}})["id"].get<int64_t>();
  const std::vector<std::string> statuses = {"responded", "converted", "responded", "opened", "sent", "targeted"};
  for (size_t i = 0; i < statuses.size(); ++i) {
    const int64_t c = t.create(customers_def(), {{"name", "成员" + std::to_string(i)}})["id"].get<int64_t>();
    put_member(t, campaign, {{"customer_id", c}, {"status", statuses[i]}});
  }
  auto small = campaign_statistics(t.db(), Viewer::system(), {}, kToday);
  REQUIRE(small.ok());
  REQUIRE((*small)["campaigns"].size() == 1);
  CHECK((*small)["campaigns"][0]["members"] ==
        json{{"targeted", 1}, {"sent", 1}, {"opened", 1}, {"responded", 2}, {"converted", 1}});
  CHECK((*small)["campaigns"][0]["responses"] == 3);
  CHECK((*small)["campaigns"][0]["cost_per_response"] == 334);
  CHECK((*small)["campaigns"][0]["won"] == 0);
  CHECK((*small)["campaigns"][0]["revenue"] == json::array());
}

TEST_CASE("ticket statistics: created in the range by status and type, resolution hours, satisfaction") {
  World& w = world();
  const People& p = w.p;
  int64_t rated_seen = 0;
  for (const int64_t who : {p.admin, p.service}) {
    for (const Params& asked : {Params{}, Params{{"from", "2024-01-01"}, {"to", "2026-07-31"}},
                                Params{{"from", "2024-02-29"}, {"to", "2024-03-01"}},
                                Params{{"from", "2025-01-01"}, {"to", "2025-12-31"}}, Params{{"to", "2025-06-30"}}}) {
      const Range r = range_of(asked, "month", kToday);
      auto got = ticket_statistics(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      std::map<std::string, int64_t> by_status, by_type;
      int64_t tickets = 0, resolved = 0, seconds = 0, rated = 0, rated_sum = 0;
      json counts = json::array({0, 0, 0, 0, 0});
      for (const auto& k : raw(w.t, "SELECT status, type, created_at, resolved_at, satisfaction FROM tickets")) {
        const std::string day = local_day(k["created_at"]);
        if (day < r.from || day > r.to) continue;
        ++tickets, ++by_status[k["status"].get<std::string>()], ++by_type[k["type"].get<std::string>()];
        if (k["resolved_at"].is_string()) {
          ++resolved;
          seconds += (parse_rfc3339_ms(k["resolved_at"].get<std::string>()) -
                      parse_rfc3339_ms(k["created_at"].get<std::string>())) /
                     1000;
        }
        if (k["satisfaction"].is_number_integer()) {
          const int64_t sat = k["satisfaction"].get<int64_t>();
          ++rated, rated_sum += sat;
          counts[static_cast<size_t>(sat - 1)] = counts[static_cast<size_t>(sat - 1)].get<int64_t>() + 1;
        }
      }
      CHECK((*got)["from"] == r.from);
      CHECK((*got)["to"] == r.to);
      CHECK((*got)["tickets"] == tickets);
      check_largest_first((*got)["by_status"], "status", "tickets", by_status);
      check_largest_first((*got)["by_type"], "type", "tickets", by_type);
      CHECK((*got)["resolved"] == resolved);
      check_two_decimals(
          (*got)["average_resolution_hours"],
          resolved ? std::optional<double>(static_cast<double>(seconds) / 3600.0 / static_cast<double>(resolved))
                   : std::nullopt);
      CHECK((*got)["satisfaction"]["rated"] == rated);
      CHECK((*got)["satisfaction"]["counts"] == counts);
      check_two_decimals(
          (*got)["satisfaction"]["average"],
          rated ? std::optional<double>(static_cast<double>(rated_sum) / static_cast<double>(rated)) : std::nullopt);
      rated_seen += rated;
    }
  }
  CHECK(rated_seen > 40);
}

TEST_CASE("customer statistics: new per month zero-filled, the split of all customers, within reach") {
  World& w = world();
  const People& p = w.p;
  int64_t counted = 0;
  for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.manager_alone, p.rep_a1, p.rep_alone}) {
    for (const Params& asked :
         {Params{}, Params{{"from", "2024-01-01"}, {"to", "2026-07-31"}},
          Params{{"from", "2024-02-29"}, {"to", "2024-03-01"}}, Params{{"to", "2025-01-01"}},
          Params{{"owner_id", str(p.rep_b1)}}, Params{{"team_id", str(p.team_a)}},
          Params{{"team_id", str(p.team_b)}, {"owner_id", str(p.manager_b)}, {"from", "2024-01-01"}}}) {
      const Range r = range_of(asked, "month", kToday);
      const Scope s = scope_of(w.t, p[who], asked);
      auto got = customer_statistics(w.t.db(), p[who], asked, kToday);
      REQUIRE(got.ok());
      INFO("viewer " << who << " asked " << json(asked).dump());
      std::map<std::string, int64_t> per_month, splits[4];
      int64_t total = 0;
      for (const auto& c : raw(w.t, "SELECT type, source, level, status, owner_id, created_at FROM customers")) {
        if (!s.covers(c["owner_id"])) continue;
        ++total, ++per_month[local_day(c["created_at"]).substr(0, 7)];
        int i = 0;
        for (const char* field : {"type", "source", "level", "status"})
          ++splits[i++][c[field].is_string() ? c[field].get<std::string>() : ""];
      }
      json new_per_month = json::array();
      for (const auto& label : labels("month", r.from, r.to))
        new_per_month.push_back({{"period", label}, {"customers", per_month[label]}});
      CHECK((*got)["from"] == r.from);
      CHECK((*got)["to"] == r.to);
      CHECK((*got)["new_per_month"] == new_per_month);
      CHECK((*got)["total"] == total);
      check_largest_first((*got)["by_type"], "value", "customers", splits[0]);
      check_largest_first((*got)["by_source"], "value", "customers", splits[1]);
      check_largest_first((*got)["by_level"], "value", "customers", splits[2]);
      check_largest_first((*got)["by_status"], "value", "customers", splits[3]);
      counted += total;
    }
  }
  CHECK(counted > 150);
}

TEST_CASE("sales by team follows the team a rep is in now; by customer counts an order on its order date's month") {
  ZonesInstalled zones;
  TestDb t;
  People p = make_people(t);
  const int64_t product =
      t.create(products_def(), {{"sku", "A"}, {"name", "甲"}, {"price", 1000}, {"stock", 1000}})["id"].get<int64_t>();
  const int64_t c = t.create(customers_def(), {{"name", "客户"}, {"owner_id", p.rep_a1}})["id"].get<int64_t>();
  auto order = [&](json owner, const std::string& currency, int quantity) {
    json input = {{"customer_id", c},
                  {"currency", currency},
                  {"order_date", "2026-02-28"},
                  {"items", json::array({json{{"product_id", product}, {"quantity", quantity}}})}};
    if (!owner.is_null()) input["owner_id"] = owner;
    t.create(orders_def(), input);
  };
  order(p.rep_a1, "CNY", 3);
  order(p.rep_a1, "USD", 1);
  order(nullptr, "CNY", 2);
  order(p.rep_alone, "CNY", 5);
  const Params range = {{"from", "2026-01-01"}, {"to", "2026-03-31"}};
  auto teams = sales_by_team(t.db(), p[p.admin], range, "2026-03-15");
  REQUIRE(teams.ok());
  json want = {
      {"from", "2026-01-01"},
      {"to", "2026-03-31"},
      {"teams",
       {{{"team_id", nullptr},
         {"name", nullptr},
         {"currency", "CNY"},
         {"orders", 2},
         {"quantity", 7},
         {"amount", 7000},
         {"members",
          {{{"owner_id", p.rep_alone}, {"name", "rep.alone的名字"}, {"orders", 1}, {"quantity", 5}, {"amount", 5000}},
           {{"owner_id", nullptr}, {"name", nullptr}, {"orders", 1}, {"quantity", 2}, {"amount", 2000}}}}},
        {{"team_id", p.team_a},
         {"name", "华东销售部"},
         {"currency", "CNY"},
         {"orders", 1},
         {"quantity", 3},
         {"amount", 3000},
         {"members",
          {{{"owner_id", p.rep_a1}, {"name", "rep.a1的名字"}, {"orders", 1}, {"quantity", 3}, {"amount", 3000}}}}},
        {{"team_id", p.team_a},
         {"name", "华东销售部"},
         {"currency", "USD"},
         {"orders", 1},
         {"quantity", 1},
         {"amount", 1000},
         {"members",
          {{{"owner_id", p.rep_a1}, {"name", "rep.a1的名字"}, {"orders", 1}, {"quantity", 1}, {"amount", 1000}}}}}}}};
  CHECK(*teams == want);

  // rep.a1 moves to team B: their orders go with them, for the admin and for both managers.
  {
    auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
    REQUIRE(txn.ok());
    auto user = get_record(t.db(), users_def(), p.rep_a1);
    REQUIRE(user.ok());
    REQUIRE(update_record(**txn, users_def(), p.rep_a1, {{"team_id", p.team_b}}, (*user)["rev"].get<int64_t>()).ok());
    REQUIRE((*txn)->commit().ok());
  }
  teams = sales_by_team(t.db(), p[p.admin], range, "2026-03-15");
  REQUIRE(teams.ok());
  for (auto& team : want["teams"])
    if (team["team_id"] == p.team_a) team["team_id"] = p.team_b, team["name"] = "华南销售部";
  CHECK(*teams == want);
  auto manager_b = sales_by_team(t.db(), p[p.manager_b], range, "2026-03-15");
  REQUIRE(manager_b.ok());
  CHECK((*manager_b)["teams"] == json::array({want["teams"][1], want["teams"][2]}));
  auto manager_a = sales_by_team(t.db(), p[p.manager_a], range, "2026-03-15");
  REQUIRE(manager_a.ok());
  CHECK((*manager_a)["teams"] == json::array());

  // By customer: one row per currency, largest first, the 2026-02 month filled, the others zero.
  auto by_customer = sales_by_customer(t.db(), p[p.admin], range, "2026-03-15");
  REQUIRE(by_customer.ok());
  REQUIRE((*by_customer)["customers"].size() == 2);
  CHECK((*by_customer)["customers"][0]["currency"] == "CNY");
  CHECK((*by_customer)["customers"][0]["amount"] == 10000);
  CHECK((*by_customer)["customers"][0]["series"] ==
        json::array({json{{"period", "2026-01"}, {"orders", 0}, {"quantity", 0}, {"amount", 0}},
                     json{{"period", "2026-02"}, {"orders", 3}, {"quantity", 10}, {"amount", 10000}},
                     json{{"period", "2026-03"}, {"orders", 0}, {"quantity", 0}, {"amount", 0}}}));
  CHECK((*by_customer)["customers"][1]["currency"] == "USD");
  CHECK((*by_customer)["customers"][1]["amount"] == 1000);
  CHECK((*by_customer)["more"] == false);

  // A user record removed (the API removes none; core's record store may) leaves its team with its sales:
  // rep.a1's orders lose their owner (the reference is cleared) and rank under no team, as a count from
  // scratch finds them.
  REQUIRE(t.try_delete(users_def(), p.rep_a1).ok());
  require_exact(t);
  teams = sales_by_team(t.db(), p[p.admin], range, "2026-03-15");
  REQUIRE(teams.ok());
  const json unteamed = {
      {{"team_id", nullptr},
       {"name", nullptr},
       {"currency", "CNY"},
       {"orders", 3},
       {"quantity", 10},
       {"amount", 10000},
       {"members",  // equal amounts keep the owners' order: none first
        {{{"owner_id", nullptr}, {"name", nullptr}, {"orders", 2}, {"quantity", 5}, {"amount", 5000}},
         {{"owner_id", p.rep_alone}, {"name", "rep.alone的名字"}, {"orders", 1}, {"quantity", 5}, {"amount", 5000}}}}},
      {{"team_id", nullptr},
       {"name", nullptr},
       {"currency", "USD"},
       {"orders", 1},
       {"quantity", 1},
       {"amount", 1000},
       {"members", {{{"owner_id", nullptr}, {"name", nullptr}, {"orders", 1}, {"quantity", 1}, {"amount", 1000}}}}}};
  CHECK((*teams)["teams"] == unteamed);
  manager_b = sales_by_team(t.db(), p[p.manager_b], range, "2026-03-15");
  REQUIRE(manager_b.ok());
  CHECK((*manager_b)["teams"] == json::array());
}

namespace {

// A churn row as documented, from the customer's raw row.
json churn_row(TestDb& t, int64_t id, const char* reason) {
  const json c =
      raw(t, "SELECT id, name, owner_id, level, last_contact_at, last_order_at FROM customers WHERE id = " + str(id))
          .at(0);
  return {{"customer_id", id},
          {"name", c["name"]},
          {"owner_id", c["owner_id"]},
          {"level", c["level"]},
          {"reason", reason},
          {"last_contact_at", c["last_contact_at"]},
          {"last_order_at", c["last_order_at"]}};
}

// churn_list as documented, over customers within the viewer's reach (the customer's owner): the longest
// forgotten first, then the largest falls of a currency's confirmed orders (this window against the one
// before), each customer once, at most `limit` per reason.
json expect_churn(TestDb& t, const Scope& s, int64_t days, int64_t limit, const std::string& today, int64_t now) {
  const std::string cutoff = format_rfc3339_ms(now - days * kDay);
  std::vector<std::pair<std::string, int64_t>> forgotten;
  std::map<int64_t, json> owner_of;
  for (const auto& c : raw(t, "SELECT id, owner_id, created_at, last_contact_at, last_order_at FROM customers")) {
    owner_of[c["id"].get<int64_t>()] = c["owner_id"];
    if (!s.covers(c["owner_id"])) continue;
    std::string touch = c["created_at"];
    for (const char* f : {"last_contact_at", "last_order_at"})
      if (c[f].is_string()) touch = std::max(touch, c[f].get<std::string>());
    if (touch < cutoff) forgotten.push_back({touch, c["id"].get<int64_t>()});
  }
  std::sort(forgotten.begin(), forgotten.end());
  json out = json::array();
  std::set<int64_t> listed;
  for (size_t i = 0; i < forgotten.size() && static_cast<int64_t>(i) < limit; ++i) {
    out.push_back(churn_row(t, forgotten[i].second, "no_contact"));
    listed.insert(forgotten[i].second);
  }
  const std::string now_from = plus_days(today, -days + 1), before_from = plus_days(today, -2 * days + 1);
  std::map<std::pair<int64_t, std::string>, std::pair<int64_t, int64_t>> windows;  // (before, now)
  for (const auto& sale : confirmed_sales(t)) {
    if (!s.covers(owner_of.at(sale.customer)) || sale.day < before_from || sale.day > today) continue;
    auto& w = windows[{sale.customer, sale.currency}];
    (sale.day >= now_from ? w.second : w.first) += sale.sums.amount;
  }
  std::vector<std::tuple<int64_t, int64_t, std::string>> falls;  // (-fall, customer, currency)
  for (const auto& [key, w] : windows)
    if (w.first > 0 && w.second * 2 < w.first) falls.emplace_back(-(w.first - w.second), key.first, key.second);
  std::sort(falls.begin(), falls.end());
  int64_t added = 0;
  for (const auto& [minus_fall, customer, currency] : falls) {
    if (added == limit || !listed.insert(customer).second) continue;
    json row = churn_row(t, customer, "orders_fell");
    const auto& w = windows[{customer, currency}];
    row["currency"] = currency, row["amount_before"] = w.first, row["amount_now"] = w.second;
    out.push_back(row);
    ++added;
  }
  return out;
}

}  // namespace

TEST_CASE("churn: forgotten customers and falling orders against the customers' own activities and orders") {
  ZonesInstalled zones;
  TestDb t;
  People p = make_people(t);
  t.put_settings({{"churn_days", 60}});
  const int64_t now = parse_rfc3339_ms("2026-05-20T04:00:00Z");
  const std::string today = "2026-05-20";
  std::mt19937 rng(20260520);
  auto number = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto chance = [&](int percent) { return number(0, 99) < percent; };
  auto pick = [&](const auto& v) { return v[static_cast<size_t>(number(0, static_cast<int64_t>(v.size()) - 1))]; };
  const int64_t product =
      t.create(products_def(), {{"sku", "A"}, {"name", "甲"}, {"price", 1000}, {"stock", 1'000'000'000}})["id"]
          .get<int64_t>();
  const std::vector<json> owners = {p.rep_a1, p.rep_a2, p.rep_b1, p.manager_a, nullptr};
  const std::vector<json> levels = {"A", "B", "C", "D", nullptr};
  const std::vector<std::string> activity_types = {"call", "visit", "meeting", "email", "note", "task"};
  // What the record rules should have made of last_contact_at and last_order_at (record_rules.h).
  std::map<int64_t, std::pair<std::string, std::string>> model;
  for (int i = 0; i < 70; ++i) {
    const int64_t created = now - number(0, 400 * kDay);
    json input = {{"name", "老客户" + std::to_string(i)}};
    if (json owner = pick(owners); !owner.is_null()) input["owner_id"] = owner;
    if (json level = pick(levels); !level.is_null()) input["level"] = level;
    t.clock().set_ms(created);
    const int64_t id = t.create(customers_def(), input)["id"].get<int64_t>();
    auto& [contact, ordered] = model[id];
    for (int64_t n = number(0, 3); n > 0; --n) {
      const int64_t written = created + number(0, now - created);
      const std::string type = pick(activity_types);
      const bool done = chance(70);
      json activity = {{"type", type}, {"subject", "跟进"}, {"customer_id", id}, {"done", done}};
      const int64_t start = now - number(0, 400 * kDay), end = start + number(0, 3 * kHour);
      const int mode = static_cast<int>(number(0, 2));
      if (mode >= 1) activity["start_at"] = format_rfc3339_ms(start);
      if (mode == 2) activity["end_at"] = format_rfc3339_ms(end);
      t.clock().set_ms(written);
      t.create(activities_def(), activity);
      if (!done || type == "note" || type == "task") continue;
      std::string at = format_rfc3339_ms(written);
      if (mode >= 1) at = std::min(at, format_rfc3339_ms(mode == 2 ? end : start));
      contact = std::max(contact, at);
    }
    const std::string main_currency = i % 3 == 0 ? "USD" : "CNY";
    for (int64_t n = number(0, 5); n > 0; --n) {
      const int64_t written = created + number(0, now - created);
      json order = {
          {"customer_id", id},
          {"currency", chance(80) ? main_currency : (main_currency == "USD" ? "CNY" : "USD")},
          {"items", json::array({json{
                        {"product_id", product}, {"quantity", number(1, 5)}, {"unit_price", number(100, 9999)}}})}};
      if (input.contains("owner_id")) order["owner_id"] = input["owner_id"];
      const bool dated = chance(80);  // else the local day it is written on (order_rules.h)
      if (dated) order["order_date"] = plus_days(today, -number(0, 370));
      const std::string order_day =
          dated ? order["order_date"].get<std::string>() : local_day(format_rfc3339_ms(written));
      const bool confirmed = chance(85);
      if (!confirmed) order["status"] = "cancelled";
      t.clock().set_ms(written);
      t.create(orders_def(), order);
      if (!confirmed) continue;
      std::string at = format_rfc3339_ms(written);
      at = std::min(at, format_rfc3339_ms(utc_midnight(order_day) - 8 * kHour));  // the day's start in Shanghai
      ordered = std::max(ordered, at);
    }
  }
  for (const auto& c : raw(t, "SELECT id, last_contact_at, last_order_at FROM customers")) {
    INFO("customer " << c.dump());
    const auto& [contact, ordered] = model.at(c["id"].get<int64_t>());
    CHECK(c["last_contact_at"] == (contact.empty() ? json() : json(contact)));
    CHECK(c["last_order_at"] == (ordered.empty() ? json() : json(ordered)));
  }

  // Asked first with no kept window (the comparison summed when asked), then with the window kept for
  // the configured 60 days (churn_window.h): the lists must be the same, and as documented.
  size_t no_contact = 0, fell = 0;
  for (const bool kept : {false, true}) {
    if (kept) {
      auto txn = Transaction::begin(t.db(), true);
      REQUIRE(txn.ok());
      REQUIRE(bring_churn_window_to(t.db(), 60, today).ok());
      REQUIRE((*txn)->commit().ok());
    }
    for (const int64_t who : {p.admin, p.manager_a, p.manager_b, p.rep_a1, p.rep_b1, p.manager_alone}) {
      for (const Params& asked :
           {Params{}, Params{{"days", "30"}}, Params{{"days", "90"}, {"limit", "3"}}, Params{{"days", "180"}},
            Params{{"days", "45"}, {"limit", "1"}}, Params{{"days", "1"}}, Params{{"days", "3650"}}}) {
        const int64_t days = asked.count("days") ? std::stoll(asked.find("days")->second) : 60;
        const int64_t limit = asked.count("limit") ? std::stoll(asked.find("limit")->second) : 100;
        auto got = churn_list(t.db(), p[who], asked, today, now);
        REQUIRE(got.ok());
        INFO("viewer " << who << " asked " << json(asked).dump() << (kept ? " (window kept)" : ""));
        CHECK((*got)["days"] == days);
        const json want = expect_churn(t, scope_of(t, p[who]), days, limit, today, now);
        CHECK((*got)["customers"] == want);
        for (const auto& row : want) ++(row["reason"] == "no_contact" ? no_contact : fell);
      }
    }
  }
  CHECK(no_contact > 100);
  CHECK(fell > 40);
}

TEST_CASE("churn: the windows' edges, each customer once whatever its currencies, and only customers within reach") {
  ZonesInstalled zones;
  TestDb t;
  People p = make_people(t);
  const int64_t now = parse_rfc3339_ms("2026-05-20T04:00:00Z");
  const std::string today = "2026-05-20";  // days=30: now 2026-04-21..05-20, before 2026-03-22..04-20
  const int64_t product =
      t.create(products_def(), {{"sku", "A"}, {"name", "甲"}, {"price", 1000}, {"stock", 1'000'000'000}})["id"]
          .get<int64_t>();
  auto customer = [&](const std::string& name, int64_t owner, const std::string& created) {
    t.clock().set_ms(parse_rfc3339_ms(created));
    return t.create(customers_def(), {{"name", name}, {"owner_id", owner}})["id"].get<int64_t>();
  };
  auto activity = [&](int64_t c, const std::string& type, bool done, int64_t written, json times = json::object()) {
    json input = {{"type", type}, {"subject", "联系"}, {"customer_id", c}, {"done", done}};
    input.update(times);
    t.clock().set_ms(written);
    t.create(activities_def(), input);
  };
  auto order = [&](int64_t c, int64_t owner, const std::string& day, int64_t amount,
                   const std::string& currency = "CNY", const std::string& status = "confirmed") {
    t.clock().set_ms(now);
    t.create(orders_def(),
             {{"customer_id", c},
              {"owner_id", owner},
              {"order_date", day},
              {"currency", currency},
              {"status", status},
              {"items", json::array({json{{"product_id", product}, {"quantity", 1}, {"unit_price", amount}}})}});
  };
  const std::string long_ago = "2025-01-01T00:00:00.000Z";
  const int64_t P = customer("P 两种币种都下降", p.rep_a1, long_ago), Q = customer("Q", p.rep_a1, long_ago),
                R = customer("R 别人下的单", p.rep_a1, long_ago), S = customer("S 窗口边界", p.rep_a1, long_ago),
                T = customer("T 正好一半", p.rep_a1, long_ago);
  for (int64_t c : {P, Q, R, S, T}) activity(c, "call", true, now - kDay);
  order(P, p.rep_a1, "2026-04-01", 9000), order(P, p.rep_a1, "2026-05-01", 1000),
      order(P, p.rep_a1, "2026-04-20", 7000, "USD");
  order(Q, p.rep_a1, "2026-03-22", 5000);
  order(R, p.rep_b1, "2026-04-10", 4000);  // rep.a1's customer, the order rep.b1's
  order(S, p.rep_a1, "2026-04-20", 1000), order(S, p.rep_a1, "2026-04-21", 499),
      order(S, p.rep_a1, "2026-03-21", 10000);
  order(T, p.rep_a1, "2026-04-20", 1000), order(T, p.rep_a1, "2026-05-20", 500);
  const int64_t W = customer("W 只有记事", p.rep_a2, "2025-01-01T01:00:00.000Z");
  activity(W, "note", true, now - kDay), activity(W, "call", false, now - kDay);
  const int64_t Y = customer("Y 只有取消的订单", p.rep_a2, "2025-01-01T02:00:00.000Z");
  order(Y, p.rep_a2, "2026-05-19", 3000, "CNY", "cancelled");
  const int64_t Z = customer("Z 最近结束的拜访", p.rep_a2, long_ago);
  activity(Z, "visit", true, now,
           {{"start_at", "2026-01-01T00:00:00Z"}, {"end_at", format_rfc3339_ms(now - 2 * kDay)}});
  const int64_t Z2 = customer("Z2 早就开过的会", p.rep_a2, long_ago);
  activity(Z2, "meeting", true, now, {{"start_at", format_rfc3339_ms(now - 100 * kDay)}});
  const int64_t U = customer("U 刚好过期", p.rep_a2, format_rfc3339_ms(now - 30 * kDay - 1));

  auto churn = [&](int64_t who, Params params) {
    params.emplace("days", "30");
    auto got = churn_list(t.db(), p[who], params, today, now);
    REQUIRE(got.ok());
    return (*got)["customers"];
  };
  auto fell = [&](int64_t c, const std::string& currency, int64_t before, int64_t after) {
    json row = churn_row(t, c, "orders_fell");
    row["currency"] = currency, row["amount_before"] = before, row["amount_now"] = after;
    return row;
  };
  const json forgotten = {churn_row(t, W, "no_contact"), churn_row(t, Y, "no_contact"), churn_row(t, Z2, "no_contact"),
                          churn_row(t, U, "no_contact")};
  const json falls = {fell(P, "CNY", 9000, 1000), fell(Q, "CNY", 5000, 0), fell(R, "CNY", 4000, 0),
                      fell(S, "CNY", 1000, 499)};
  auto join = [](json a, const json& b) {
    for (const auto& x : b) a.push_back(x);
    return a;
  };
  // The independent expectation agrees with these rows.
  CHECK(expect_churn(t, scope_of(t, p[p.admin]), 30, 100, today, now) == join(forgotten, falls));

  SUBCASE("the company") {
    CHECK(churn(p.admin, {}) == join(forgotten, falls));
    CHECK(churn(p.admin, {{"limit", "1"}}) == json::array({forgotten[0], falls[0]}));
  }
  SUBCASE("a customer listed once, whatever its currencies, and the limit counts customers") {
    CHECK(churn(p.rep_a1, {{"limit", "2"}}) == json::array({falls[0], falls[1]}));
  }
  SUBCASE("a rep's own customers, whoever took their orders") {
    CHECK(churn(p.rep_a1, {}) == falls);
    CHECK(churn(p.manager_a, {}) == join(forgotten, falls));
  }
  SUBCASE("never a customer outside the viewer's reach") {
    CHECK(churn(p.rep_b1, {}) == json::array());
    CHECK(churn(p.manager_b, {}) == json::array());
  }
}

TEST_CASE("statistics ranges default to the last 12 months (or 5 years) up to today, zero-filled") {
  ZonesInstalled zones;
  TestDb t;
  const Viewer admin{0, "admin", std::nullopt};
  for (const auto& day : std::vector<std::pair<std::string, std::string>>{{"2026-03-15", "2025-04-01"},
                                                                          {"2026-12-31", "2026-01-01"},
                                                                          {"2024-02-29", "2023-03-01"},
                                                                          {"2026-01-01", "2025-02-01"}}) {
    // Named copies, not structured bindings: INFO captures by reference, which clang 14 refuses for bindings.
    const std::string& today = day.first;
    const std::string& from = day.second;
    INFO("today " << today);
    for (auto* f :
         {&contract_statistics, &funnel_statistics, &ticket_statistics, &customer_statistics, &sales_by_team}) {
      auto got = (*f)(t.db(), admin, {}, today);
      REQUIRE(got.ok());
      CHECK((*got)["from"] == from);
      CHECK((*got)["to"] == today);
    }
    // sales/by-customer: this calendar year when neither is given; else as the others.
    const std::string year = today.substr(0, 4);
    for (const char* group : {"month", "year"}) {
      auto by_customer = sales_by_customer(t.db(), admin, {{"group", group}}, today);
      REQUIRE(by_customer.ok());
      CHECK((*by_customer)["from"] == year + "-01-01");
      CHECK((*by_customer)["to"] == year + "-12-31");
      CHECK((*by_customer)["customers"] == json::array());
      CHECK((*by_customer)["more"] == false);
    }
    auto until = sales_by_customer(t.db(), admin, {{"to", today}}, today);
    REQUIRE(until.ok());
    CHECK((*until)["from"] == from);
    auto years = sales_by_customer(t.db(), admin, {{"group", "year"}, {"to", today}}, today);
    REQUIRE(years.ok());
    CHECK((*years)["from"] == std::to_string(std::stoi(year) - 4) + "-01-01");
    // Nothing yet: every month there, zero, in CNY.
    auto contracts = contract_statistics(t.db(), admin, {}, today);
    REQUIRE(contracts.ok());
    REQUIRE((*contracts)["by_month"].size() == 12);
    const auto months = labels("month", from, today);
    for (size_t i = 0; i < 12; ++i)
      CHECK((*contracts)["by_month"][i] ==
            json{{"period", months[i]}, {"currency", "CNY"}, {"contracts", 0}, {"amount", 0}});
    CHECK((*contracts)["by_status"] == json::array());
    auto customers = customer_statistics(t.db(), admin, {}, today);
    REQUIRE(customers.ok());
    REQUIRE((*customers)["new_per_month"].size() == 12);
    for (size_t i = 0; i < 12; ++i)
      CHECK((*customers)["new_per_month"][i] == json{{"period", months[i]}, {"customers", 0}});
    CHECK((*customers)["total"] == 0);
    auto funnel = funnel_statistics(t.db(), admin, {}, today);
    REQUIRE(funnel.ok());
    CHECK((*funnel)["stages"].size() == 6);
    CHECK((*funnel)["win_rate"].is_null());
    CHECK((*funnel)["average_days_to_close"].is_null());
    auto tickets = ticket_statistics(t.db(), admin, {}, today);
    REQUIRE(tickets.ok());
    CHECK((*tickets)["tickets"] == 0);
    CHECK((*tickets)["average_resolution_hours"].is_null());
    CHECK((*tickets)["satisfaction"] == json{{"rated", 0}, {"average", nullptr}, {"counts", {0, 0, 0, 0, 0}}});
  }
  // The churn window defaults to the settings' churn_days.
  auto churn = churn_list(t.db(), admin, {}, "2026-03-15", parse_rfc3339_ms("2026-03-15T04:00:00Z"));
  REQUIRE(churn.ok());
  CHECK((*churn)["days"] == 90);
  t.put_settings({{"churn_days", 45}});
  churn = churn_list(t.db(), admin, {}, "2026-03-15", parse_rfc3339_ms("2026-03-15T04:00:00Z"));
  REQUIRE(churn.ok());
  CHECK((*churn)["days"] == 45);
}

TEST_CASE("a range's figures are compared with as many days, or whole months, just before it") {
  struct Case {
    const char *group, *from, *to, *before;  // before: "from..to", or "none"
  };
  const Case cases[] = {
      // Days: as many days, ending the day before (a leap day counted).
      {"day", "2026-03-01", "2026-03-10", "2026-02-19..2026-02-28"},
      {"day", "2024-03-01", "2024-03-01", "2024-02-29..2024-02-29"},
      {"day", "2026-01-01", "2026-01-30", "2025-12-02..2025-12-31"},
      // Months and years: as many whole months, since those figures count whole months.
      {"month", "2025-12-01", "2026-11-25", "2024-12-01..2025-11-30"},
      {"month", "2026-01-15", "2026-11-25", "2025-02-01..2025-12-31"},
      {"month", "2026-03-01", "2026-03-31", "2026-02-01..2026-02-28"},
      {"month", "2024-03-10", "2024-03-10", "2024-02-01..2024-02-29"},
      {"year", "2022-01-01", "2026-11-25", "2017-02-01..2021-12-31"},
      {"year", "2026-01-01", "2026-12-31", "2025-01-01..2025-12-31"},
      // Nothing to compare with: a range out of order, a date that does not exist, before year 1000.
      {"day", "2026-03-10", "2026-03-01", "none"},
      {"month", "2026-02-30", "2026-03-01", "none"},
      {"month", "1000-01-15", "1000-02-01", "none"},
      {"day", "1000-01-01", "1000-01-05", "none"},
  };
  for (const Case& c : cases) {
    INFO(c.group << " " << c.from << ".." << c.to);
    const auto r = previous_range(c.group, {c.from, c.to});
    CHECK((r ? r->from + ".." + r->to : std::string("none")) == c.before);
  }
}

TEST_CASE("every statistics endpoint refuses bad parameters, naming them") {
  TestDb t;
  const Viewer admin{0, "admin", std::nullopt};
  const int64_t now = parse_rfc3339_ms("2026-03-15T04:00:00Z");
  using Endpoint = std::function<Result<json>(const Params&)>;
  auto of = [&](auto* f) {
    return Endpoint([&t, &admin, f](const Params& q) { return (*f)(t.db(), admin, q, kToday); });
  };
  const std::map<std::string, Endpoint> ranged = {
      {"sales/by-customer", of(&sales_by_customer)}, {"sales/by-team", of(&sales_by_team)},
      {"contracts", of(&contract_statistics)},       {"funnel", of(&funnel_statistics)},
      {"tickets", of(&ticket_statistics)},           {"customers", of(&customer_statistics)},
      {"forecast", of(&forecast_statistics)}};
  for (const auto& named : ranged) {
    const std::string& name = named.first;
    const Endpoint& ask = named.second;
    INFO(name);
    require_refused(ask({{"from", "2026-02-30"}}), "from");
    require_refused(ask({{"from", "2024-2-29"}}), "from");
    require_refused(ask({{"to", "2025-02-29"}}), "to");
    require_refused(ask({{"to", "yesterday"}}), "to");
    require_refused(ask({{"from", "2026-05-01"}, {"to", "2026-04-30"}}), "to");
    require_refused(ask({{"from", "2026-03-16"}}), "to");  // after today, the default end
    require_refused(ask({{"from", "2026-01-01"}, {"from", "2026-02-01"}}), "from");
    require_refused(ask({{"to", "2026-01-01"}, {"to", "2026-01-01"}}), "to");
    CHECK(ask({{"from", "2024-02-29"}, {"to", "2024-02-29"}}).ok());
  }
  for (const char* name : {"contracts", "funnel", "customers", "forecast"}) {
    INFO(name);
    const Endpoint& ask = ranged.at(name);
    for (const char* field : {"owner_id", "team_id"}) {
      for (const char* bad : {"0", "-3", "abc", "1 OR 1=1", "99999999999999999999", "1.5"})
        require_refused(ask({{field, bad}}), field);
      require_refused(ask({{field, "1"}, {field, "2"}}), field);
      CHECK(ask({{field, "12345"}}).ok());
    }
  }
  const Endpoint& by_customer = ranged.at("sales/by-customer");
  for (const char* group : {"day", "week", "MONTH", ""}) {
    if (*group) require_refused(by_customer({{"group", group}}), "group");
  }
  require_refused(by_customer({{"group", "month"}, {"group", "year"}}), "group");
  for (const char* bad : {"0", "101", "-1", "abc", "1e2", "20 "})
    require_refused(by_customer({{"limit", bad}}), "limit");
  for (const char* bad : {"-1", "1000001", "x"}) require_refused(by_customer({{"offset", bad}}), "offset");
  require_refused(by_customer({{"limit", "5"}, {"limit", "6"}}), "limit");
  CHECK(by_customer({{"limit", "1"}, {"offset", "1000000"}}).ok());
  CHECK(by_customer({{"limit", "100"}}).ok());
  require_refused(by_customer({{"group", "month"}, {"from", "1900-01-01"}, {"to", "2026-01-01"}}),
                  "from");  // over 1100 months

  auto campaigns = [&](const Params& q) { return campaign_statistics(t.db(), admin, q, kToday); };
  for (const char* bad : {"0", "-5", "x", "1;"}) require_refused(campaigns({{"campaign_id", bad}}), "campaign_id");
  require_refused(campaigns({{"campaign_id", "1"}, {"campaign_id", "1"}}), "campaign_id");

  auto churn = [&](const Params& q) { return churn_list(t.db(), admin, q, kToday, now); };
  for (const char* bad : {"0", "3651", "-1", "abc", "1.5", "90d"}) require_refused(churn({{"days", bad}}), "days");
  for (const char* bad : {"0", "501", "x"}) require_refused(churn({{"limit", bad}}), "limit");
  require_refused(churn({{"days", "30"}, {"days", "30"}}), "days");
  CHECK(churn({{"days", "1"}, {"limit", "500"}}).ok());
  CHECK(churn({{"days", "3650"}, {"limit", "1"}}).ok());
}

TEST_CASE("roles without a statistic get not_found; the contract department reads contracts, service tickets") {
  TestDb t;
  const int64_t now = parse_rfc3339_ms("2026-03-15T04:00:00Z");
  auto answer = [&](const std::string& what, const std::string& role) -> Result<json> {
    const Viewer v{7, role, role == "manager" || role == "sales" ? std::optional<int64_t>(3) : std::nullopt};
    if (what == "sales/by-customer") return sales_by_customer(t.db(), v, {}, kToday);
    if (what == "sales/by-team") return sales_by_team(t.db(), v, {}, kToday);
    if (what == "funnel") return funnel_statistics(t.db(), v, {}, kToday);
    if (what == "forecast") return forecast_statistics(t.db(), v, {}, kToday);
    if (what == "customers") return customer_statistics(t.db(), v, {}, kToday);
    if (what == "churn") return churn_list(t.db(), v, {}, kToday, now);
    if (what == "contracts") return contract_statistics(t.db(), v, {}, kToday);
    if (what == "tickets") return ticket_statistics(t.db(), v, {}, kToday);
    return campaign_statistics(t.db(), v, {}, kToday);
  };
  const std::map<std::string, std::set<std::string>> allowed = {
      {"sales/by-customer", {"admin", "manager", "sales"}},
      {"sales/by-team", {"admin", "manager", "sales"}},
      {"funnel", {"admin", "manager", "sales"}},
      {"forecast", {"admin", "manager", "sales"}},
      {"customers", {"admin", "manager", "sales"}},
      {"churn", {"admin", "manager", "sales"}},
      {"contracts", {"admin", "manager", "sales", "contract"}},
      {"tickets", {"admin", "service"}},
      {"campaigns", {"admin", "manager"}}};
  for (const auto& entry : allowed) {
    const auto& what = entry.first;
    const auto& roles = entry.second;
    for (const auto& role : user_roles()) {
      INFO(what << " as " << role);
      auto got = answer(what, role);
      if (roles.count(role))
        CHECK(got.ok());
      else
        require_not_found(got);
    }
  }
}
