// stats_upkeep_test.cpp — the statistics of contracts, opportunities, tickets and customers (core/stats/)
// through the record store: thousands of random creates, edits of every field that moves a figure,
// workflow transitions, refused writes, deletions and customer merges, with creation times on both sides
// of local midnight and of year ends; after every hundred the kept figures must equal a count from
// scratch, and now and then every table must equal a count made here in SQL from the raw rows (so a
// mistake shared by the upkeep and the recount is found too). Then: the check names a tampered table
// and a rebuild repairs it; and a version-4 database migrated to the latest counts what it held.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "core/rules/workflows.h"
#include "core/schema/migrations.h"
#include "core/stats/stat_facts.h"
#include "tests/core/stats_test_support.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

// Runs `write` in its own WriteTxn, committed when it succeeds (rolled back with all it did when not).
template <typename Write>
auto in_txn(TestDb& t, Write&& write) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto result = write(**txn);
  if (result.ok()) REQUIRE((*txn)->commit().ok());
  return result;
}

Result<json> update_as(TestDb& t, const EntityDef& entity, int64_t id, const json& patch, const Viewer& viewer) {
  auto current = get_record(t.db(), entity, id);
  REQUIRE(current.ok());
  WriteOptions options;
  options.viewer = viewer;
  return in_txn(t, [&](WriteTxn& txn) { return update_record(txn, entity, id, patch, (*current)["rev"].get<int64_t>(), options); });
}

// Every row a query returns, as "a|'b'|3" (NULL, integers, text quoted).
std::vector<std::string> rows_of(Database& db, const std::string& sql) {
  auto s = db.prepare(sql);
  REQUIRE_MESSAGE(s.ok(), sql);
  std::vector<std::string> out;
  for (;;) {
    auto row = (*s)->step();
    REQUIRE_MESSAGE(row.ok(), sql);
    if (!*row) break;
    std::string line;
    for (int i = 0; i < (*s)->column_count(); ++i) {
      if (i) line += "|";
      switch ((*s)->column_type(i)) {
        case ColumnType::null: line += "NULL"; break;
        case ColumnType::integer: line += std::to_string((*s)->column_int(i)); break;
        case ColumnType::real: line += "real " + std::to_string((*s)->column_double(i)); break;
        case ColumnType::text: line += "'" + std::string((*s)->column_text(i)) + "'"; break;
      }
    }
    out.push_back(line);
  }
  return out;
}

// A timestamp column as Unix milliseconds, in SQL ("2026-01-01T00:00:00.123Z").
std::string ms_of(const std::string& column) {
  return "(unixepoch(" + column + ") * 1000 + CAST(substr(" + column + ", 21, 3) AS INTEGER))";
}

// What each statistics table must hold, counted here in SQL from the records (stat_facts.h), Shanghai
// being UTC+8: the table's columns in its order. Independent of core/stats, so a mistake that the
// upkeep and check_statistics() share shows here.
std::map<std::string, std::string> independent_counts() {
  const std::string day = "date(created_at, '+8 hours')";
  const std::string closed = "stage IN ('won', 'lost')";
  const std::string days_to_close = "max(0, CAST(julianday(date(closed_at, '+8 hours')) - julianday(" + day + ") AS INTEGER))";
  const std::string contracts =
      "status, substr(ifnull(signed_date, ''), 1, 7), currency, count(*), sum(ifnull(amount, 0)) FROM contracts";
  const std::string funnel = day + ", stage, currency, count(*), sum(ifnull(amount, 0)), sum(" + closed + "), sum(CASE WHEN " +
                             closed + " THEN " + days_to_close + " ELSE 0 END) FROM opportunities";
  const std::string forecast =
      "substr(ifnull(expected_close_date, ''), 1, 7), currency, count(*), sum(ifnull(amount, 0)),"
      " sum(ifnull(amount, 0) * min(max(ifnull(probability, 0), 0), 100)) FROM opportunities WHERE NOT " + closed;
  const std::string customers =
      "strftime('%Y-%m', created_at, '+8 hours'), ifnull(type, ''), ifnull(source, ''), ifnull(level, ''), ifnull(status, ''),"
      " count(*) FROM customers";
  return {
      {"stat_contracts", "SELECT " + contracts + " GROUP BY 1, 2, 3"},
      {"stat_contracts_owner", "SELECT ifnull(owner_id, 0), " + contracts + " GROUP BY 1, 2, 3, 4"},
      {"stat_funnel_day", "SELECT " + funnel + " GROUP BY 1, 2, 3"},
      {"stat_funnel_day_owner", "SELECT ifnull(owner_id, 0), " + funnel + " GROUP BY 1, 2, 3, 4"},
      {"stat_forecast_month", "SELECT " + forecast + " GROUP BY 1, 2"},
      {"stat_forecast_month_owner", "SELECT ifnull(owner_id, 0), " + forecast + " GROUP BY 1, 2, 3"},
      {"stat_campaign_revenue",
       "SELECT campaign_id, currency, count(*), sum(ifnull(amount, 0)) FROM opportunities WHERE stage = 'won' AND campaign_id > 0"
       " GROUP BY 1, 2"},
      {"stat_tickets_day", "SELECT " + day + ", status, type, ifnull(satisfaction, 0), count(*), sum(resolved_at IS NOT NULL),"
                           " sum(CASE WHEN resolved_at IS NULL THEN 0 ELSE max(0, (" + ms_of("resolved_at") + " - " +
                           ms_of("created_at") + ") / 1000) END) FROM tickets GROUP BY 1, 2, 3, 4"},
      {"stat_customers_month", "SELECT " + customers + " GROUP BY 1, 2, 3, 4, 5"},
      {"stat_customers_month_owner", "SELECT ifnull(owner_id, 0), " + customers + " GROUP BY 1, 2, 3, 4, 5, 6"},
  };
}

