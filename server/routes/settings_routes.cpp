// settings_routes.cpp — the administrator's settings (core/settings/settings.h):
//   GET /api/v1/admin/settings   (admin) the whole document; mail passwords shown only as password_set
//   PUT /api/v1/admin/settings   (admin) the sections given replace the stored ones -> the new document;
//                                422 names each bad part by its path; audited as "settings". A new
//                                backup.folder is made and must be writable by the server: a folder the
//                                backups could not go to is refused now, not at tonight's backup
//   GET /api/v1/settings         (every staff role) the public part: company, time zone, option lists,
//                                custom fields, menus, churn days
#include "core/settings/settings.h"
#include "core/users/role_rights.h"
#include "core/entity/validation.h"
#include "server/backup/backup_folder.h"
#include "server/http/json_body.h"
#include "server/routes/record_routes.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

bool is_staff(const std::string& role) { return role != "viewer"; }

// The settings' backup.folder ("" when not set).
std::string backup_folder_of(const nlohmann::json& settings) {
  const nlohmann::json backup = settings.value("backup", nlohmann::json());
  return backup.is_object() && backup.value("folder", nlohmann::json()).is_string() ? backup["folder"].get<std::string>() : "";
}

}  // namespace

void register_settings_routes(App& app) {
  app.route("GET", "/api/v1/settings", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (!is_staff(ctx.user->role)) return nothing_here();
    auto lease = app.db().read();
    auto settings = read_settings(lease.db());
    if (!settings.ok()) return settings.take_error();
    return json_reply(200, public_settings(*settings));
  });
  app.route("GET", "/api/v1/admin/settings", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto lease = app.db().read();
    auto settings = read_settings(lease.db());
    if (!settings.ok()) return settings.take_error();
    return json_reply(200, admin_settings(*settings));
  });
  app.route("PUT", "/api/v1/admin/settings", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    return write_reply(app, ctx, 200, [&](WriteTxn& txn) -> Result<nlohmann::json> {
      auto current = read_settings(txn.db());
      if (!current.ok()) return current.take_error();
      auto valid = validate_settings(*body, *current);
      if (!valid.ok()) return valid.take_error();
      const std::string folder = backup_folder_of(*valid), was = backup_folder_of(*current);
      if (!folder.empty() && folder != was) {
        Status made = BackupFolder(folder).ensure_exists();
        if (!made.ok()) return validation_error({{"backup.folder", made.error().message}});
      }
      KEHU_TRY(write_settings(txn, *valid));
      return admin_settings(*valid);
    });
  });
}

}  // namespace kehu::server
