// reminder_memory.h — which due reminders the user has answered on this device, kept in the cache's
// client_meta so a reload or the next sign-in does not ask again: "知道了" hides a reminder for the
// remind_at it had (moved to a new time, it asks again), "稍后提醒" hides it until a given moment.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "web/cache/local_cache.h"

namespace kehu::client {

class ReminderMemory {
 public:
  // Reads what `cache` remembers (once per cache: another user's cache starts over).
  void load(LocalCache& cache);
  // Whether the reminder of activity `id`, due at `remind_at`, stays hidden at `now_ms`.
  bool hidden(int64_t id, const std::string& remind_at, int64_t now_ms) const;
  // Answers, written to the cache at once (the caller persists the cache).
  Status dismiss(LocalCache& cache, int64_t id, const std::string& remind_at);
  Status snooze(LocalCache& cache, int64_t id, int64_t until_ms);

 private:
  Status save(LocalCache& cache);

  const LocalCache* loaded_from_ = nullptr;
  std::map<int64_t, std::string> dismissed_;  // activity id -> the remind_at dismissed
  std::map<int64_t, int64_t> snoozed_;        // activity id -> hidden until (ms since the epoch)
};

}  // namespace kehu::client