// Every table of independent_counts() holds exactly the rows counted there.
void require_independent_counts(TestDb& t) {
  for (const auto& count : independent_counts()) {
    const std::string table = count.first, expected = count.second;  // named: clang's INFO cannot capture a binding
    INFO(table);
    auto stored_only = rows_of(t.db(), "SELECT * FROM " + table + " EXCEPT " + expected);
    auto counted_only = rows_of(t.db(), expected + " EXCEPT SELECT * FROM " + table);
    for (const auto& row : stored_only) MESSAGE("stored, not counted: " << row);
    for (const auto& row : counted_only) MESSAGE("counted, not stored: " << row);
    REQUIRE(stored_only.empty());
    REQUIRE(counted_only.empty());
  }
}

int64_t id_of(const json& record) { return record["id"].get<int64_t>(); }

void erase(std::vector<int64_t>& ids, int64_t id) { ids.erase(std::find(ids.begin(), ids.end(), id)); }

}  // namespace

TEST_CASE("contract, funnel, forecast, campaign, ticket and customer statistics stay exact through random writes") {
  ZonesInstalled zones;
  TestDb t;
  const std::vector<int64_t> reps = {add_user(t, "rep1", "sales"), add_user(t, "rep2", "sales"), add_user(t, "rep3", "sales")};
  const Viewer admin{add_user(t, "boss", "admin"), "admin", std::nullopt};

  std::mt19937 rng(20261203);
  auto between = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto chance = [&](int percent) { return between(0, 99) < percent; };
  auto pick = [&](const auto& v) { return v[static_cast<size_t>(between(0, static_cast<int64_t>(v.size()) - 1))]; };

  // Creation, closing and resolving times: a second either side of midnight in Shanghai (16:00 UTC) at
  // the ends of days, months, a leap February and years; between them the clock runs on by hours.
  std::vector<int64_t> instants;
  for (const char* at : {"2024-02-28T15:59:59.000Z", "2024-02-28T16:00:01.000Z", "2024-12-31T15:59:59.000Z",
                         "2024-12-31T16:00:01.000Z", "2025-06-30T15:59:59.999Z", "2025-06-30T16:00:00.000Z",
                         "2025-12-31T15:59:59.000Z", "2025-12-31T16:00:01.000Z", "2026-03-31T15:59:59.000Z",
                         "2026-03-31T16:00:01.000Z"})
    instants.push_back(parse_rfc3339_ms(at));
  const std::vector<std::string> dates = {"2024-02-29", "2024-12-31", "2025-01-01", "2025-06-30",
                                          "2025-07-01", "2025-12-31", "2026-01-01", "2026-03-31"};
  const std::vector<std::string> currencies = {"CNY", "CNY", "USD", "EUR"};
  const std::vector<std::string> stages = {"lead", "qualified", "proposal", "negotiation", "won", "lost"};
  const std::vector<std::string> contract_statuses = {"draft", "pending_approval", "signed", "executing", "completed", "terminated"};
  const std::vector<std::string> ticket_statuses = {"new", "assigned", "in_progress", "resolved", "closed", "reopened"};
  const std::vector<std::string> ticket_types = {"feedback", "complaint", "inquiry", "after_sales"};
  const std::vector<std::string> customer_types = {"enterprise", "individual", "government", "partner", "other"};
  const std::vector<std::string> sources = {"referral", "website", "exhibition", "cold_call", "advertising", "social_media", "partner", "other"};
  const std::vector<std::string> levels = {"A", "B", "C", "D"};
  const std::vector<std::string> customer_statuses = {"prospect", "active", "dormant", "lost"};

  int serial = 0;
  auto name = [&](const char* prefix) { return prefix + std::to_string(++serial); };
  auto owner = [&]() { return chance(15) ? json(nullptr) : json(pick(reps)); };  // null: the pool / nobody's
  auto money = [&]() { return between(0, 5'000'000); };
  auto viewer = [&]() { return chance(30) ? admin : Viewer::system(); };
  auto get = [&](const EntityDef& entity, int64_t id) {
    auto record = get_record(t.db(), entity, id);
    REQUIRE(record.ok());
    return *record;
  };

  std::vector<int64_t> customers, contracts, opportunities, tickets, campaigns;
  auto new_campaign = [&]() { campaigns.push_back(id_of(t.create(campaigns_def(), {{"name", name("活动")}}))); };
  auto new_customer = [&]() {
    json input = {{"name", name("客户")}, {"owner_id", owner()}};
    if (chance(85)) input["type"] = pick(customer_types);
    if (chance(70)) input["source"] = pick(sources);
    if (chance(70)) input["level"] = pick(levels);
    if (chance(70)) input["status"] = pick(customer_statuses);
    customers.push_back(id_of(t.create(customers_def(), input)));
  };
  for (int i = 0; i < 3; ++i) new_campaign();
  for (int i = 0; i < 6; ++i) new_customer();

  // How often each kind of write really happened, so a generator that stopped reaching one is noticed.
  std::map<std::string, int> done;
  constexpr int kSteps = 2500;
  for (int step = 0; step < kSteps; ++step) {
    if (chance(30)) t.clock().set_ms(pick(instants));
    else t.clock().advance_ms(between(0, 5 * 3600 * 1000));
    const int64_t what = between(0, 99);
    if (customers.size() < 4 || what < 8) {
      new_customer();
      ++done["customer created"];
    } else if (what < 16) {
      const int64_t id = pick(customers);
      json patch;
      switch (between(0, 5)) {
        case 0: patch["type"] = chance(10) ? json(nullptr) : json(pick(customer_types)); break;
        case 1: patch["source"] = chance(10) ? json(nullptr) : json(pick(sources)); break;
        case 2: patch["level"] = chance(10) ? json(nullptr) : json(pick(levels)); break;
        case 3: patch["status"] = chance(10) ? json(nullptr) : json(pick(customer_statuses)); break;
        case 4: patch["owner_id"] = owner(); break;  // takes its open opportunities along (record_rules.h)
        default: patch["notes"] = name("备注"); break;  // moves no figure
      }
      auto updated = update_as(t, customers_def(), id, patch, viewer());
      REQUIRE_MESSAGE(updated.ok(), patch.dump() << " " << updated.error().message.en);
      ++done["customer edited"];
    } else if (what < 18) {
      // Refused while opportunities, contracts or tickets still name it; the figures stay as they were.
      const int64_t id = pick(customers);
      const int64_t needed = t.count("SELECT (SELECT count(*) FROM opportunities WHERE customer_id = " + std::to_string(id) +
                                     ") + (SELECT count(*) FROM contracts WHERE customer_id = " + std::to_string(id) +
                                     ") + (SELECT count(*) FROM tickets WHERE customer_id = " + std::to_string(id) + ")");
      Status deleted = t.try_delete(customers_def(), id);
      if (needed > 0) {
        REQUIRE_FALSE(deleted.ok());
        CHECK(deleted.error().code == ErrorCode::in_use);
        ++done["customer delete refused"];
      } else {
        REQUIRE(deleted.ok());
        erase(customers, id);
        ++done["customer deleted"];
      }
    } else if (what < 20) {
      const int64_t keep = pick(customers);
      int64_t merge = pick(customers);
      while (merge == keep) merge = pick(customers);
      const Viewer by = viewer();
      auto merged = in_txn(t, [&](WriteTxn& txn) { return merge_customers(txn, keep, merge, by); });
      REQUIRE_MESSAGE(merged.ok(), merged.error().message.en);
      erase(customers, merge);
      ++done["customers merged"];
    } else if (contracts.empty() || what < 30) {
      json input = {{"customer_id", pick(customers)}, {"title", name("合同")}, {"amount", money()},
                    {"currency", pick(currencies)}, {"owner_id", owner()}};
      if (chance(40)) input["signed_date"] = pick(dates);
      WriteOptions options;
      if (chance(25)) options.server_values = {{"status", pick(contract_statuses)}};  // as an import would
      auto created = t.try_create(contracts_def(), input, options);
      REQUIRE_MESSAGE(created.ok(), created.error().message.en);
      contracts.push_back(id_of(*created));
      ++done["contract created"];
    } else if (what < 40) {
      const int64_t id = pick(contracts);
      json patch;
      switch (between(0, 4)) {
        case 0: patch["signed_date"] = chance(20) ? json(nullptr) : json(pick(dates)); break;
        case 1: patch["amount"] = money(); break;
        case 2: patch["currency"] = pick(currencies); break;
        case 3: patch["owner_id"] = owner(); break;
        default: patch["title"] = name("合同"); break;
      }
      auto updated = update_as(t, contracts_def(), id, patch, viewer());  // both may change any contract
      REQUIRE_MESSAGE(updated.ok(), patch.dump() << " " << updated.error().message.en);
      ++done["contract edited"];
    } else if (what < 48) {
      const int64_t id = pick(contracts);
      const std::string from = get(contracts_def(), id)["status"].get<std::string>();
      std::vector<std::string> targets;
      for (const auto& move : contract_moves())
        if (move.from == from) targets.push_back(move.to);
      const std::string to = targets.empty() || chance(10) ? pick(contract_statuses) : pick(targets);
      const Viewer by = viewer();
      auto moved = in_txn(t, [&](WriteTxn& txn) { return transition_contract(txn, id, {{"to", to}, {"reason", "原因"}}, by); });
      if (find_move(contract_moves(), from, to)) {
        REQUIRE_MESSAGE(moved.ok(), from << " -> " << to << ": " << moved.error().message.en);
        CHECK((*moved)["status"] == to);
        ++done["contract " + to];
      } else {
        REQUIRE_FALSE(moved.ok());
        CHECK(moved.error().code == ErrorCode::invalid_transition);
      }
    } else if (what < 50) {
      const int64_t id = pick(contracts);
      REQUIRE(t.try_delete(contracts_def(), id).ok());
      erase(contracts, id);
      ++done["contract deleted"];
    } else if (opportunities.empty() || what < 60) {
      json input = {{"customer_id", pick(customers)}, {"title", name("商机")}, {"stage", pick(stages)},
                    {"amount", money()}, {"currency", pick(currencies)}, {"owner_id", owner()}};
      if (chance(70)) input["probability"] = between(0, 100);
      if (chance(60)) input["expected_close_date"] = pick(dates);
      if (chance(50)) input["campaign_id"] = pick(campaigns);
      auto created = t.try_create(opportunities_def(), input);
      REQUIRE_MESSAGE(created.ok(), created.error().message.en);
      opportunities.push_back(id_of(*created));
      ++done["opportunity created"];
    } else if (what < 72) {
      const int64_t id = pick(opportunities);
      const json current = get(opportunities_def(), id);
      json patch;
      switch (between(0, 7)) {
        case 0: case 1: patch["stage"] = pick(stages); break;
        case 2: patch["amount"] = money(); break;
        case 3: patch["currency"] = pick(currencies); break;
        case 4: patch["probability"] = chance(10) ? json(nullptr) : json(between(0, 100)); break;
        case 5: patch["expected_close_date"] = chance(20) ? json(nullptr) : json(pick(dates)); break;
        case 6: patch["owner_id"] = owner(); break;
        default: patch["campaign_id"] = chance(30) ? json(nullptr) : json(pick(campaigns)); break;
      }
      const Viewer by = viewer();
      const bool closed = current["stage"] == "won" || current["stage"] == "lost";
      const bool changes = current.value(patch.begin().key(), json()) != patch.begin().value();
      auto updated = update_as(t, opportunities_def(), id, patch, by);
      if (closed && changes && !by.is_system()) {
        // Won and lost are final for people; the refused write leaves every figure as it was.
        REQUIRE_FALSE(updated.ok());
        CHECK(updated.error().code == ErrorCode::validation);
        ++done["closed opportunity edit refused"];
      } else {
        REQUIRE_MESSAGE(updated.ok(), patch.dump() << " " << updated.error().message.en);
        ++done[closed && changes ? "closed opportunity moved by the system" : "opportunity edited"];
        if (!closed && changes && patch.contains("stage") && (patch["stage"] == "won" || patch["stage"] == "lost")) {
          CHECK((*updated)["closed_at"] == format_rfc3339_ms(t.clock().now_ms()));
          ++done["opportunity closed"];
        }
      }
    } else if (what < 74) {
      const int64_t id = pick(opportunities);
      REQUIRE(t.try_delete(opportunities_def(), id).ok());
      erase(opportunities, id);
      ++done["opportunity deleted"];
    } else if (tickets.empty() || what < 82) {
      json input = {{"customer_id", pick(customers)}, {"type", pick(ticket_types)}, {"subject", name("工单")}};
      if (chance(40)) input["satisfaction"] = between(1, 5);
      auto created = t.try_create(tickets_def(), input);
      REQUIRE_MESSAGE(created.ok(), created.error().message.en);
      tickets.push_back(id_of(*created));
      ++done["ticket created"];
    } else if (what < 87) {
      const int64_t id = pick(tickets);
      json patch;
      switch (between(0, 2)) {
        case 0: patch["type"] = pick(ticket_types); break;
        case 1: patch["satisfaction"] = chance(20) ? json(nullptr) : json(between(1, 5)); break;
        default: patch["priority"] = "high"; break;  // moves no figure
      }
      auto updated = update_as(t, tickets_def(), id, patch, Viewer::system());
      REQUIRE_MESSAGE(updated.ok(), patch.dump() << " " << updated.error().message.en);
      ++done["ticket edited"];
    } else if (what < 96) {
      const int64_t id = pick(tickets);
      const std::string from = get(tickets_def(), id)["status"].get<std::string>();
      std::vector<std::string> targets;
      for (const auto& move : ticket_moves())
        if (move.from == from) targets.push_back(move.to);
      const std::string to = targets.empty() || chance(10) ? pick(ticket_statuses) : pick(targets);
      const json request = {{"to", to}, {"assignee_id", pick(reps)}, {"resolution", "已处理"}};
      auto moved = in_txn(t, [&](WriteTxn& txn) { return transition_ticket(txn, id, request, Viewer::system()); });
      if (find_move(ticket_moves(), from, to)) {
        REQUIRE_MESSAGE(moved.ok(), from << " -> " << to << ": " << moved.error().message.en);
        if (to == "resolved") CHECK((*moved)["resolved_at"] == format_rfc3339_ms(t.clock().now_ms()));
        if (to == "reopened") CHECK((*moved)["resolved_at"].is_null());
        ++done["ticket " + to];
      } else {
        REQUIRE_FALSE(moved.ok());
        CHECK(moved.error().code == ErrorCode::invalid_transition);
      }
    } else if (what < 98) {
      const int64_t id = pick(tickets);
      REQUIRE(t.try_delete(tickets_def(), id).ok());
      erase(tickets, id);
      ++done["ticket deleted"];
    } else {
      // A deleted campaign is cleared from its opportunities: its won ones leave its revenue.
      const int64_t id = pick(campaigns);
      REQUIRE(t.try_delete(campaigns_def(), id).ok());
      erase(campaigns, id);
      new_campaign();
      ++done["campaign deleted"];
    }
    if (step % 100 == 99) require_exact(t);
    if (step % 500 == 499) require_independent_counts(t);
  }
  for (const char* kind : {"customer created", "customer edited", "customer delete refused", "customer deleted", "customers merged",
                           "contract created", "contract edited", "contract pending_approval", "contract signed", "contract draft",
                           "contract executing", "contract completed", "contract terminated", "contract deleted",
                           "opportunity created", "opportunity edited", "opportunity closed", "closed opportunity edit refused",
                           "closed opportunity moved by the system", "opportunity deleted", "ticket created", "ticket edited",
                           "ticket assigned", "ticket in_progress", "ticket resolved", "ticket closed", "ticket reopened",
                           "ticket deleted", "campaign deleted"}) {
    INFO(kind);
    CHECK(done[kind] > 0);
  }

  // The clock's jumps put records on both sides of local midnight at year ends, and every kind of
  // figure is there to be compared.
  CHECK(t.count("SELECT count(DISTINCT month) FROM stat_customers_month WHERE month IN ('2024-12', '2025-01', '2025-12', '2026-01')") == 4);
  CHECK(t.count("SELECT count(*) FROM stat_tickets_day WHERE day IN ('2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01')") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_funnel_day WHERE closed > 0 AND days_to_close > 0") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_tickets_day WHERE resolved > 0 AND resolution_seconds > 0") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_campaign_revenue") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_contracts WHERE month != '' AND status = 'signed'") > 0);
  CHECK(t.count("SELECT count(*) FROM stat_forecast_month WHERE month = '' AND weighted_x100 > 0") > 0);
  require_exact(t);
  require_independent_counts(t);
}

