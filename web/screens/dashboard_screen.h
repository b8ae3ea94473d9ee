// dashboard_screen.h — 工作台, the first screen after sign-in: figures at a glance (customers, open
// opportunities and their amount, contracts awaiting approval, open tickets, this month's orders), the
// current announcements for the user's role, today's activities (and overdue ones), the user's customers
// not contacted for the churn list's days (settings churn_days; the longest forgotten five), and a reminder that
// pops up when an activity's reminder time comes. All from the cache (dashboard_figures.h). "知道了" closes
// the due reminders for good, "10 分钟后再提醒" for ten minutes; both are remembered on the device
// (reminder_memory.h), so a reload does not ask again.
//
// Test ids: dash.tile.{customers|opportunities|contracts|tickets|orders}, dash.announcement.{id},
// dash.today.{id}, dash.today.none, dash.forgotten, dash.forgotten.{customer id}, reminder.{id},
// reminder.dismiss, reminder.snooze.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/cache/dashboard_figures.h"
#include "web/cache/local_cache.h"
#include "web/cache/reminder_memory.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct DashboardIntent {
  const EntityDef* module = nullptr;  // open this module's list (a tile) ...
  int64_t id = 0;                     // ... or this record (an activity)
};

class DashboardScreen {
 public:
  // Reads the cache again when it changed (mark_stale) or a minute passed since (reminders come due).
  // Called every frame on every screen: reminders pop up wherever the user is.
  void refresh(Ui& ui, LocalCache& cache, int64_t user_id, const std::string& role, int64_t now_ms);
  bool refresh_due(int64_t now_ms) const { return stale_ || now_ms - read_at_ms_ >= 60'000; }
  void mark_stale() { stale_ = true; }
  // `menu`: the user's modules; a tile shows only for one of them.
  std::optional<DashboardIntent> draw(Ui& ui, const std::vector<const EntityDef*>& menu);
  // The reminder window, while one is due and not answered. `remembered`: an answer was written to the
  // cache, which the caller persists.
  struct ReminderAnswer {
    std::optional<DashboardIntent> open;
    bool remembered = false;
  };
  ReminderAnswer draw_reminders(Ui& ui, LocalCache& cache, int64_t now_ms);

 private:
  DashboardFigures figures_;
  std::string error_;
  bool stale_ = true;
  int64_t read_at_ms_ = 0;
  int64_t forgotten_days_ = 90;  // the settings' churn_days when last read
  ReminderMemory answered_;  // reminders the user closed or put off, kept on the device
};

}  // namespace kehu::client
