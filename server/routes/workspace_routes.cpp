// workspace_routes.cpp — announcements (公告) and each user's saved list views: the shared record routes
// (record_routes.h). A view is always its creator's (core/users/record_scope.h: own for every role).
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_workspace_routes(App& app) {
  register_record_routes(app, announcements_def());
  register_record_routes(app, views_def());
}

}  // namespace kehu::server
