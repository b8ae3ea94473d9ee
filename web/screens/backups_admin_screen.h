// backups_admin_screen.h — 数据备份与恢复, the admin's backups (SPEC §7; server/backup/): every backup in
// the server's backup folder with its time, kind and size; back up now, with progress; download one; upload
// a backup file brought from elsewhere; and restore any of them after a confirmation that names what the
// restore takes away (the records written and deleted since, or, for an uploaded file, all of today's).
//
// Everything is the server's: the list is read (GET /admin/backups) when the screen opens, after each
// change, and every second while a backup, an upload or a restore is under way, so the progress moves.
// A restore is asked for only after the server said what it would lose (GET /admin/backups/{name}); the
// current data is kept as a backup first, so a restore can itself be undone. Offline the screen says the
// network is needed and changes nothing.
//
// An upload goes in pieces of 1 MiB (POST /admin/backups/upload), read one at a time from the chosen
// file, so a file of gigabytes never sits in the page's memory; when the last piece is in, the server has
// checked it and the restore confirmation for it opens.
//
// The plan the server backs up by (备份计划) is summed up above the list and changed in a dialog
// (backup_schedule_panel.h).
//
// Test ids: backups.title, backups.offline, backups.error, backups.notice, backups.folder,
// backups.folder_error, backups.last,
// backups.failure, backups.progress, backups.full, backups.incremental, backups.upload, backups.uploading,
// backups.none, backups.name.{name}, backups.kind.{name}, backups.time.{name}, backups.size.{name},
// backups.note.{name}, backups.download.{name}, backups.restore.{name}, backups_restore.question,
// backups_restore.confirm, backups_restore.cancel.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/backup_schedule_panel.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// What the screen asks of the client.
struct BackupsIntent {
  enum Kind {
    send,      // a change: `method` `path` with `body`; its answer goes to changed()
    preview,   // GET `path`: what restoring `name` would lose; its answer goes to previewed()
    download,  // the host saves GET `path` as `file_name`
    upload,    // the host asks the user for a file; its pieces go through upload_*()
    schedule,  // PUT `path` with `body` (the backup plan); its answer goes to schedule_saved()
  } kind = send;
  std::string method, path, file_name;
  nlohmann::json body;
};

class BackupsAdminScreen {
 public:
  BackupsAdminScreen() : list_(ServerList::Shape::document) {}
  ServerList& list() { return list_; }
  // The settings the backup plan is read from (GET /admin/settings).
  ServerList& schedule_settings() { return schedule_.settings(); }
  void reset();

  // Whether the list should be read again now: a backup, upload or restore is under way and the last
  // read is a second old. `now_ms`: the client's clock.
  bool poll_due(int64_t now_ms) const;
  void polled(int64_t now_ms) { last_poll_ms_ = now_ms; }

  void changed(Ui& ui, const HttpResponse& answer);
  void previewed(Ui& ui, const std::string& name, const HttpResponse& answer);
  void schedule_saved(Ui& ui, const HttpResponse& answer);

  // An upload: the file chosen, each piece's answer, or why it stopped (a piece that could not be read).
  void upload_started(const Platform::ChosenFile& file);
  // The answer to the last piece sent; returns the offset of the next piece to send, or nothing when the
  // upload is over (done: the confirmation for the new backup is asked for; failed: the error shows).
  std::optional<int64_t> upload_answered(Ui& ui, const HttpResponse& answer);
  void upload_failed(const std::string& message);
  const std::optional<Platform::ChosenFile>& uploading() const { return uploading_; }
  // The backup the last upload became, whose confirmation should be asked for (taken once).
  std::optional<std::string> take_uploaded();

  // `can_upload`: the host has a file dialog.
  std::optional<BackupsIntent> draw(Ui& ui, bool online, bool can_upload);

 private:
  void draw_status(Ui& ui);
  void draw_table(Ui& ui, bool can_send, std::optional<BackupsIntent>& intent);
  void draw_confirmation(Ui& ui, bool can_send, std::optional<BackupsIntent>& intent);

  ServerList list_;  // {folder, folder_error, key_from_environment, items, status}: a document
  BackupSchedulePanel schedule_;
  int64_t last_poll_ms_ = 0;
  bool sending_ = false;
  bool restoring_ = false;                    // a restore was asked for and has not answered
  bool awaiting_ = false;                     // a backup asked for here has not finished
  std::string awaiting_after_;                // the last success's name when it was asked for
  int64_t awaiting_failures_ = 0;             // and the failures counted then
  std::string confirm_name_;                  // the backup the restore dialog is about
  nlohmann::json preview_;                    // its GET /admin/backups/{name}, once answered
  std::optional<Platform::ChosenFile> uploading_;
  int64_t uploaded_bytes_ = 0;
  std::optional<std::string> uploaded_name_;  // the new backup, for its confirmation
  std::string error_, notice_;
};

}  // namespace kehu::client
