// backup_schedule_panel.h — 备份计划, the part of the backups screen that says when the server backs up by
// itself and lets the admin change it (settings `backup`, core/settings/settings.h; server/backup/
// backup_schedule.h): off, a full backup each day at a time of the company's time zone, or that and an
// incremental each hour; the folder; how many daily, weekly and monthly backups are kept; the key that
// encrypts them.
//
// One line sums the plan up ("每天 02:00 完整备份，有改动时每小时增量备份；保留 7 天、4 周、12 个月；已加密");
// 修改备份计划… opens a dialog with the plan as a draft. The draft is checked with core's rules as the
// server will check it, and only the `backup` part is sent (PUT /admin/settings {backup}); the server's
// errors ("backup.folder": a folder it cannot write) show under the field they name, and the dialog stays
// open with what was typed. The key is write-only: the dialog says whether one is set, a typed key
// replaces it, 不再加密 removes it, and leaving it empty keeps it. When the server's KEHU_BACKUP_KEY is set
// it wins over the key here, and the dialog says so.
//
// Test ids: backups.schedule (the summary), backups.schedule.edit; in the dialog:
// backups_schedule.{off|daily|hourly} (radios), backups_schedule.time, backups_schedule.zone,
// backups_schedule.folder, backups_schedule.keep_{daily|weekly|monthly}, backups_schedule.key,
// backups_schedule.key_state, backups_schedule.key_remove, backups_schedule.key_env,
// backups_schedule.error.{field}, backups_schedule.error, backups_schedule.confirm, backups_schedule.cancel.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class BackupSchedulePanel {
 public:
  // The admin's settings document (GET /admin/settings), whose `backup` part is the plan.
  ServerList& settings() { return settings_; }
  void reset();
  // The answer to a save: the dialog closes with a notice (returned), or the errors show in it.
  std::optional<std::string> saved(Ui& ui, const HttpResponse& answer);

  // The summary and, while open, the dialog. `key_from_environment`: the server encrypts with
  // KEHU_BACKUP_KEY whatever the settings say. Returns the PUT body ({backup: {...}}) when saved.
  std::optional<nlohmann::json> draw(Ui& ui, bool can_send, bool key_from_environment);
  // Whether the dialog is open.
  bool editing() const { return editing_; }

 private:
  // The dialog starts from the plan as read.
  void open_draft();
  // The `backup` part as it will be sent; a count that is not a whole number goes as typed, so the check
  // names it.
  nlohmann::json draft_body() const;
  // Checks the draft with core's rules; errors_ by field. Returns whether it passes.
  bool check(const Ui& ui, const nlohmann::json& body);
  void draw_dialog(Ui& ui, bool can_send, bool key_from_environment, std::optional<nlohmann::json>& body);
  void draw_error(Ui& ui, const std::string& field);

  ServerList settings_{ServerList::Shape::document};
  bool editing_ = false, saved_ = false, sending_ = false;
  std::string mode_ = "hourly", time_, folder_, keep_daily_, keep_weekly_, keep_monthly_, key_;
  bool remove_key_ = false;
  std::map<std::string, std::string> errors_;  // by field ("time"), from the check or the server
  std::string error_;                          // an error no field shows
};

}  // namespace kehu::client
