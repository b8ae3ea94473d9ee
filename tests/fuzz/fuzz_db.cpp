#include "tests/fuzz/fuzz_db.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "core/schema/migrations.h"
#include "core/settings/settings.h"
#include "core/store/record_store.h"
#include "core/users/user_store.h"

namespace kehu::fuzz {

using nlohmann::json;

namespace {

ManualClock g_clock{1763800000000};  // 2025-11-22T08:26:40Z

[[noreturn]] void seed_failed(const std::string& what, const Error& error) {
  std::fprintf(stderr, "fuzz_db: seeding failed at %s: %s\n", what.c_str(), error.message.en.c_str());
  for (const auto& [field, why] : error.fields) std::fprintf(stderr, "  %s: %s\n", field.c_str(), why.en.c_str());
  std::abort();
}

std::unique_ptr<SqliteDatabase> open_memory(bool client_cache) {
  SqliteOptions options;
  options.wal = false;
  options.client_cache = client_cache;
  auto db = SqliteDatabase::open(":memory:", options);
  if (!db.ok()) seed_failed("open", db.error());
  auto migrated = migrate(**db);
  if (!migrated.ok()) seed_failed("migrate", migrated.error());
  return std::move(db.value());
}

// One committed write transaction, as `user`.
template <typename Write>
void in_txn(Database& db, int64_t user, const std::string& what, Write write) {
  auto txn = WriteTxn::begin(db, g_clock, Actor{user, "127.0.0.1"});
  if (!txn.ok()) seed_failed(what, txn.error());
  Status done = write(**txn);
  if (!done.ok()) seed_failed(what, done.error());
  Status committed = (*txn)->commit();
  if (!committed.ok()) seed_failed(what, committed.error());
}

int64_t create(Database& db, const EntityDef& entity, const json& input) {
  int64_t id = 0;
  in_txn(db, 1, entity.name + " " + input.dump(), [&](WriteTxn& txn) -> Status {
    auto made = create_record(txn, entity, input);
    if (!made.ok()) return made.take_error();
    id = (*made)["id"].get<int64_t>();
    return ok_status();
  });
  g_clock.advance_ms(61'000);  // distinct created_at values to sort and filter by
  return id;
}

// Users 1-7 (ids in this order), teams 1-2, then records whose fields cover every type: NULLs, shared
// values and non-ASCII text among the sortable columns, so pages and cursors meet ties and NULLs.
void seed(SqliteDatabase& db) {
  const int64_t east = create(db, teams_def(), {{"name", "华东销售部"}});
  const int64_t north = create(db, teams_def(), {{"name", "North"}});
  struct Person {
    const char* username;
    const char* name;
    const char* role;
    std::optional<int64_t> team;
  };
  const Person people[] = {{"admin", "管理员", "admin", std::nullopt},  {"zhang", "张经理", "manager", east},
                           {"lisi", "李销售", "sales", east},           {"wangwei", "Wang Wei", "sales", north},
                           {"zhao", "赵客服", "service", std::nullopt}, {"qian", "钱合同", "contract", std::nullopt},
                           {"sunli", "孙只读", "viewer", std::nullopt}};
  for (const Person& p : people) {
    in_txn(db, 0, std::string("user ") + p.username, [&](WriteTxn& txn) -> Status {
      NewUser user{p.username, p.name, std::string(p.username) + "@example.com", p.role};
      user.team_id = p.team;
      auto made = create_user(txn, user, "$argon2id$fuzz");
      if (!made.ok()) return made.take_error();
      return ok_status();
    });
  }
  in_txn(db, 1, "settings", [&](WriteTxn& txn) -> Status {
    auto current = read_settings(txn.db());
    if (!current.ok()) return current.take_error();
    json sections = {
        {"option_lists",
         {{"customers.source",
           {{{"value", "wechat"}, {"zh", "微信"}, {"en", "WeChat"}},
            {{"value", "website"}, {"zh", "官网"}, {"en", "Our site"}},
            {{"value", "exhibition"}, {"zh", "展会"}, {"en", "Fair"}, {"retired", true}}}}}},
        {"custom_fields",
         {{"customers",
           {{{"key", "vip"}, {"zh", "会员等级"}, {"en", "VIP tier"}, {"type", "text"}},
            {{"key", "scale"}, {"zh", "规模"}, {"en", "Scale"}, {"type", "option"}, {"options", {"小", "中", "大"}}},
            {{"key", "founded"}, {"zh", "成立日期"}, {"en", "Founded"}, {"type", "date"}},
            {{"key", "staff"}, {"zh", "人数"}, {"en", "Staff"}, {"type", "number"}},
            {{"key", "listed"}, {"zh", "上市"}, {"en", "Listed"}, {"type", "boolean"}}}}}}};
    auto valid = validate_settings(sections, *current);
    if (!valid.ok()) return valid.take_error();
    return write_settings(txn, *valid);
  });

  const int64_t c1 = create(db, customers_def(),
                            {{"name", "北京华夏科技有限公司"},
                             {"type", "enterprise"},
                             {"source", "wechat"},
                             {"level", "A"},
                             {"status", "active"},
                             {"region", "北京"},
                             {"owner_id", 3},
                             {"phone", "+86 138-0013-8000"},
                             {"email", "hx@example.com"},
                             {"tags", {"重点", "VIP"}},
                             {"custom", {{"vip", "gold"}, {"scale", "大"}}}});
  const int64_t c2 = create(db, customers_def(),
                            {{"name", "上海科技发展"},
                             {"type", "government"},
                             {"level", "B"},
                             {"region", "上海"},
                             {"owner_id", 4},
                             {"tags", {"重点"}}});
  const int64_t c3 = create(db, customers_def(), {{"name", "Acme Trading"}, {"region", "上海"}});  // the pool
  create(db, customers_def(),
         {{"name", "吉祥 𠮷 物流"},
          {"owner_id", 2},
          {"website", "https://jx.example.com"},
          {"custom", {{"staff", 120}, {"listed", true}, {"founded", "2001-05-04"}}}});
  create(db, customers_def(), {{"name", "acme trading"}, {"owner_id", 3}, {"level", "A"}});
  const int64_t p1 = create(db, contacts_def(), {{"name", "张伟"}, {"customer_id", c1}, {"mobile", "13800138001"}});
  create(db, contacts_def(), {{"name", "Mary"}, {"customer_id", c2}});
  const int64_t prod1 =
      create(db, products_def(), {{"sku", "P-1"}, {"name", "服务器"}, {"price", 1250000}, {"stock", 50}});
  const int64_t prod2 = create(db, products_def(), {{"sku", "P-2"}, {"name", "Cable"}, {"stock", 1000}});
  const int64_t opp = create(db, opportunities_def(),
                             {{"customer_id", c1},
                              {"title", "机房扩容"},
                              {"stage", "proposal"},
                              {"amount", 500000000},
                              {"probability", 60},
                              {"contact_id", p1},
                              {"expected_close_date", "2026-01-15"},
                              {"owner_id", 3}});
  create(db, opportunities_def(), {{"customer_id", c2}, {"title", "Pilot"}, {"owner_id", 4}});
  create(db, contracts_def(),
         {{"customer_id", c1},
          {"title", "2025 年度合同"},
          {"amount", 400000000},
          {"opportunity_id", opp},
          {"signed_date", "2025-11-20"},
          {"owner_id", 3}});
  create(
      db, orders_def(),
      {{"customer_id", c1},
       {"status", "confirmed"},
       {"owner_id", 3},
       {"items",
        {{{"product_id", prod1}, {"quantity", 2}}, {{"product_id", prod2}, {"quantity", 10}, {"unit_price", 500}}}}});
  create(db, activities_def(),
         {{"type", "call"},
          {"subject", "回访"},
          {"customer_id", c1},
          {"owner_id", 3},
          {"start_at", "2025-11-21T09:30:00Z"},
          {"done", true}});
  create(db, activities_def(),
         {{"type", "task"},
          {"subject", "Send quote"},
          {"customer_id", c2},
          {"owner_id", 4},
          {"due_at", "2025-11-25T18:00:00+08:00"}});
  create(db, tickets_def(),
         {{"type", "complaint"}, {"subject", "发票错误"}, {"customer_id", c1}, {"priority", "high"}});
  create(db, tickets_def(), {{"type", "inquiry"}, {"subject", "Pricing"}, {"customer_id", c3}});
  const int64_t camp = create(db, campaigns_def(), {{"name", "双十一"}, {"owner_id", 2}});
  create(db, emails_def(),
         {{"direction", "outbound"},
          {"subject", "报价单"},
          {"customer_id", c1},
          {"campaign_id", camp},
          {"to_addr", "hx@example.com"}});
  create(db, announcements_def(), {{"title", "系统维护通知"}});
  create(db, views_def(),
         {{"name", "我的A类客户"}, {"resource", "customers"}, {"filters", {{"level", "A"}}}, {"sort", "-name"}});
  // A removal for the sync reader to send.
  const int64_t gone = create(db, customers_def(), {{"name", "已删除客户"}, {"owner_id", 3}});
  in_txn(db, 1, "delete", [&](WriteTxn& txn) { return delete_record(txn, customers_def(), gone); });
}

}  // namespace

const Clock& fuzz_clock() { return g_clock; }

SqliteDatabase& seeded_db() {
  static SqliteDatabase* db = [] {
    auto made = open_memory(false);
    seed(*made);
    return made.release();  // lives as long as the process: no destructor races the fuzzer's exit
  }();
  return *db;
}

// A database restored to `original` unless nothing was written to it since the last restore (SQLite's
// count of changed rows, which also counts writes that were rolled back, has not moved): a copy costs
// milliseconds and drops the statement cache, and most inputs write nothing.
class Restored {
 public:
  Restored(SqliteDatabase& original, bool client_cache)
      : original_(original), db_(open_memory(client_cache).release()) {}

