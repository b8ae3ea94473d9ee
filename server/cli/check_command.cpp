#include "server/cli/check_command.h"

#include <cstdio>
#include <filesystem>

#include "core/backup/backup_tables.h"
#include "core/stats/stats_upkeep.h"
#include "server/backup/backup_folder.h"
#include "server/cli/backup_command.h"
#include "server/db_pool.h"

namespace kehu::server {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "crm-server: %s\n", message.c_str());
  return 1;
}

// The differences found, at most `limit` of them; an Error when the database failed.
Result<std::vector<std::string>> differences_in(DbPool& pool, size_t limit) {
  // check_statistics counts into temporary tables: a write lease, so no reader's snapshot is disturbed.
  auto lease = pool.write();
  return check_statistics(lease.db(), limit);
}

}  // namespace

int run_check_command(const std::string& db_path, const std::vector<std::string>& args) {
  const char* usage = "usage: crm-server check [--repair] [--folder DIR] [--db FILE]\n";
  bool repair = false;
  std::string folder;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--repair") repair = true;
    else if (args[i] == "--folder" && i + 1 < args.size()) folder = args[++i];
    else return std::fputs(usage, stderr), 2;
  }
  if (!std::filesystem::exists(db_path)) return fail("no database at " + db_path);  // not one made empty
  auto pool = DbPool::open(db_path, 1);
  if (!pool.ok()) return fail(pool.error().message.en);
  {
    auto lease = (*pool)->read();
    if (auto whole = check_database(lease.db()); !whole.ok()) return fail(whole.error().message.en);
    std::printf("database: whole (integrity and references checked)\n");
  }
  // Every backup in the folder: its file against its manifest, and its chain back to a full backup.
  BackupFolder backups(backup_folder_for(db_path, folder));
  auto all = backups.list();
  if (!all.ok()) return fail(all.error().message.en);
  int damaged = 0;
  for (const auto& b : *all) {
    Status fine = backups.verify(b);
    if (fine.ok() && !b.full()) {
      auto chain = backups.chain_to(b.name);
      if (!chain.ok()) fine = chain.take_error();
    }
    if (!fine.ok()) {
      ++damaged;
      std::printf("  %s\n", fine.error().message.en.c_str());
    }
  }
  if (damaged) return fail(std::to_string(damaged) + " of " + std::to_string(all->size()) + " backups in " + backups.path() + " cannot be restored");
  std::printf("backups: %zu in %s, all whole\n", all->size(), backups.path().c_str());
  constexpr size_t kShown = 20;
  auto found = differences_in(**pool, kShown);
  if (!found.ok()) return fail(found.error().message.en);
  if (found->empty()) {
    std::printf("statistics: exact (equal to a count from the records)\n");
    return 0;
  }
  std::printf("statistics: %s%zu figures differ from a count from the records:\n", found->size() >= kShown ? "at least " : "",
              found->size());
  for (const auto& d : *found) std::printf("  %s\n", d.c_str());
  if (!repair) {
    std::printf("run `crm-server check --repair` to count them again\n");
    return 1;
  }
  {
    auto lease = (*pool)->write();
    auto txn = Transaction::begin(lease.db(), true);
    if (!txn.ok()) return fail(txn.error().message.en);
    if (auto counted = rebuild_statistics(lease.db()); !counted.ok()) return fail(counted.error().message.en);
    if (auto done = (*txn)->commit(); !done.ok()) return fail(done.error().message.en);
  }
  auto after = differences_in(**pool, kShown);
  if (!after.ok()) return fail(after.error().message.en);
  if (!after->empty()) return fail("the statistics still differ after counting them again: " + after->front());
  std::printf("statistics: counted again from the records; now exact\n");
  return 0;
}

}  // namespace kehu::server
