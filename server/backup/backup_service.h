// backup_service.h — the running server's backups: on schedule, on request, restored on request.
//
// One backup or restore at a time. The scheduled job (tick(), run by the job runner) backs up when
// backup_schedule.h says one is due; a failure is logged, counted and tried again at the next tick.
// An admin's "back up now" runs on a thread of the service's own, so the request returns at once and
// the admin screen follows its progress (status(): bytes written of the database's size). Each
// success applies the retention; every backup, download and restore is audited.
//
// A restore builds the chosen point beside the database (checking every file first: a damaged backup
// changes nothing), backs up the database as it is, readies the point (backup_restore.h) and swaps it
// in (DbPool::replace_file): writes are refused with 503 for the moment of the swap and resume on their own.
// Threads: every method is safe from any thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "server/backup/backup_folder.h"
#include "server/backup/backup_maker.h"
#include "server/backup/backup_schedule.h"
#include "server/db_pool.h"
#include "server/metrics/prometheus_text.h"

namespace kehu::server {

class BackupService {
 public:
  BackupService(DbPool& db, const Clock& clock, Random& random) : db_(db), clock_(clock), random_(random) {}
  ~BackupService();
  BackupService(const BackupService&) = delete;
  BackupService& operator=(const BackupService&) = delete;

  // The folder backups go to now (settings backup.folder, else `backups` beside the database).
  BackupFolder folder() { return plan().folder; }

  // The scheduled job: makes the backup that is due, if any, then applies the retention.
  Status tick();
  // Starts a backup on the service's thread; ErrorCode::conflict when one is running.
  Status start(BackupKind kind, int64_t user_id, const std::string& ip);
  // Waits for the backup start() began (tests, shutdown).
  void wait();
  // Restores backup `name` (see above); ErrorCode::conflict when a backup or restore is running.
  Result<BackupMarks> restore(const std::string& name, int64_t user_id, const std::string& ip);
  // One piece of a backup file an admin uploads (POST /admin/backups/upload), pieces sent in order:
  // `offset` is where the upload stands (0 starts a new one in place of any unfinished one), `size` the
  // whole file's. The file is staged in the folder; when its last byte arrives it is checked and becomes
  // a full backup (adopt_backup_file), audited, and is restored like any other. Returns the bytes
  // received so far, and the backup once the file is complete.
  struct Upload {
    int64_t received = 0;
    std::optional<BackupManifest> backup;
  };
  Result<Upload> receive_upload(int64_t offset, int64_t size, const std::string& file_name, std::string_view piece,
                                int64_t user_id, const std::string& ip);
  // Appends an audit row for a download of `name`.
  Status audit_download(const std::string& name, int64_t user_id, const std::string& ip);

  // {running: null | {kind, started_at, written, total}, last_success: {name, at} | null,
  //  last_failure: {at, message: {zh, en}} | null, successes, failures}
  nlohmann::json status();
  // Its figures for GET /metrics.
  void write_metrics(PrometheusText& out);

 private:
  // What the settings say backups are made with now, read once per operation so that its parts agree.
  struct Plan {
    BackupSchedule schedule;
    std::string zone = "Asia/Shanghai";  // the company time zone
    BackupFolder folder{""};
    std::string passphrase;  // "": not encrypted (backup_cipher.h)
  };
  Plan plan();
  Result<BackupManifest> run(const Plan& plan, BackupKind kind, int64_t user_id, const std::string& ip, const std::string& note);
  Status audit(const std::string& action, const nlohmann::json& changes, int64_t user_id, const std::string& ip);
  void finished(const Result<BackupManifest>& made);
  bool try_begin();  // false when a backup or restore runs
  void end();
  struct Ending {  // end() when a scope that began leaves
    BackupService& s;
    ~Ending() { s.end(); }
  };

  DbPool& db_;
  const Clock& clock_;
  Random& random_;
  std::thread worker_;  // the last start()'s
  std::mutex mu_;      // guards what follows
  std::condition_variable idle_;
  bool busy_ = false;  // a backup or restore runs
  std::optional<std::pair<std::string, int64_t>> running_;  // kind, started_ms
  std::string partial_;                                      // the file being written, for progress
  int64_t expected_bytes_ = 0;
  std::optional<BackupManifest> last_success_;
  std::optional<std::pair<int64_t, Text>> last_failure_;
  int64_t successes_ = 0, failures_ = 0;
  std::mutex upload_mu_;  // guards the upload on its way
  struct Staged {
    std::string path, file_name;
    int64_t size = 0, received = 0;
  };
  std::optional<Staged> upload_;
};

}  // namespace kehu::server
