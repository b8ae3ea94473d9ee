// backup_schedule.h — when the server backs up by itself, and which backups it keeps (settings.h `backup`).
//
// Both are pure functions of the settings, the clock and the backups there are, so the tests walk them
// through days, weeks and months without waiting:
// - backup_due(): a full backup once a day at the settings' time in the company time zone (the first
//   one as soon as there is none since the last such time: a new server is backed up at once); with
//   "hourly", also an incremental when the last backup is an hour old and the database changed since.
// - retention_plan(): every backup of the newest keep_daily days that have one is kept (so a backup
//   made by hand or before a restore is never removed the same day), then the newest full backup of
//   each of keep_weekly weeks (Monday to Sunday) and keep_monthly months, and always the newest one.
//   The incrementals after the newest full backup are kept too. Older incrementals go: a week's or a month's restore point is its full backup alone; an incremental
//   whose base is gone goes too (it could not be restored).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/backup/backup_folder.h"

namespace kehu::server {

struct BackupSchedule {
  std::string mode = "hourly";  // off | daily | hourly
  int minute_of_day = 120;      // 02:00
  std::string folder;           // "" = `backups` beside the database
  int keep_daily = 7, keep_weekly = 4, keep_monthly = 12;
  std::string key;              // backup.key (write-only); KEHU_BACKUP_KEY overrides it (backup_cipher.h)
};

// The schedule of the settings document (read_settings()); defaults for what it lacks.
BackupSchedule backup_schedule_of(const nlohmann::json& settings);

enum class BackupDue { none, full, incremental };

// What to make at `now_ms`: `last_full_ms`/`last_ms` are the newest full / any backup of this database,
// `changed` whether its marks moved since the newest backup. `zone`: the company time zone.
BackupDue backup_due(const BackupSchedule& schedule, const std::string& zone, int64_t now_ms,
                     std::optional<int64_t> last_full_ms, std::optional<int64_t> last_ms, bool changed);

// The names of the backups to remove from `backups` (oldest first).
std::vector<std::string> retention_plan(const std::vector<BackupManifest>& backups, const BackupSchedule& schedule,
                                        const std::string& zone);

}  // namespace kehu::server
