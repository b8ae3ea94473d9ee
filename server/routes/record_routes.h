// record_routes.h — the CRUD routes every record resource shares (SPEC §5 Records).
//
//   GET    /api/v1/{res}?q=&field=&sort=&limit=&cursor=   -> {items, next_cursor, total, total_exact}
//   GET    /api/v1/{res}/{id}                             -> the record
//   POST   /api/v1/{res}              (Idempotency-Key)   -> 201 + Location
//   PATCH  /api/v1/{res}/{id}         {rev, ...fields}    -> 200, or 409 conflict with "current"
//   DELETE /api/v1/{res}/{id}                             -> 204
// Role rights come from core/users/role_rights.h: a role that may not read a module gets 404 (never
// 403: existence does not leak); one that may read but not change it gets 403.
#pragma once

#include "core/entity/entity_def.h"
#include "server/app.h"

namespace kehu::server {

void register_record_routes(App& app, const EntityDef& entity);

}  // namespace kehu::server
