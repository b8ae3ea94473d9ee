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

#include <functional>

#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"
#include "server/app.h"

namespace kehu::server {

void register_record_routes(App& app, const EntityDef& entity);

// Runs `write` in one write transaction for the signed-in user and answers `status` with what it
// returns; an error rolls everything back. Record create and every sub-resource route (claim,
// transitions, notes, members) use it, so each POST honours Idempotency-Key: the first answer is stored
// with the write, and the same key with the same request replays it (header Idempotency-Replayed) without
// writing again; the same key with a different request is a 422.
Result<Reply> write_reply(App& app, RequestContext& ctx, int status, const std::function<Result<nlohmann::json>(WriteTxn&)>& write);

// A sub-resource route on `entity` (POST /api/v1/{res}/{id}/transition, ...): 404 for a role that may
// not read the entity at all, else `handler` with the id from the path.
void register_record_action(App& app, const EntityDef& entity, const std::string& method, const std::string& suffix,
                            std::function<Result<Reply>(RequestContext&, int64_t)> handler);

}  // namespace kehu::server
