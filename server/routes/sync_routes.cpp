// sync_routes.cpp — GET /api/v1/sync?since=REV&limit=N (SPEC §6): the changes after `since`, ending on
// a rev boundary, as {changes, next, more, reset}; with count=1 also `remaining` (for a progress bar).
// GET /api/v1/sync/image: a first sync as one database file (core/sync/sync_image.h), search index
// included; the client continues with /sync from the image's rev (in the file's meta table, and in the
// X-Kehu-Rev header). Both are scoped to the user (core/users/record_scope.h). The image holds every row,
// so it is served only to roles that read every record; the others (sales, managers) get 404 and sync by
// pages. A user whose role or team changed after their `since` (users.scope_rev) is answered
// `reset: true` and starts again from 0.
#include <algorithm>

#include "core/store/write_txn.h"
#include "core/sync/sync_reader.h"
#include "core/users/role_rights.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

// "Start again from 0": no changes, reset set (SPEC §6).
SyncBatch reset_batch() {
  SyncBatch reset;
  reset.reset = reset.more = true;
  return reset;
}

}  // namespace

std::optional<Error> refuse_role_without_sync(const RequestContext& ctx) {
  if (role_may(ctx.user->role, "customers", Action::read)) return std::nullopt;
  return nothing_here();
}

Result<int64_t> int_param(const httplib::Request& req, const std::string& name, int64_t fallback, int64_t min, int64_t max) {
  if (!req.has_param(name)) return fallback;
  std::string v = req.get_param_value(name);
  bool ok = !v.empty() && v.size() <= 18;
  for (char c : v) ok = ok && c >= '0' && c <= '9';
  int64_t n = ok ? std::stoll(v) : -1;
  if (!ok || n < min || n > max) {
    std::string range = std::to_string(min) + "–" + std::to_string(max);
    Error e = Error::make(ErrorCode::bad_request, {"查询参数有误：" + name, "invalid query parameter: " + name});
    e.fields[name] = {"应为 " + range + " 之间的整数", "must be a whole number in " + range};
    return e;
  }
  return n;
}

std::optional<Error> refuse_unknown_params(const httplib::Request& req, const std::vector<std::string_view>& known) {
  for (const auto& [name, value] : req.params) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      Error e = Error::make(ErrorCode::bad_request, {"未知参数：" + name, "unknown parameter: " + name});
      e.fields[name] = {"未知参数", "unknown parameter"};
      return e;
    }
  }
  return std::nullopt;
}

void register_sync_routes(App& app) {
  app.route("GET", "/api/v1/sync/image", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (auto refused = refuse_role_without_sync(ctx)) return *refused;
    if (auto refused = refuse_unknown_params(ctx.req, {})) return *refused;
    if (!reaches_all_records(ctx.viewer()))
      return Error::make(ErrorCode::not_found, {"你的角色按页同步数据", "your role syncs page by page"});
    int64_t rev = 0;
    {
      // Let the read connection go before waiting for a build: eight first syncs at once must not hold
      // every reader while other requests wait.
      auto lease = app.db().read();
      auto current = committed_rev(lease.db());
      if (!current.ok()) return current.take_error();
      rev = *current;
    }
    auto image = app.sync_images().current(rev);
    if (!image.ok()) return image.take_error();
    const SyncImageFile& file = **image;
    Reply reply;
    reply.headers = {{"X-Kehu-Rev", std::to_string(file.rev())}};
    reply.file = FileBody{file.fd(), file.size(), "application/vnd.sqlite3", *image};
    return reply;
  });
  app.route("GET", "/api/v1/sync", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (auto refused = refuse_role_without_sync(ctx)) return *refused;
    if (auto refused = refuse_unknown_params(ctx.req, {"since", "limit", "count"})) return *refused;
    auto since = int_param(ctx.req, "since", 0, 0, INT64_MAX / 2);
    if (!since.ok()) return since.take_error();
    auto limit = int_param(ctx.req, "limit", 1000, 1, kMaxSyncLimit);
    if (!limit.ok()) return limit.take_error();
    auto count = int_param(ctx.req, "count", 0, 0, 1);  // count=1: also say how many changes remain
    if (!count.ok()) return count.take_error();
    if (*since > 0 && *since < ctx.user->scope_rev) return json_reply(200, sync_batch_json(reset_batch()));
    auto lease = app.db().read();
    auto batch = read_changes(lease.db(), ctx.viewer(), *since, static_cast<int>(*limit), *count == 1);
    if (!batch.ok()) return batch.take_error();
    // The user was read before the batch's snapshot: if their scope changed in between, this batch was cut
    // with the old reach from data that already holds the change, and its `next` would pass the reset.
    auto now = find_user(lease.db(), ctx.user->id);
    if (!now.ok()) return now.take_error();
    if (!now->has_value() || (*now)->scope_rev != ctx.user->scope_rev) return json_reply(200, sync_batch_json(reset_batch()));
    return json_reply(200, sync_batch_json(*batch));
  });
}

}  // namespace kehu::server
