#include "server/backup/backup_schedule.h"

#include <algorithm>
#include <climits>
#include <set>

#include "core/clock.h"
#include "core/time_zone.h"

namespace kehu::server {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;

// The company's date of an instant (UTC's when the zone is unknown).
std::string date_of(const std::string& zone, int64_t ms) {
  if (auto d = local_date(zone, ms)) return *d;
  return format_rfc3339_ms(ms).substr(0, 10);
}

// Days since 1970-01-01 of "YYYY-MM-DD" (civil calendar).
int64_t day_number(const std::string& date) {
  int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

BackupSchedule backup_schedule_of(const nlohmann::json& settings) {
  BackupSchedule s;
  auto it = settings.find("backup");
  if (it == settings.end() || !it->is_object()) return s;
  const auto& b = *it;
  if (b.contains("schedule") && b["schedule"].is_string()) s.mode = b["schedule"].get<std::string>();
  if (b.contains("time") && b["time"].is_string() && b["time"].get<std::string>().size() == 5) {
    const std::string t = b["time"].get<std::string>();
    s.minute_of_day = std::atoi(t.substr(0, 2).c_str()) * 60 + std::atoi(t.substr(3).c_str());
  }
  if (b.contains("folder") && b["folder"].is_string()) s.folder = b["folder"].get<std::string>();
  if (b.contains("key") && b["key"].is_string()) s.key = b["key"].get<std::string>();
  auto count = [&](const char* key, int& out) {
    if (b.contains(key) && b[key].is_number_integer()) out = b[key].get<int>();
  };
  count("keep_daily", s.keep_daily), count("keep_weekly", s.keep_weekly), count("keep_monthly", s.keep_monthly);
  return s;
}

BackupDue backup_due(const BackupSchedule& schedule, const std::string& zone, int64_t now_ms, std::optional<int64_t> last_full_ms,
                     std::optional<int64_t> last_ms, bool changed) {
  if (schedule.mode != "daily" && schedule.mode != "hourly") return BackupDue::none;
  // The latest scheduled instant at or before now: today's time, or yesterday's.
  const std::string today = date_of(zone, now_ms);
  auto midnight = local_midnight_ms(zone, today);
  int64_t at = (midnight ? *midnight : now_ms - now_ms % kDayMs) + int64_t{schedule.minute_of_day} * 60'000;
  if (at > now_ms) at -= kDayMs;
  if (!last_full_ms || *last_full_ms < at) return BackupDue::full;
  if (schedule.mode == "hourly" && changed && (!last_ms || *last_ms <= now_ms - kHourMs)) return BackupDue::incremental;
  return BackupDue::none;
}

std::vector<std::string> retention_plan(const std::vector<BackupManifest>& backups, const BackupSchedule& schedule,
                                        const std::string& zone) {
  // The days kept whole: the newest keep_daily dates that have a full backup.
  std::set<std::string> days, weeks, months, kept;
  for (auto it = backups.rbegin(); it != backups.rend(); ++it) {
    if (!it->full()) continue;
    const std::string date = date_of(zone, it->created_ms);
    if (days.count(date) || static_cast<int>(days.size()) < schedule.keep_daily) days.insert(date);
  }
  // Full backups, newest first: every one of those days, the newest of each of keep_weekly weeks and
  // keep_monthly months, and the newest of all.
  bool newest = true;
  for (auto it = backups.rbegin(); it != backups.rend(); ++it) {
    if (!it->full()) continue;
    const std::string date = date_of(zone, it->created_ms);
    const std::string week = std::to_string((day_number(date) + 3) / 7);  // 1970-01-01 was a Thursday: weeks start on Monday
    const std::string month = date.substr(0, 7);
    bool keep = newest || days.count(date);
    if (!weeks.count(week) && static_cast<int>(weeks.size()) < schedule.keep_weekly) weeks.insert(week), keep = true;
    if (!months.count(month) && static_cast<int>(months.size()) < schedule.keep_monthly) months.insert(month), keep = true;
    if (keep) kept.insert(it->name);
    newest = false;
  }
  // An incremental is a restore point of the days kept whole, while its chain is kept (oldest first, so
  // each base is decided before what follows it).
  int64_t newest_full_ms = INT64_MIN;
  for (const auto& b : backups)
    if (b.full()) newest_full_ms = std::max(newest_full_ms, b.created_ms);
  std::vector<std::string> out;
  for (const auto& b : backups) {
    bool keep = kept.count(b.name) > 0;
    // The chain after the newest full backup is always whole: the next incremental follows it (one made
    // at 00:30 belongs to a day that has no full backup yet).
    if (!b.full())
      keep = kept.count(b.base) > 0 && (days.count(date_of(zone, b.created_ms)) > 0 || b.created_ms >= newest_full_ms);
    if (keep) kept.insert(b.name);
    else out.push_back(b.name);
  }
  return out;
}

}  // namespace kehu::server
