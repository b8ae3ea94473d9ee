// When the server backs up by itself and what it keeps (server/backup/backup_schedule.h), walked through
// days, weeks and months of a clock: the daily full at the settings' time in the company zone, hourly
// incrementals only when something changed, and the retention of 7 days, 4 weeks and 12 months.
#include <doctest/doctest.h>

#include <set>

#include "core/clock.h"
#include "core/time_zone.h"
#include "server/backup/backup_schedule.h"
#include "server/time_zone_db.h"

using namespace kehu;
using namespace kehu::server;

namespace {

int64_t at(const char* text) { return parse_rfc3339_ms(text); }

BackupManifest backup(const std::string& name, int64_t ms, const std::string& base = "") {
  BackupManifest m;
  m.name = name, m.created_ms = ms, m.kind = base.empty() ? "full" : "incremental", m.base = base;
  return m;
}

}  // namespace

TEST_CASE("the daily full backup is due at the settings' time in the company zone; hourly incrementals only after a change") {
  install_time_zones(&system_time_zones());  // as the server does
  BackupSchedule s;  // hourly, 02:00
  const std::string zone = "Asia/Shanghai";
  // 02:00 in Shanghai is 18:00 UTC the day before.
  CHECK(backup_due(s, zone, at("2026-11-24T17:59:00.000Z"), at("2026-11-23T18:00:05.000Z"), at("2026-11-24T17:00:00.000Z"), false) ==
        BackupDue::none);
  CHECK(backup_due(s, zone, at("2026-11-24T18:00:00.000Z"), at("2026-11-23T18:00:05.000Z"), at("2026-11-24T17:00:00.000Z"), false) ==
        BackupDue::full);
  CHECK(backup_due(s, zone, at("2026-11-25T09:00:00.000Z"), std::nullopt, std::nullopt, true) == BackupDue::full);  // none yet: at once
  // After today's full: an incremental an hour after the last backup, when something changed.
  const int64_t full = at("2026-11-24T18:00:10.000Z");
  CHECK(backup_due(s, zone, at("2026-11-24T18:30:00.000Z"), full, full, true) == BackupDue::none);
  CHECK(backup_due(s, zone, at("2026-11-24T19:00:10.000Z"), full, full, true) == BackupDue::incremental);
  CHECK(backup_due(s, zone, at("2026-11-24T19:00:10.000Z"), full, full, false) == BackupDue::none);
  s.mode = "daily";
  CHECK(backup_due(s, zone, at("2026-11-24T19:00:10.000Z"), full, full, true) == BackupDue::none);
  s.mode = "off";
  CHECK(backup_due(s, zone, at("2026-11-25T09:00:00.000Z"), std::nullopt, std::nullopt, true) == BackupDue::none);
}

TEST_CASE("retention keeps the newest full backup of 7 days, 4 weeks and 12 months, and the recent days' incrementals") {
  install_time_zones(&system_time_zones());  // as the server does
  BackupSchedule s;  // 7 daily, 4 weekly, 12 monthly
  // A full backup every day at 02:00 Shanghai for 400 days up to Wednesday 2026-11-25, two incrementals after each.
  std::vector<BackupManifest> all;
  const int64_t last = at("2026-11-24T18:00:00.000Z");
  for (int day = 399; day >= 0; --day) {
    const int64_t t = last - int64_t{day} * 86'400'000;
    const std::string name = "full-" + format_rfc3339_ms(t + 8 * 3600 * 1000).substr(0, 10);
    all.push_back(backup(name, t));
    all.push_back(backup(name + "-i1", t + 3'600'000, name));
    all.push_back(backup(name + "-i2", t + 7'200'000, name + "-i1"));
  }
  auto removed = retention_plan(all, s, "Asia/Shanghai");
  std::set<std::string> gone(removed.begin(), removed.end());
  std::set<std::string> kept;
  for (const auto& b : all)
    if (!gone.count(b.name)) kept.insert(b.name);
  // 7 days with their incrementals; Sundays of 4 weeks (the newest of each: this week's is today's);
  // the last day of 12 months (this month's is today's).
  std::set<std::string> want;
  for (const char* d : {"2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19"})
    want.insert(std::string("full-") + d), want.insert(std::string("full-") + d + "-i1"), want.insert(std::string("full-") + d + "-i2");
  for (const char* d : {"2026-11-15", "2026-11-08"}) want.insert(std::string("full-") + d);  // weeks 3 and 4 (1 and 2 are kept daily)
  for (const char* d : {"2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30",
                        "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31"})
    want.insert(std::string("full-") + d);
  CHECK(kept == want);

  SUBCASE("every backup of a kept day stays: two full backups of one day and the chains after each") {
    std::vector<BackupManifest> day = {backup("night", last), backup("night-i", last + 3'600'000, "night"),
                                       backup("by-hand", last + 4'000'000), backup("by-hand-i", last + 7'600'000, "by-hand")};
    BackupSchedule one_day;
    one_day.keep_daily = 1, one_day.keep_weekly = 0, one_day.keep_monthly = 0;
    CHECK(retention_plan(day, one_day, "Asia/Shanghai").empty());
    // After midnight, before the day's full backup: the chain after the newest full backup stays.
    day.push_back(backup("after-midnight-i", last + 79'200'000, "by-hand-i"));  // 00:00 + 2 h in Shanghai
    CHECK(retention_plan(day, one_day, "Asia/Shanghai").empty());
  }
  SUBCASE("the newest full backup is always kept, and an incremental whose full backup is gone goes too") {
    BackupSchedule tight;
    tight.keep_daily = 1, tight.keep_weekly = 0, tight.keep_monthly = 0;
    std::vector<BackupManifest> few = {backup("a", last - 86'400'000), backup("a-i", last - 80'000'000, "a"), backup("b", last),
                                       backup("orphan-i", last + 1000, "missing")};
    auto out = retention_plan(few, tight, "Asia/Shanghai");
    CHECK(out == std::vector<std::string>{"a", "a-i", "orphan-i"});
  }
}