TEST_CASE("check_statistics names a tampered figure, and rebuild_statistics makes the tables exact again") {
  ZonesInstalled zones;
  TestDb t;
  const int64_t rep = add_user(t, "rep1", "sales");
  const std::string r = std::to_string(rep);
  t.clock().set_ms(parse_rfc3339_ms("2025-12-31T16:00:01Z"));  // 2026-01-01 00:00:01 in Shanghai
  const int64_t c = id_of(t.create(customers_def(), {{"name", "客户"}, {"type", "enterprise"}, {"source", "website"},
                                                     {"level", "A"}, {"status", "prospect"}, {"owner_id", rep}}));
  t.create(contracts_def(), {{"customer_id", c}, {"title", "合同一"}, {"amount", 100}, {"owner_id", rep}});
  t.create(contracts_def(), {{"customer_id", c}, {"title", "合同二"}, {"amount", 200}, {"owner_id", rep}});
  t.create(tickets_def(), {{"customer_id", c}, {"type", "complaint"}, {"subject", "投诉"}});
  t.create(opportunities_def(), {{"customer_id", c}, {"title", "商机"}, {"stage", "proposal"}, {"amount", 500},
                                 {"probability", 40}, {"expected_close_date", "2026-02-15"}, {"owner_id", rep}});
  require_exact(t);
  const int64_t rows_before = t.count("SELECT (SELECT count(*) FROM stat_contracts) + (SELECT count(*) FROM stat_tickets_day) + "
                                      "(SELECT count(*) FROM stat_customers_month_owner) + (SELECT count(*) FROM stat_funnel_day_owner)");

  struct Tamper {
    const char* what;
    std::string sql;
    std::vector<std::string> differences;
    std::string restored;  // a query that is 1 again once rebuilt
  };
  const std::vector<Tamper> cases = {
      {"a counter changed", "UPDATE stat_contracts SET contracts = 3 WHERE status = 'draft'",
       {"stat_contracts [draft, , CNY]: stored [3, 300], counted [2, 300]"},
       "SELECT contracts = 2 AND amount = 300 FROM stat_contracts WHERE status = 'draft' AND month = '' AND currency = 'CNY'"},
      {"a product counter changed", "UPDATE stat_forecast_month SET weighted_x100 = 1",
       {"stat_forecast_month [2026-02, CNY]: stored [1, 500, 1], counted [1, 500, 20000]"},
       "SELECT weighted_x100 = 20000 FROM stat_forecast_month WHERE month = '2026-02'"},
      {"a row deleted", "DELETE FROM stat_tickets_day",
       {"stat_tickets_day [2026-01-01, new, complaint, 0]: counted [1, 0, 0], stored nothing"},
       "SELECT tickets = 1 FROM stat_tickets_day WHERE day = '2026-01-01' AND status = 'new' AND type = 'complaint' AND satisfaction = 0"},
      {"a bogus row inserted", "INSERT INTO stat_customers_month_owner VALUES (" + r + ", '2030-05', 'individual', '', '', '', 7)",
       {"stat_customers_month_owner [" + r + ", 2030-05, individual, , , ]: stored [7], counted nothing"},
       "SELECT count(*) = 0 FROM stat_customers_month_owner WHERE month = '2030-05'"},
      {"a row moved to another day", "UPDATE stat_funnel_day_owner SET day = '2025-12-31'",
       {"stat_funnel_day_owner [" + r + ", 2025-12-31, proposal, CNY]: stored [1, 500, 0, 0], counted nothing",
        "stat_funnel_day_owner [" + r + ", 2026-01-01, proposal, CNY]: counted [1, 500, 0, 0], stored nothing"},
       "SELECT count(*) = 1 FROM stat_funnel_day_owner WHERE day = '2026-01-01' AND owner_id = " + r},
  };
  for (const auto& tamper : cases) {
    INFO(tamper.what);
    REQUIRE(t.db().exec(tamper.sql).ok());
    auto differences = check_statistics(t.db());
    REQUIRE(differences.ok());
    CHECK(*differences == tamper.differences);
    auto first = check_statistics(t.db(), 1);
    REQUIRE(first.ok());
    CHECK(first->size() == 1);
    {
      auto txn = Transaction::begin(t.db(), true);
      REQUIRE(txn.ok());
      REQUIRE(rebuild_statistics(t.db()).ok());
      REQUIRE((*txn)->commit().ok());
    }
    require_exact(t);
    CHECK(t.count(tamper.restored) == 1);
  }
  CHECK(t.count("SELECT (SELECT count(*) FROM stat_contracts) + (SELECT count(*) FROM stat_tickets_day) + "
                "(SELECT count(*) FROM stat_customers_month_owner) + (SELECT count(*) FROM stat_funnel_day_owner)") == rows_before);
  require_independent_counts(t);
}

