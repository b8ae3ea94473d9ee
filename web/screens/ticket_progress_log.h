// ticket_progress_log.h — a ticket's progress log (处理进度) on its page: every transition and note,
// oldest first, with who wrote it and when, and a box to add a note.
//
// The log is not part of the sync (GET /tickets/{id}/notes answers it), so it is read from the server
// (server_list.h) when the page opens and again after any change; offline it says so. A note goes through
// the outbox like every action, so one written offline is kept, shown as waiting, and sent once.
//
// Test ids: progress.title, progress.entry.{n} (n from 0, oldest first), progress.pending.{n}, progress.offline,
// progress.error, progress.input, progress.add.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/cache/local_cache.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class TicketProgressLog {
 public:
  // The log of `ticket_id`, emptied first when it was another ticket's.
  ServerList& log_of(int64_t ticket_id);
  void mark_stale() { log_.mark_stale(); }
  // Draws the log of the ticket last given to log_of; returns the text of a note the user added.
  std::optional<std::string> draw(Ui& ui, LocalCache& cache, bool online, bool may_add);
  // The note draw() returned is in the outbox: shown as waiting until the log holds it; the box empties.
  void note_queued(const std::string& text);

 private:
  int64_t ticket_id_ = 0;  // whose log `log_` is
  ServerList log_;
  std::string note_;                  // the note being written
  std::vector<std::string> pending_;  // notes added here that the log has not shown yet (offline, on their way)
};

}  // namespace kehu::client
