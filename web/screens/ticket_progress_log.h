// ticket_progress_log.h — a ticket's progress log (处理进度) on its page: every transition and note,
// oldest first, with who wrote it and when, and a box to add a note.
//
// The log is not part of the sync (GET /tickets/{id}/notes answers it), so it is read from the server
// when the page opens and again after any change; offline it says so. A note goes through the outbox
// like every action, so one written offline is kept and sent once.
//
// Test ids: progress.title, progress.entry.{n} (n from 0, oldest first), progress.pending.{n}, progress.offline,
// progress.error, progress.input, progress.add.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class TicketProgressLog {
 public:
  // Whether the log of `ticket_id` should be asked for now (not loaded, not on its way).
  bool wants(int64_t ticket_id) const { return ticket_id > 0 && (ticket_id != ticket_id_ || stale_) && !loading_; }
  void loading(int64_t ticket_id);
  // The server's answer for `ticket_id` (a later ticket's answer replaces it).
  void loaded(Ui& ui, int64_t ticket_id, const HttpResponse& answer);
  void mark_stale() { stale_ = true; }
  // Draws the log of `ticket_id`; returns the text of a note the user added.
  std::optional<std::string> draw(Ui& ui, LocalCache& cache, int64_t ticket_id, bool online, bool may_add);

 private:
  int64_t ticket_id_ = 0;  // whose log `entries_` is
  bool stale_ = true;
  bool loading_ = false;
  nlohmann::json entries_ = nlohmann::json::array();
  std::string error_;
  std::string note_;  // the note being written
  std::vector<std::string> pending_;  // notes added here that the log has not shown yet (offline, on their way)
};

}  // namespace kehu::client
