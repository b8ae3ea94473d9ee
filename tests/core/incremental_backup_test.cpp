// The incremental backup (core/backup/incremental_backup.h): a copy of the database plus a chain of
// incrementals, each taken after a round of random writes of every kind, equals the source at every
// point, table by table: records, tombstones, logs, sessions, statistics, the churn window and the
// search index alike. Incrementals refuse to apply out of order and leave the database as it was.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "core/backup/incremental_backup.h"
#include "core/rules/campaign_members.h"
#include "core/rules/workflows.h"
#include "core/stats/churn_window.h"
#include "core/users/user_store.h"
#include "tests/core/stats_test_support.h"
#include "tests/core/table_digest.h"

using namespace kehu;
using namespace kehu::test;
using json = nlohmann::json;

namespace {

int64_t id_of(const json& record) { return record["id"].get<int64_t>(); }

std::string temp_file(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(std::random_device{}()) + ".db")).string();
}

// An incremental of `source` since `base`, written to a new file; returns its marks.
BackupMarks take_incremental(SqliteDatabase& source, const BackupMarks& base, const std::string& file) {
  REQUIRE(source.run("ATTACH DATABASE ?1 AS inc", {file}).ok());
  auto marks = write_incremental(source, base);
  REQUIRE(source.exec("DETACH DATABASE inc").ok());
  REQUIRE_MESSAGE(marks.ok(), marks.error().message.en);
  return *marks;
}

Result<BackupMarks> apply_file(SqliteDatabase& target, const std::string& file) {
  REQUIRE(target.run("ATTACH DATABASE ?1 AS inc", {file}).ok());
  auto reached = apply_incremental(target);
  REQUIRE(target.exec("DETACH DATABASE inc").ok());
  return reached;
}

void require_same_tables(Database& source, Database& restored) {
  auto want = table_digests(source);
  auto got = table_digests(restored);
  for (const auto& entry : want) CHECK_MESSAGE(got[entry.first] == entry.second, entry.first);
  CHECK(got.size() == want.size());
}

Status status_of(Result<json> r) {
  if (!r.ok()) return r.take_error();
  return ok_status();
}

void in_txn(TestDb& t, const std::function<Status(WriteTxn&)>& work) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto done = work(**txn);
  REQUIRE_MESSAGE(done.ok(), done.error().message.en);
  REQUIRE((*txn)->commit().ok());
}

}  // namespace

TEST_CASE("every table of the schema has a backup rule, and the derived ones are not carried") {
  TestDb t;
  auto tables = backup_tables(t.db());
  REQUIRE_MESSAGE(tables.ok(), tables.error().message.en);
  std::map<std::string, TableCopy> rule;
  for (const auto& table : *tables) rule[table.name] = table.copy;
  CHECK(tables->front().name == "users");
  CHECK(rule["users"] == TableCopy::all_records);
  CHECK(rule["customers"] == TableCopy::changed_records);
  CHECK(rule["orders"] == TableCopy::changed_records);
  CHECK(rule["audit"] == TableCopy::appended);
  CHECK(rule["tombstones"] == TableCopy::by_rev);
  CHECK(rule["sessions"] == TableCopy::whole);
  CHECK(rule["campaign_members"] == TableCopy::by_campaign);
  CHECK(rule["stat_sales_day"] == TableCopy::derived);
  CHECK(rule["customers_tri"] == TableCopy::derived);
  CHECK(rule["customers_tri_data"] == TableCopy::derived);
  CHECK(rule["churn_window_state"] == TableCopy::churn_state);

  REQUIRE(t.db().exec("CREATE TABLE notes_nobody_backs_up (id INTEGER PRIMARY KEY)").ok());
  auto unknown = backup_tables(t.db());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.en == "table notes_nobody_backs_up has no backup rule");
}