TEST_CASE("a version-4 database migrated to the latest counts the orders, customers and opportunities it held") {
  ZonesInstalled zones;
  const auto dir = std::filesystem::temp_directory_path() / ("kehu-stats-migration-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  SqliteOptions options;
#ifdef KEHU_TEST_WASM
  options.wal = false;
#endif
  auto opened = SqliteDatabase::open((dir / "v4.db").string(), options);
  REQUIRE(opened.ok());
  Database& db = **opened;
  REQUIRE(migrate(db, 4).ok());
  REQUIRE(*schema_version(db) == 4);
  // Version 4's sales table is keyed by owner; version 5 splits it into a company and an "_owner" table.
  REQUIRE(db.query_int("SELECT count(*) FROM pragma_table_info('stat_sales_day') WHERE name = 'owner_id'")->value_or(-1) == 1);
  REQUIRE(db.exec(
      "INSERT INTO users (rev, created_at, updated_at, username, display_name, role) VALUES"
      " (1, 'x', 'x', 'li', '李', 'sales'), (1, 'x', 'x', 'wang', '王', 'sales');"
      // 23:59:59 on 2025-12-31 and 00:00:01 on 2026-01-01 in Shanghai; then two more in January.
      "INSERT INTO customers (id, rev, created_at, updated_at, code, name, type, source, level, status, owner_id) VALUES"
      " (1, 2, '2025-12-31T15:59:59.000Z', 'x', 'C1', '甲', 'enterprise', 'website', 'A', 'active', 1),"
      " (2, 2, '2025-12-31T16:00:01.000Z', 'x', 'C2', '乙', 'enterprise', 'website', 'A', 'active', 1),"
      " (3, 2, '2026-01-05T02:00:00.000Z', 'x', 'C3', '丙', 'individual', NULL, NULL, NULL, NULL),"
      " (4, 2, '2026-01-20T10:00:00.000Z', 'x', 'C4', '丁', 'enterprise', 'website', 'A', 'active', 1);"
      // Order 2 has no order date: it counts on its creation's local day, 2026-01-15. Order 3 is cancelled.
      "INSERT INTO orders (rev, created_at, updated_at, code, customer_id, owner_id, order_date, status, items, total, currency) VALUES"
      " (3, '2026-01-15T03:00:00.000Z', 'x', 'O1', 1, 1, '2026-01-15', 'confirmed', '[{\"product_id\":1,\"quantity\":2,\"unit_price\":300}]', 600, 'CNY'),"
      " (3, '2026-01-14T16:30:00.000Z', 'x', 'O2', 2, 1, NULL, 'confirmed', '[{\"product_id\":1,\"quantity\":1,\"unit_price\":400}]', 400, 'CNY'),"
      " (3, '2026-01-15T03:00:00.000Z', 'x', 'O3', 2, 2, '2026-01-15', 'cancelled', '[{\"product_id\":1,\"quantity\":9,\"unit_price\":1}]', 9, 'CNY'),"
      " (3, '2026-01-15T03:00:00.000Z', 'x', 'O4', 4, 2, '2026-01-15', 'confirmed', '[{\"product_id\":1,\"quantity\":5,\"unit_price\":10}]', 50, 'USD'),"
      " (3, '2026-01-16T03:00:00.000Z', 'x', 'O5', 3, NULL, '2026-01-16', 'confirmed', '[{\"product_id\":1,\"quantity\":1,\"unit_price\":7}]', 7, 'CNY');"
      // Won nine local days after it was created (2026-01-01 00:00:01 to 2026-01-10 23:59:59 in Shanghai).
      "INSERT INTO opportunities (rev, created_at, updated_at, customer_id, title, stage, amount, currency, probability,"
      " expected_close_date, owner_id, campaign_id, closed_at) VALUES"
      " (4, '2025-12-31T16:00:01.000Z', 'x', 1, '赢', 'won', 1000, 'CNY', 100, NULL, 2, NULL, '2026-01-10T15:59:59.000Z'),"
      " (4, '2026-01-02T01:00:00.000Z', 'x', 2, '开', 'lead', 300, 'CNY', 50, '2026-03-01', 2, NULL, NULL);"
      // A figure version 4 kept (wrongly): made again from the records, not carried over.
      "INSERT INTO stat_sales_day VALUES ('2026-01-15', 1, 'CNY', 99, 99, 99);").ok());

  auto latest = migrate(db);
  REQUIRE(latest.ok());
  CHECK(*latest == latest_schema_version());
  CHECK(db.query_int("SELECT count(*) FROM pragma_table_info('stat_sales_day') WHERE name = 'owner_id'")->value_or(-1) == 0);
  auto differences = check_statistics(db);
  REQUIRE(differences.ok());
  for (const auto& d : *differences) MESSAGE(d);
  CHECK(differences->empty());

  auto rows = [&](const std::string& sql) { return rows_of(db, sql); };
  CHECK(rows("SELECT owner_id, day, currency, orders, quantity, amount FROM stat_sales_day_owner ORDER BY 1, 2, 3") ==
        std::vector<std::string>{"0|'2026-01-16'|'CNY'|1|1|7", "1|'2026-01-15'|'CNY'|2|3|1000", "2|'2026-01-15'|'USD'|1|5|50"});
  CHECK(rows("SELECT day, currency, orders, quantity, amount FROM stat_sales_day ORDER BY 1, 2") ==
        std::vector<std::string>{"'2026-01-15'|'CNY'|2|3|1000", "'2026-01-15'|'USD'|1|5|50", "'2026-01-16'|'CNY'|1|1|7"});
  CHECK(rows("SELECT month, type, source, level, status, customers FROM stat_customers_month ORDER BY 1, 2") ==
        std::vector<std::string>{"'2025-12'|'enterprise'|'website'|'A'|'active'|1", "'2026-01'|'enterprise'|'website'|'A'|'active'|2",
                                 "'2026-01'|'individual'|''|''|''|1"});
  CHECK(rows("SELECT owner_id, month, customers FROM stat_customers_month_owner ORDER BY 1, 2") ==
        std::vector<std::string>{"0|'2026-01'|1", "1|'2025-12'|1", "1|'2026-01'|2"});
  CHECK(rows("SELECT day, stage, opportunities, amount, closed, days_to_close FROM stat_funnel_day ORDER BY 1") ==
        std::vector<std::string>{"'2026-01-01'|'won'|1|1000|1|9", "'2026-01-02'|'lead'|1|300|0|0"});
  CHECK(rows("SELECT owner_id, month, currency, opportunities, amount, weighted_x100 FROM stat_forecast_month_owner") ==
        std::vector<std::string>{"2|'2026-03'|'CNY'|1|300|15000"});

  // The migrated database is kept from here on like any other.
  ManualClock clock(parse_rfc3339_ms("2026-01-31T16:00:00Z"));  // 2026-02-01 00:00 in Shanghai
  {
    auto txn = WriteTxn::begin(db, clock, Actor{});
    REQUIRE(txn.ok());
    REQUIRE(create_record(**txn, customers_def(), {{"name", "戊"}, {"type", "partner"}, {"owner_id", 2}}).ok());
    REQUIRE((*txn)->commit().ok());
  }
  CHECK(rows("SELECT owner_id, month, type, customers FROM stat_customers_month_owner WHERE month = '2026-02'") ==
        std::vector<std::string>{"2|'2026-02'|'partner'|1"});
  differences = check_statistics(db);
  REQUIRE(differences.ok());
  CHECK(differences->empty());
}

TEST_CASE("a version-8 database migrated to the latest ranks every customer over all time and per team, as counting does") {
  ZonesInstalled zones;
  TestDb t;
  const int64_t a = t.create(customers_def(), {{"name", "甲"}, {"type", "individual"}})["id"].get<int64_t>();
  const int64_t b = t.create(customers_def(), {{"name", "乙"}, {"type", "individual"}})["id"].get<int64_t>();
  const int64_t product = t.create(products_def(), {{"sku", "A"}, {"name", "甲"}, {"price", 1000}, {"stock", 100}})["id"].get<int64_t>();
  const int64_t team = t.create(teams_def(), {{"name", "华东"}})["id"].get<int64_t>();
  const int64_t rep = add_user(t, "rep.li", "sales");
  REQUIRE(t.db().run("UPDATE users SET team_id = ? WHERE id = ?", {team, rep}).ok());
  auto order = [&](int64_t customer, const std::string& date, int64_t price, const std::string& currency, const json& owner) {
    t.create(orders_def(), {{"customer_id", customer}, {"order_date", date}, {"currency", currency}, {"owner_id", owner},
                            {"items", json::array({json::object({{"product_id", product}, {"quantity", 2}, {"unit_price", price}})})}});
  };
  order(a, "2024-12-31", 100, "CNY", rep);
  order(a, "2026-01-01", 250, "CNY", nullptr);  // no owner: in no team's rankings
  order(a, "2026-03-05", 7, "USD", rep);
  order(b, "2025-06-30", 1000, "CNY", rep);
  // Version 8 kept no all-time rows and no teams' rankings (nor version 10's index, nor version 11's
  // table); its tables were otherwise these.
  REQUIRE(t.db().exec("DELETE FROM stat_sales_customer_period WHERE period = 'all'; DROP TABLE stat_sales_customer_team_period;"
                      " DROP INDEX customers_owner_touch; DROP TABLE trusted_devices; PRAGMA user_version = 8").ok());

  auto latest = migrate(t.db());
  REQUIRE(latest.ok());
  CHECK(*latest == latest_schema_version());
  CHECK(rows_of(t.db(), "SELECT customer_id, currency, orders, quantity, amount FROM stat_sales_customer_period"
                        " WHERE period = 'all' ORDER BY 1, 2") ==
        std::vector<std::string>{std::to_string(a) + "|'CNY'|2|4|700", std::to_string(a) + "|'USD'|1|2|14",
                                 std::to_string(b) + "|'CNY'|1|2|2000"});
  CHECK(rows_of(t.db(), "SELECT team_id, period, customer_id, currency, amount FROM stat_sales_customer_team_period"
                        " WHERE period IN ('all', '2024', '2026-Q1') ORDER BY 2, 3, 4") ==
        std::vector<std::string>{std::to_string(team) + "|'2024'|" + std::to_string(a) + "|'CNY'|200",
                                 std::to_string(team) + "|'2026-Q1'|" + std::to_string(a) + "|'USD'|14",
                                 std::to_string(team) + "|'all'|" + std::to_string(a) + "|'CNY'|200",
                                 std::to_string(team) + "|'all'|" + std::to_string(a) + "|'USD'|14",
                                 std::to_string(team) + "|'all'|" + std::to_string(b) + "|'CNY'|2000"});
  require_exact(t);
}
