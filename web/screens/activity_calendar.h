// activity_calendar.h — activities on a month or a week (日历), from the cache like every list: a day's
// activities in its cell (time and subject; done ones greyed, overdue ones red), the rest of a busy day
// behind "+N more", which opens that day's week. A click opens the activity; "+" on a day starts a new
// one at 09:00 that day (local time). Only the shown weeks are read, and only when they or the cache
// change, so a full month draws as fast as an empty one.
//
// Test ids: calendar.month, calendar.week, calendar.prev, calendar.next, calendar.today, calendar.title,
// calendar.day.{YYYY-MM-DD} (the day's number: opens its week), calendar.new.{YYYY-MM-DD},
// calendar.item.{id}, calendar.more.{YYYY-MM-DD}, calendar.truncated.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct CalendarIntent {
  enum Kind { open, create } kind = open;
  int64_t id = 0;                                      // open: the activity
  nlohmann::json preset = nlohmann::json::object();    // create: {start_at}
};

class ActivityCalendar {
 public:
  // At most this many activities are read for the shown weeks; more says so (calendar.truncated).
  static constexpr int64_t kMaxEntries = 5000;

  std::optional<CalendarIntent> draw(Ui& ui, LocalCache& cache, int64_t now_ms, bool may_create);
  void mark_stale() { stale_ = true; }

 private:
  enum class Mode { month, week };
  // The first and last local day shown (days since 1970-01-01).
  std::pair<int64_t, int64_t> shown_days() const;
  void requery(Ui& ui, LocalCache& cache, int64_t first_day, int64_t last_day);
  void draw_header(Ui& ui, int64_t today);
  std::optional<CalendarIntent> draw_month(Ui& ui, int64_t today, int64_t now_ms, bool may_create);
  std::optional<CalendarIntent> draw_week(Ui& ui, int64_t today, int64_t now_ms, bool may_create);
  // One activity as a clickable line; true when clicked.
  bool draw_entry(Ui& ui, const nlohmann::json& entry, int64_t now_ms, bool with_type);

  Mode mode_ = Mode::month;
  int64_t anchor_ = INT64_MIN;  // a local day inside the shown month or week (INT64_MIN: today)
  bool stale_ = true;
  std::pair<int64_t, int64_t> read_days_{0, -1};
  int read_offset_ = 0;         // the UTC offset the read was made for
  std::map<int64_t, std::vector<nlohmann::json>> by_day_;  // local day -> its activities, earliest first
  bool truncated_ = false;
  std::string error_;
};

}  // namespace kehu::client