TEST_CASE("a copy and ten incrementals equal the source at every point, table by table") {
  ZonesInstalled zones;
  TestDb t;
  std::mt19937 rng(20261125);
  auto between = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto chance = [&](int percent) { return between(0, 99) < percent; };
  auto pick = [&](const auto& v) { return v[static_cast<size_t>(between(0, static_cast<int64_t>(v.size()) - 1))]; };

  const int64_t east = id_of(t.create(teams_def(), {{"name", "华东"}}));
  const int64_t north = id_of(t.create(teams_def(), {{"name", "华北"}}));
  std::vector<int64_t> reps = {add_user(t, "rep1", "sales"), add_user(t, "rep2", "sales"), add_user(t, "rep3", "sales")};
  const int64_t product = id_of(t.create(products_def(), {{"sku", "P-1"}, {"name", "云服务器"}, {"price", 1000}, {"stock", 1'000'000}}));
  const int64_t campaign = id_of(t.create(campaigns_def(), {{"name", "春季活动"}}));
  std::vector<int64_t> customers, contacts, tickets;
  int serial = 0;
  auto new_customer = [&] {
    customers.push_back(id_of(t.create(customers_def(), {{"name", "华夏科技" + std::to_string(++serial)},
                                                         {"owner_id", pick(reps)}, {"phone", "1380013" + std::to_string(1000 + serial)}})));
  };
  for (int i = 0; i < 5; ++i) new_customer();
  const std::vector<std::string> dates = {"2025-11-01", "2025-11-20", "2025-11-22", "2025-10-15", "2025-09-30"};
  RandomOrders orders(t, rng, [&] { return pick(dates); },
                      [&] { return json::array({{{"product_id", product}, {"quantity", between(1, 3)}, {"unit_price", between(100, 900)}}}); });
  in_txn(t, [&](WriteTxn&) { return bring_churn_window_to(t.db(), 90, "2025-11-22"); });

  // The full backup: a copy of the whole file, as the server's backup makes it.
  const std::string restored_path = temp_file("kehu-restored");
  auto restored = SqliteDatabase::open(restored_path);
  REQUIRE(restored.ok());
  REQUIRE(t.db().copy_into(**restored).ok());
  auto base = read_backup_marks(t.db());
  REQUIRE(base.ok());
  require_same_tables(t.db(), **restored);

  std::vector<std::string> files;
  std::map<std::string, int> done;
  for (int round = 0; round < 10; ++round) {
    for (int step = 0; step < 40; ++step) {
      t.clock().advance_ms(between(0, 3 * 3600 * 1000));
      const int64_t what = between(0, 99);
      if (what < 8) {
        new_customer();
        ++done["customer created"];
      } else if (what < 14) {
        const int64_t id = pick(customers);
        auto current = get_record(t.db(), customers_def(), id);
        REQUIRE(current.ok());
        json patch = chance(50) ? json{{"name", "改名客户" + std::to_string(++serial)}} : json{{"owner_id", pick(reps)}};
        REQUIRE(t.try_update(customers_def(), id, patch, (*current)["rev"].get<int64_t>()).ok());
        ++done["customer edited"];
      } else if (what < 18) {
        const int64_t id = id_of(t.create(contacts_def(), {{"customer_id", pick(customers)}, {"name", "联系人" + std::to_string(++serial)}}));
        contacts.push_back(id);
        ++done["contact created"];
      } else if (what < 21 && !contacts.empty()) {
        const size_t at = static_cast<size_t>(between(0, static_cast<int64_t>(contacts.size()) - 1));
        REQUIRE(t.try_delete(contacts_def(), contacts[at]).ok());
        contacts.erase(contacts.begin() + static_cast<long>(at));
        ++done["contact deleted"];
      } else if (what < 26) {
        // A customer with no orders and no tickets can go (with its contacts).
        auto gone = t.try_delete(customers_def(), pick(customers));
        if (gone.ok()) {
          customers.clear();
          auto st = t.db().prepare("SELECT id FROM customers");
          REQUIRE(st.ok());
          REQUIRE((*st)->collect_ints(customers).ok());
          contacts.clear();
          auto cs = t.db().prepare("SELECT id FROM contacts");
          REQUIRE(cs.ok());
          REQUIRE((*cs)->collect_ints(contacts).ok());
          ++done["customer deleted"];
        }
        if (customers.size() < 3) new_customer();
      } else if (what < 30) {
        // A rep moves to another team (their sales move in the teams' rankings), or signs in.
        const int64_t rep = pick(reps);
        auto user = get_record(t.db(), users_def(), rep);
        REQUIRE(user.ok());
        if (chance(50)) {
          json team = chance(30) ? json(nullptr) : json(chance(50) ? east : north);
          auto moved = t.try_update(users_def(), rep, {{"team_id", team}}, (*user)["rev"].get<int64_t>());
          REQUIRE_MESSAGE(moved.ok(), moved.error().message.en);
          ++done["team move"];
        } else {
          REQUIRE(touch_last_login(t.db(), rep, format_rfc3339_ms(t.clock().now_ms())).ok());
          ++done["sign-in"];
        }
      } else if (what < 34) {
        const int64_t id = id_of(t.create(tickets_def(), {{"type", "inquiry"}, {"subject", "咨询" + std::to_string(++serial)},
                                                          {"customer_id", pick(customers)}}));
        tickets.push_back(id);
        in_txn(t, [&](WriteTxn& txn) { return status_of(add_ticket_note(txn, id, {{"text", "已回电"}}, Viewer::system())); });
        ++done["ticket and note"];
      } else if (what < 37) {
        if (chance(30)) {
          // Someone leaves the campaign (only the audit row says which campaign changed).
          auto member = t.db().query_int("SELECT customer_id FROM campaign_members WHERE campaign_id = ?1 ORDER BY random()", {campaign});
          REQUIRE(member.ok());
          if (member->has_value()) {
            in_txn(t, [&](WriteTxn& txn) {
              return remove_campaign_member(txn, campaign, {{"customer_id", std::to_string(**member)}}, Viewer::system());
            });
            ++done["campaign member left"];
            continue;
          }
        }
        in_txn(t, [&](WriteTxn& txn) {
          return status_of(put_campaign_member(
              txn, campaign, {{"customer_id", pick(customers)}, {"status", chance(50) ? "targeted" : "responded"}}, Viewer::system()));
        });
        ++done["campaign member"];
      } else if (what < 39) {
        t.create(activities_def(), {{"type", "call"}, {"subject", "回访"}, {"customer_id", pick(customers)}, {"done", true}});
        ++done["activity"];
      } else {
        if (!orders.write(static_cast<int>(between(0, 94)), step, customers, reps)) continue;
        ++done["order"];
      }
    }
    if (round == 3) t.put_settings({{"churn_days", 30}});
    if (round == 6) t.put_settings({{"time_zone", "UTC"}});  // every figure is counted again
    if (round % 2 == 1) {
      // The day turned: the churn window moves (the server's job does this).
      in_txn(t, [&](WriteTxn&) { return bring_churn_window_to(t.db(), round < 3 ? 90 : 30, round < 5 ? "2025-11-23" : "2025-11-25"); });
    }

    files.push_back(temp_file("kehu-incremental"));
    BackupMarks point = take_incremental(t.db(), *base, files.back());
    CHECK(point.rev > base->rev);
    auto reached = apply_file(**restored, files.back());
    REQUIRE_MESSAGE(reached.ok(), reached.error().message.en);
    CHECK(*reached == point);
    INFO("round " << round);
    require_same_tables(t.db(), **restored);
    base = point;
  }
  auto differences = check_statistics(**restored);
  REQUIRE(differences.ok());
  CHECK(differences->empty());
  for (const char* kind : {"customer created", "customer edited", "customer deleted", "contact deleted", "team move", "sign-in",
                           "ticket and note", "campaign member", "campaign member left", "order"})
    CHECK_MESSAGE(done[kind] > 0, kind);

  SUBCASE("an incremental applies only at its base: out of order it is refused and changes nothing") {
    auto before = table_digests(**restored);
    auto again = apply_file(**restored, files[4]);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().message.en.find("restore its chain in order from its full backup") != std::string::npos);
    CHECK(table_digests(**restored) == before);
  }
  restored->reset();
  for (const auto& f : files) std::filesystem::remove(f);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(restored_path + suffix);
}