  SqliteDatabase& get() {
    if (restored_ && sqlite3_total_changes64(db_->handle()) == changes_at_restore_) return *db_;
    Status copied = original_.copy_into(*db_);
    if (!copied.ok()) seed_failed("restoring a copy", copied.error());
    restored_ = true;
    changes_at_restore_ = sqlite3_total_changes64(db_->handle());
    return *db_;
  }

 private:
  SqliteDatabase& original_;
  SqliteDatabase* db_;  // lives as long as the process
  bool restored_ = false;
  int64_t changes_at_restore_ = 0;
};

SqliteDatabase& scratch_db() {
  static Restored scratch(seeded_db(), false);
  return scratch.get();
}

SqliteDatabase& empty_cache_db() {
  static SqliteDatabase* empty = open_memory(true).release();
  static Restored cache(*empty, true);
  return cache.get();
}

const std::vector<Viewer>& viewers() {
  static const std::vector<Viewer> kViewers = {Viewer::system(),
                                               Viewer{1, "admin", std::nullopt},
                                               Viewer{2, "manager", 1},
                                               Viewer{3, "sales", 1},
                                               Viewer{4, "sales", 2},
                                               Viewer{5, "service", std::nullopt},
                                               Viewer{6, "contract", std::nullopt},
                                               Viewer{7, "viewer", std::nullopt}};
  return kViewers;
}

}  // namespace kehu::fuzz
