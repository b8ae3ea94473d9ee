// customers_routes.cpp — /api/v1/customers (客户): the shared record routes over customers_def().
// The customer rules (code numbering, duplicate guard) live in core/entity/customer_rules.h.
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

void register_customer_routes(App& app) { register_record_routes(app, customers_def()); }

}  // namespace kehu::server
