// Backups of a running server's database (server/backup/): full and incremental backups taken while
// clients write over HTTP restore to consistent points with nothing lost; the last point equals the
// database table by table; a damaged, altered or unlinked backup is refused with the reason and leaves
// the restore target untouched; a restored database starts a new chain.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/backup/backup_tables.h"
#include "core/stats/stats_upkeep.h"
#include "server/auth/crypto.h"
#include "server/backup/backup_maker.h"
#include "server/backup/backup_restore.h"
#include "server/backup/durable_files.h"
#include "tests/core/table_digest.h"
#include "tests/server/test_server.h"

using namespace kehu;
using namespace kehu::server;
using namespace kehu::test;
using json = nlohmann::json;

namespace {

int64_t now_ms() { return SystemClock().now_ms(); }

std::vector<int64_t> ids_of(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.ok());
  std::vector<int64_t> out;
  REQUIRE((*st)->collect_ints(out).ok());
  return out;
}

std::unique_ptr<SqliteDatabase> open_db(const std::string& path) {
  auto db = SqliteDatabase::open(path);
  REQUIRE_MESSAGE(db.ok(), db.error().message.en);
  return std::move(*db);
}

// Writes customers with an order each over HTTP until stopped; counts what it wrote.
class Writer {
 public:
  Writer(TestServer& s, const std::string& token) : s_(s), token_(token) {
    product_ = s.request("POST", "/api/v1/products", token, {{"sku", "P-1"}, {"name", "服务器"}, {"price", 100}, {"stock", 1'000'000}})
                   .body["id"]
                   .get<int64_t>();
    thread_ = std::thread([this] { run(); });
  }
  ~Writer() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int written() const { return written_; }
  int failures() const { return failures_; }

 private:
  void run() {
    while (!stop_) {
      auto c = s_.request("POST", "/api/v1/customers", token_, {{"name", "并发客户" + std::to_string(written_)}});
      if (c.status != 201) {
        ++failures_;
        continue;
      }
      auto o = s_.request("POST", "/api/v1/orders", token_,
                          {{"customer_id", c.body["id"]}, {"items", json::array({{{"product_id", product_}, {"quantity", 1}, {"unit_price", 100}}})}});
      if (o.status != 201) ++failures_;
      ++written_;
    }
  }
  TestServer& s_;
  std::string token_;
  int64_t product_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> written_{0}, failures_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("backups taken while clients write restore to consistent points, the last equal to the database") {
  TestServer s;
  const std::string token = s.admin_token();
  BackupFolder folder(s.dir() + "/backups");
  OsRandom random;
  std::vector<BackupManifest> made;
  {
    Writer writer(s, token);
    while (writer.written() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto full = make_backup(s.db_path(), folder, BackupKind::full, now_ms(), random);
    REQUIRE_MESSAGE(full.ok(), full.error().message.en);
    CHECK(full->full());
    made.push_back(*full);
    for (int i = 0; i < 4; ++i) {
      const int at = writer.written();
      while (writer.written() < at + 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      auto next = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random);
      REQUIRE_MESSAGE(next.ok(), next.error().message.en);
      CHECK(next->kind == "incremental");
      CHECK(next->base == made.back().name);
      CHECK(next->marks.rev > made.back().marks.rev);
      made.push_back(*next);
    }
    writer.stop();
    CHECK(writer.failures() == 0);
  }
  // Quiet now: one more incremental is the database as it is.
  auto last = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random);
  REQUIRE(last.ok());
  made.push_back(*last);

  auto live = open_db(s.db_path());
  const auto live_customers = ids_of(*live, "SELECT id FROM customers ORDER BY id");
  for (const auto& point : made) {
    INFO(point.name);
    const std::string path = s.dir() + "/restored-" + point.name + ".db";
    auto marks = build_restore_point(folder, point.name, path, random);
    REQUIRE_MESSAGE(marks.ok(), marks.error().message.en);
    CHECK(*marks == point.marks);
    auto restored = open_db(path);
    CHECK(check_database(*restored).ok());
    auto differences = check_statistics(*restored);
    REQUIRE(differences.ok());
    CHECK(differences->empty());
    // Nothing lost: the customers at that point are exactly the first ones the database has.
    auto customers = ids_of(*restored, "SELECT id FROM customers ORDER BY id");
    REQUIRE(customers.size() <= live_customers.size());
    CHECK(std::equal(customers.begin(), customers.end(), live_customers.begin()));
    // Each customer's order is the next request: a point may fall between the two, never elsewhere.
    const int64_t orders = ids_of(*restored, "SELECT count(*) FROM orders")[0];
    CHECK(orders >= static_cast<int64_t>(customers.size()) - 1);
    CHECK(orders <= static_cast<int64_t>(customers.size()));
    CHECK(ids_of(*restored, "SELECT count(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customers)")[0] == 0);
    if (&point == &made.back()) {
      auto want = table_digests(*live);
      auto got = table_digests(*restored);
      for (const auto& entry : want) CHECK_MESSAGE(got[entry.first] == entry.second, entry.first);
    }
  }
}

TEST_CASE("a damaged, altered or unlinked backup is refused with the reason, and nothing is built from it") {
  TestServer s;
  const std::string token = s.admin_token();
  BackupFolder folder(s.dir() + "/backups");
  OsRandom random;
  int serial = 0;
  auto write_some = [&](int n) {
    for (int i = 0; i < n; ++i)
      REQUIRE(s.request("POST", "/api/v1/customers", token, {{"name", "客户" + std::to_string(++serial)}}).status == 201);
  };
  write_some(3);
  auto full = make_backup(s.db_path(), folder, BackupKind::full, now_ms(), random);
  REQUIRE(full.ok());
  write_some(2);
  auto first = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random);
  REQUIRE(first.ok());
  write_some(2);
  auto second = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random);
  REQUIRE(second.ok());
  const std::string target = s.dir() + "/target.db";

  SUBCASE("a byte changed in an incremental") {
    {
      std::fstream f(folder.file_of(first->name), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(first->size / 2);
      f.put('\x5a');
    }
    auto built = build_restore_point(folder, second->name, target, random);
    REQUIRE_FALSE(built.ok());
    CHECK(built.error().message.en == "backup " + first->name + " is damaged or was altered (its checksum differs); it cannot be used");
    CHECK_FALSE(std::filesystem::exists(target));
    // The points before the damage still restore.
    CHECK(build_restore_point(folder, full->name, target, random).ok());
  }
  SUBCASE("a truncated full backup") {
    std::filesystem::resize_file(folder.file_of(full->name), static_cast<uintmax_t>(full->size / 2));
    auto built = build_restore_point(folder, first->name, target, random);
    REQUIRE_FALSE(built.ok());
    CHECK(built.error().message.en.find("backup " + full->name + " is damaged or was altered") == 0);
  }
  SUBCASE("an incremental whose base is gone") {
    REQUIRE(folder.remove(first->name).ok());
    auto built = build_restore_point(folder, second->name, target, random);
    REQUIRE_FALSE(built.ok());
    CHECK(built.error().message.en == "backup " + first->name + ", which incremental " + second->name +
                                          " follows, is missing: this point cannot be restored");
  }
  SUBCASE("a manifest altered to name other marks") {
    BackupManifest altered = *first;
    altered.marks.rev -= 1;
    REQUIRE(folder.write_manifest(altered).ok());
    auto built = build_restore_point(folder, second->name, target, random);
    REQUIRE_FALSE(built.ok());
    CHECK(built.error().message.en == "incremental " + second->name + " does not follow " + first->name);
  }
  SUBCASE("a name that is a path") {
    auto built = build_restore_point(folder, "../kehu", target, random);
    REQUIRE_FALSE(built.ok());
    CHECK(built.error().message.en == "not a backup name: ../kehu");
  }
}

