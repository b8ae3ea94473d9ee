// contacts_routes.cpp — /api/v1/contacts (联系人): the shared record routes over contacts_def().
// A customer's contacts are GET /api/v1/contacts?customer_id=ID.
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_contact_routes(App& app) { register_record_routes(app, contacts_def()); }

}  // namespace kehu::server
