// Reminder answers are kept in the cache: a new ReminderMemory over the same cache (a reload) hides what
// was dismissed (for that remind_at only) and what was snoozed (until its time).
#include <doctest/doctest.h>

#include "core/db/sqlite_database.h"
#include "web/cache/reminder_memory.h"

using namespace kehu;
using namespace kehu::client;

TEST_CASE("reminder answers survive a new memory over the same cache") {
  auto db = SqliteDatabase::open(":memory:", SqliteOptions{});
  REQUIRE(db.ok());
  auto cache = LocalCache::attach(std::move(db.value()));
  REQUIRE(cache.ok());
  LocalCache& c = **cache;
  const int64_t now = 1'800'000'000'000;
  {
    ReminderMemory m;
    m.load(c);
    CHECK_FALSE(m.hidden(7, "2026-11-23T01:00:00.000Z", now));
    REQUIRE(m.dismiss(c, 7, "2026-11-23T01:00:00.000Z").ok());
    REQUIRE(m.snooze(c, 8, now + 600'000).ok());
  }
  ReminderMemory again;
  again.load(c);
  CHECK(again.hidden(7, "2026-11-23T01:00:00.000Z", now));
  CHECK_FALSE(again.hidden(7, "2026-11-24T01:00:00.000Z", now));  // moved to another time: asks again
  CHECK(again.hidden(8, "2026-11-23T01:00:00.000Z", now + 599'999));
  CHECK_FALSE(again.hidden(8, "2026-11-23T01:00:00.000Z", now + 600'000));  // the ten minutes are over
  CHECK_FALSE(again.hidden(9, "2026-11-23T01:00:00.000Z", now));
}