TEST_CASE("encrypted backups: unreadable without the key, restored with it, refused with a wrong key or a changed byte") {
  TestServer s;
  const std::string token = s.admin_token();
  BackupFolder folder(s.dir() + "/backups");
  OsRandom random;
  const std::string key = "correct horse battery staple";
  REQUIRE(s.request("POST", "/api/v1/customers", token, {{"name", "加密客户甲"}, {"phone", "13800138000"}}).status == 201);
  auto full = make_backup(s.db_path(), folder, BackupKind::full, now_ms(), random, "", key);
  REQUIRE_MESSAGE(full.ok(), full.error().message.en);
  REQUIRE(s.request("POST", "/api/v1/customers", token, {{"name", "加密客户乙"}}).status == 201);
  auto next = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random, "", key);
  REQUIRE(next.ok());
  CHECK(full->encrypted);
  CHECK(next->encrypted);
  CHECK(next->kind == "incremental");
  for (const auto& b : {*full, *next}) {
    std::ifstream in(folder.file_of(b), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.rfind("KEHUENC1", 0) == 0);
    CHECK(bytes.find("加密客户甲") == std::string::npos);  // no record readable in the file
    CHECK(bytes.find("13800138000") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(folder.file_of(b.name)));  // no plain copy left beside it
  }
  const std::string target = s.dir() + "/target.db";
  auto built = build_restore_point(folder, next->name, target, random, key);
  REQUIRE_MESSAGE(built.ok(), built.error().message.en);
  {
    auto restored = open_db(target);
    CHECK(ids_of(*restored, "SELECT count(*) FROM customers")[0] == 2);
  }
  auto wrong = build_restore_point(folder, next->name, target, random, "not the right key at all");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.en == "backup " + full->name + " is encrypted and the key does not open it (a wrong key, or the file was altered)");
  auto none = build_restore_point(folder, next->name, target, random, "");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message.en == "backup " + full->name + " is encrypted: set KEHU_BACKUP_KEY or the backup key");
  // A byte changed, and the manifest's checksum made to match it: the cipher still refuses.
  {
    std::fstream f(folder.file_of(*next), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x01');
  }
  BackupManifest altered = *next;
  altered.sha256 = *file_sha256(folder.file_of(*next));
  REQUIRE(folder.write_manifest(altered).ok());
  auto tampered = build_restore_point(folder, next->name, target, random, key);
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.error().message.en == "backup " + next->name + " is encrypted and the key does not open it (a wrong key, or the file was altered)");
}

TEST_CASE("a restored database starts a new chain: its next backup is a full one") {
  TestServer s;
  const std::string token = s.admin_token();
  BackupFolder folder(s.dir() + "/backups");
  OsRandom random;
  REQUIRE(s.request("POST", "/api/v1/customers", token, {{"name", "甲"}}).status == 201);
  auto full = make_backup(s.db_path(), folder, BackupKind::full, now_ms(), random);
  REQUIRE(full.ok());
  const std::string restored = s.dir() + "/restored.db";
  REQUIRE(build_restore_point(folder, full->name, restored, random).ok());
  auto next = make_backup(restored, folder, BackupKind::incremental, now_ms(), random);
  REQUIRE(next.ok());
  CHECK(next->full());
  CHECK(next->database_id != full->database_id);
  // The live database still follows its own chain, though the folder's latest backup is the other's.
  auto live_next = make_backup(s.db_path(), folder, BackupKind::incremental, now_ms(), random);
  REQUIRE(live_next.ok());
  CHECK(live_next->kind == "incremental");
  CHECK(live_next->base == full->name);
}
