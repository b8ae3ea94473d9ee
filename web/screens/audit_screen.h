// audit_screen.h — 审计日志, the admin's read of the audit log: who did what to which record and when,
// with the fields it changed (old → new) and the address it came from; newest first, narrowed by action
// and module. Read from the server (GET /audit, server_list.h): the log is the server's and is never
// synced; offline the screen says so. Nothing here can change it (the server has no route that would).
//
// Test ids: audit.title, audit.offline, audit.error, audit.filter.action, audit.filter.entity, audit.count,
// audit.row.{id}.
#pragma once

#include <string>

#include "web/cache/local_cache.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class AuditScreen {
 public:
  static constexpr int kLimit = 200;  // the newest this many that match

  ServerList& list() { return list_; }
  // GET path for the current filters.
  std::string path() const;
  void draw(Ui& ui, LocalCache& cache, bool online);
  // Forgets the entries and the filters (another user signs in).
  void reset() {
    list_.clear();
    action_ = entity_ = -1;
  }

 private:
  ServerList list_;
  int action_ = -1;  // index into the actions (-1: all)
  int entity_ = -1;  // index into the modules (-1: all)
};

}  // namespace kehu::client
