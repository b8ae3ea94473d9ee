// backup_bench.cpp — backups of a large database while a writer keeps writing (issue 8's budget: writers
// never stall more than 200 ms during a backup of a 1 GB database).
//
//   kehu-bench-backup [--db PATH] [--customers N] [--interval-ms 20]
//
// With --db naming an existing database (the 1 GB one kehu-bench-stats leaves, for instance) it is used
// as it is; otherwise PATH is filled with N customers (default 20,000) and their contacts first. A writer
// thread creates a customer through the record store every interval on its own connection, as the
// server's writer would, and times each write transaction. Meanwhile the main thread makes a full backup,
// an incremental after a few seconds of writes, and builds the restore point of that incremental. Printed:
// each step's time and size, and the writer's latencies (p50, p99, max, writes over 200 ms) before and
// during each step. Backups go to a folder beside the database, removed at the end.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/customer_generator.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"
#include "core/store/record_store.h"
#include "server/auth/crypto.h"
#include "server/backup/backup_maker.h"
#include "server/backup/backup_restore.h"

using namespace kehu;
using namespace kehu::server;
namespace fs = std::filesystem;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-backup: %s\n", what.c_str());
  std::exit(1);
}

// Writes a customer every `interval_ms` and keeps each write's time under the phase it fell in.
class Writer {
 public:
  Writer(const std::string& path, int interval_ms) : interval_ms_(interval_ms) {
    auto db = SqliteDatabase::open(path);
    if (!db.ok()) fail(db.error().message.en);
    db_ = std::move(*db);
    thread_ = std::thread([this] { run(); });
  }
  ~Writer() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void phase(const std::string& name) {
    std::lock_guard lock(mu_);
    phases_.push_back({name, {}});
  }
  int64_t written() const { return written_; }
  void print() {
    std::lock_guard lock(mu_);
    for (auto& [name, times] : phases_) {
      if (times.empty()) continue;
      std::sort(times.begin(), times.end());
      auto pick = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * static_cast<double>(times.size())))]; };
      const auto slow = std::count_if(times.begin(), times.end(), [](double t) { return t > 200; });
      std::printf("  writes %-28s %5zu writes: p50 %6.2f ms, p99 %7.2f ms, max %7.2f ms, over 200 ms: %lld\n", name.c_str(),
                  times.size(), pick(0.5), pick(0.99), times.back(), static_cast<long long>(slow));
    }
  }

 private:
  void run() {
    SystemClock clock;
    while (!stop_) {
      const double start = now_ms();
      auto txn = WriteTxn::begin(*db_, clock, Actor{});
      if (!txn.ok()) fail(txn.error().message.en);
      auto made = create_record(**txn, customers_def(), {{"name", "备份期间写入" + std::to_string(written_.load())}},
                                WriteOptions{.force = true});
      if (!made.ok()) fail(made.error().message.en);
      if (auto done = (*txn)->commit(); !done.ok()) fail(done.error().message.en);
      const double took = now_ms() - start;
      ++written_;
      {
        std::lock_guard lock(mu_);
        if (!phases_.empty()) phases_.back().second.push_back(took);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms_));
    }
  }
  int interval_ms_;
  std::unique_ptr<SqliteDatabase> db_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> written_{0};
  std::mutex mu_;
  std::vector<std::pair<std::string, std::vector<double>>> phases_;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string path = (fs::temp_directory_path() / "kehu-bench-backup.db").string();
  int64_t customers = 20'000;
  int interval_ms = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--db") path = argv[i + 1];
    else if (a == "--customers") customers = std::atoll(argv[i + 1]);
    else if (a == "--interval-ms") interval_ms = std::atoi(argv[i + 1]);
    else fail("usage: kehu-bench-backup [--db PATH] [--customers N] [--interval-ms 20]");
  }
  if (!fs::exists(path)) {
    auto db = SqliteDatabase::open(path);
    if (!db.ok() || !migrate(**db).ok()) fail("cannot create " + path);
    bench::GenerateOptions options;
    options.customers = customers;
    double start = now_ms();
    auto made = bench::generate_customers(**db, options, nullptr);
    if (!made.ok()) fail(made.error().message.en);
    std::printf("generated %lld customers in %.1f s\n", static_cast<long long>(customers), (now_ms() - start) / 1000);
  } else {
    auto db = SqliteDatabase::open(path);
    if (!db.ok() || !migrate(**db).ok()) fail("cannot open " + path);
  }
  std::printf("database %s: %.1f MB\n", path.c_str(), static_cast<double>(fs::file_size(path)) / 1e6);
  const std::string folder_path = path + ".bench-backups";
  fs::remove_all(folder_path);
  BackupFolder folder(folder_path);
  OsRandom random;

  Writer writer(path, interval_ms);
  writer.phase("before any backup");
  std::this_thread::sleep_for(std::chrono::seconds(3));

  writer.phase("during the full backup");
  double start = now_ms();
  auto full = make_backup(path, folder, BackupKind::full, SystemClock().now_ms(), random);
  if (!full.ok()) fail(full.error().message.en);
  std::printf("full backup: %.2f s, %.1f MB (%s)\n", (now_ms() - start) / 1000, static_cast<double>(full->size) / 1e6, full->name.c_str());

  writer.phase("between backups");
  const int64_t before = writer.written();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  writer.phase("during the incremental");
  start = now_ms();
  auto incremental = make_backup(path, folder, BackupKind::incremental, SystemClock().now_ms(), random);
  if (!incremental.ok()) fail(incremental.error().message.en);
  std::printf("incremental backup of %lld writes: %.3f s, %.1f KB\n", static_cast<long long>(writer.written() - before),
              (now_ms() - start) / 1000, static_cast<double>(incremental->size) / 1e3);

  writer.phase("during a restore build");
  start = now_ms();
  const std::string restored = path + ".restored";
  auto point = build_restore_point(folder, incremental->name, restored, random);
  if (!point.ok()) fail(point.error().message.en);
  std::printf("restore point built (full + 1 incremental, checked): %.2f s\n", (now_ms() - start) / 1000);
  writer.stop();
  writer.print();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(restored + suffix);
  fs::remove_all(folder_path);
  return 0;
}
