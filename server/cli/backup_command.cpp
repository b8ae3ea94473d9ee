#include "server/cli/backup_command.h"

#include <cstdio>
#include <filesystem>

#include "core/clock.h"
#include "core/db/sqlite_database.h"
#include "core/settings/settings.h"
#include "server/auth/crypto.h"
#include "server/backup/backup_cipher.h"
#include "server/backup/backup_maker.h"
#include "server/backup/backup_schedule.h"
#include "server/backup/backup_restore.h"
#include "server/serving_lock.h"

namespace kehu::server {

namespace fs = std::filesystem;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "crm-server: %s\n", message.c_str());
  return 1;
}

// Takes "--name VALUE" out of `args`; `fallback` when absent.
std::string take(std::vector<std::string>& args, const std::string& name, const std::string& fallback = "") {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) {
      std::string v = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      return v;
    }
  return fallback;
}

bool take_flag(std::vector<std::string>& args, const std::string& name) {
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == name) {
      args.erase(args.begin() + static_cast<long>(i));
      return true;
    }
  return false;
}

std::string size_text(int64_t bytes) {
  char out[32];
  if (bytes < 1024 * 1024) std::snprintf(out, sizeof out, "%.1f KB", static_cast<double>(bytes) / 1024);
  else std::snprintf(out, sizeof out, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
  return out;
}

void print_backup(const BackupManifest& m) {
  std::printf("%-40s %-11s %s  %10s  rev %lld%s%s\n", m.name.c_str(), m.kind.c_str(), m.created_at.c_str(), size_text(m.size).c_str(),
              static_cast<long long>(m.marks.rev), m.note.empty() ? "" : "  ", m.note.c_str());
}

}  // namespace

namespace {

// The database's backup settings (defaults when it has none yet).
BackupSchedule schedule_in(const std::string& db_path) {
  if (fs::exists(db_path)) {
    auto db = SqliteDatabase::open(db_path, SqliteOptions{.read_only = true});
    if (db.ok()) {
      auto settings = read_settings(**db);
      if (settings.ok()) return backup_schedule_of(*settings);
    }
  }
  return BackupSchedule{};
}

}  // namespace

std::string backup_folder_for(const std::string& db_path, const std::string& override_folder) {
  return backup_folder_path(db_path, override_folder.empty() ? schedule_in(db_path).folder : override_folder);
}

int run_backup_command(const std::string& db_path, std::vector<std::string> args) {
  const char* usage = "usage: crm-server backup [--incremental] [--folder DIR] [--db FILE]\n";
  std::string folder = take(args, "--folder");
  bool incremental = take_flag(args, "--incremental");
  if (!args.empty()) return std::fputs(usage, stderr), 2;
  BackupFolder backups(backup_folder_for(db_path, folder));
  OsRandom random;
  auto made = make_backup(db_path, backups, incremental ? BackupKind::incremental : BackupKind::full,
                          SystemClock().now_ms(), random, incremental ? "" : "crm-server backup",
                          backup_passphrase(schedule_in(db_path).key));
  if (!made.ok()) return fail(made.error().message.en);
  if (incremental && made->full()) std::printf("no earlier backup of this database to follow: made a full backup\n");
  std::printf("backup %s written to %s\n", made->name.c_str(), backups.path().c_str());
  print_backup(*made);
  return 0;
}

int run_backups_command(const std::string& db_path, std::vector<std::string> args) {
  std::string folder = take(args, "--folder");
  if (!args.empty()) return std::fputs("usage: crm-server backups [--folder DIR] [--db FILE]\n", stderr), 2;
  BackupFolder backups(backup_folder_for(db_path, folder));
  auto all = backups.list();
  if (!all.ok()) return fail(all.error().message.en);
  if (all->empty()) std::printf("no backups in %s\n", backups.path().c_str());
  for (const auto& m : *all) print_backup(m);
  return 0;
}

int run_restore_command(const std::string& db_path, std::vector<std::string> args) {
  const char* usage = "usage: crm-server restore NAME [--folder DIR] [--db FILE]   (with the server stopped)\n";
  std::string folder = take(args, "--folder");
  if (args.size() != 1 || args[0].rfind("--", 0) == 0) return std::fputs(usage, stderr), 2;
  const std::string name = args[0];
  if (database_in_service(db_path))
    return fail("a crm-server is running on " + db_path + ": stop it first, or restore from the admin screen while it runs (the database was not changed)");
  BackupFolder backups(backup_folder_for(db_path, folder));
  auto point = backups.find(name);
  if (!point.ok()) return fail(point.error().message.en);
  OsRandom random;
  // The point is built and checked first: a damaged backup is refused before anything is written.
  const std::string building = db_path + ".restoring";
  const std::string passphrase = backup_passphrase(schedule_in(db_path).key);
  auto marks = build_restore_point(backups, name, building, random, passphrase);
  if (!marks.ok()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(building + suffix, ec);
    return fail(marks.error().message.en + " (the database was not changed)");
  }
  if (fs::exists(db_path)) {
    auto before = make_backup(db_path, backups, BackupKind::full, SystemClock().now_ms(), random, "before restoring " + name, passphrase);
    if (!before.ok()) return fail("could not back up the database before restoring (it was not changed): " + before.error().message.en);
    std::printf("the database as it was is kept as backup %s (rev %lld)\n", before->name.c_str(),
                static_cast<long long>(before->marks.rev));
  }
  if (fs::exists(db_path)) {
    auto live = SqliteDatabase::open(db_path);
    if (!live.ok()) return fail(live.error().message.en);
    if (auto ready = ready_restored_for(**live, building); !ready.ok()) return fail(ready.error().message.en);
  }
  if (auto swapped = replace_database_file(db_path, building); !swapped.ok()) return fail(swapped.error().message.en);
  std::printf("restored %s: the database is at rev %lld as of %s\n", name.c_str(), static_cast<long long>(marks->rev),
              point->created_at.c_str());
  return 0;
}

}  // namespace kehu::server
