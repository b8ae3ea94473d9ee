// backup_routes.cpp — backups and restore for the admin (SPEC §5 Admin, §7), and the scheduled job.
//   GET  /api/v1/admin/backups                 {folder, folder_error, key_from_environment, items: [manifest...]
//                                              newest first, status}; folder_error: {zh, en} when the folder
//                                              cannot be read (items empty), else null; key_from_environment:
//                                              KEHU_BACKUP_KEY is set and encrypts backups whatever the key
//                                              in the settings
//   POST /api/v1/admin/backups                 {kind: full|incremental} → 202 {status}; progress in GET's status
//   GET  /api/v1/admin/backups/{name}          {backup, lost: {since, records_written, records_deleted}}:
//                                              what restoring it would take away, for the confirmation
//   GET  /api/v1/admin/backups/{name}/file     the backup's file (a SQLite database), audited
//   POST /api/v1/admin/backups/{name}/restore  {confirm: name} → {restored, rev, status}; writes get 503
//                                              during the swap; every client's next sync starts over
//   POST /api/v1/admin/backups/upload?offset=&size=&file=   a backup file brought from elsewhere, in
//                                              pieces of at most 1 MiB sent in order (raw body): → 200
//                                              {received, size}; after the last piece, checked and kept
//                                              as a full backup → 201 {received, size, backup}
// GET /admin/backups/{name}'s `lost` for an uploaded backup says it replaces everything:
// {replaces_all: true, records_now, records_then}; its revs are another database's.
// Only an admin reaches them; to anyone else they do not exist (404).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "core/backup/backup_tables.h"
#include "server/backup/backup_cipher.h"
#include "server/backup/backup_service.h"
#include "server/http/json_body.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

Result<BackupManifest> backup_named(App& app, const std::string& name) {
  if (!is_backup_name(name)) return nothing_here();
  return app.backups().folder().find(name);
}

}  // namespace

void register_backup_routes(App& app) {
  if (app.config().scheduled_backups) app.jobs().every_tick("backups", [&app] { return app.backups().tick(); });

  app.route("GET", "/api/v1/admin/backups", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    if (auto refused = refuse_unknown_params(ctx.req, {})) return *refused;
    BackupFolder folder = app.backups().folder();
    auto all = folder.list();
    nlohmann::json items = nlohmann::json::array(), folder_error = nullptr;
    if (all.ok()) {
      for (auto it = all->rbegin(); it != all->rend(); ++it) items.push_back(it->to_json());
    } else {  // the status and the plan are still shown, with why the list is not
      folder_error = {{"zh", all.error().message.zh}, {"en", all.error().message.en}};
    }
    return json_reply(200, {{"folder", folder.path()},
                            {"folder_error", std::move(folder_error)},
                            {"key_from_environment", !backup_passphrase("").empty()},
                            {"items", std::move(items)},
                            {"status", app.backups().status()}});
  });

  app.route("POST", "/api/v1/admin/backups", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    const nlohmann::json kind = body->value("kind", nlohmann::json("full"));
    if (kind != "full" && kind != "incremental") {
      Error e = Error::make(ErrorCode::validation, {"备份类型应为 full 或 incremental", "kind must be full or incremental"});
      e.fields["kind"] = {"应为 full 或 incremental", "must be full or incremental"};
      return e;
    }
    KEHU_TRY(app.backups().start(kind == "full" ? BackupKind::full : BackupKind::incremental, ctx.user->id, ctx.ip));
    return json_reply(202, {{"status", app.backups().status()}});
  });

  app.route("POST", "/api/v1/admin/backups/upload", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    if (auto refused = refuse_unknown_params(ctx.req, {"offset", "size", "file"})) return *refused;
    auto offset = int_param(ctx.req, "offset", 0, 0, int64_t{1} << 50);
    if (!offset.ok()) return offset.take_error();
    auto size = int_param(ctx.req, "size", -1, 1, int64_t{1} << 50);
    if (!size.ok()) return size.take_error();
    if (*size < 0) {
      Error e = Error::make(ErrorCode::bad_request, {"缺少文件大小 size", "the file's size is missing"});
      e.fields["size"] = {"必填", "required"};
      return e;
    }
    // Only the file's own name is kept (shown in the list), never a path of the admin's computer.
    std::string file = ctx.req.get_param_value("file");
    if (auto slash = file.find_last_of("/\\"); slash != std::string::npos) file.erase(0, slash + 1);
    file.erase(std::remove_if(file.begin(), file.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }), file.end());
    if (file.size() > 200) file.resize(200);
    auto upload = app.backups().receive_upload(*offset, *size, file, ctx.req.body, ctx.user->id, ctx.ip);
    if (!upload.ok()) return upload.take_error();
    nlohmann::json out = {{"received", upload->received}, {"size", *size}};
    if (!upload->backup) return json_reply(200, out);
    out["backup"] = upload->backup->to_json();
    return json_reply(201, out);
  });

  app.route("GET", R"(/api/v1/admin/backups/([^/]+))", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto backup = backup_named(app, ctx.req.matches[1]);
    if (!backup.ok()) return backup.take_error();
    auto lease = app.db().read();
    if (!backup->uploaded_from.empty()) {
      auto now = count_records(lease.db());
      if (!now.ok()) return now.take_error();
      return json_reply(200, {{"backup", backup->to_json()},
                              {"lost", {{"replaces_all", true}, {"records_now", *now}, {"records_then", backup->records}}}});
    }
    auto lost = changes_after(lease.db(), backup->marks);
    if (!lost.ok()) return lost.take_error();
    return json_reply(200, {{"backup", backup->to_json()},
                            {"lost", {{"since", backup->created_at}, {"records_written", lost->records_written},
                                      {"records_deleted", lost->records_deleted}}}});
  });

  app.route("GET", R"(/api/v1/admin/backups/([^/]+)/file)", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    auto backup = backup_named(app, ctx.req.matches[1]);
    if (!backup.ok()) return backup.take_error();
    const std::string path = app.backups().folder().file_of(*backup);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::make(ErrorCode::storage, {"备份文件无法读取", "the backup's file cannot be read"});
    auto keep = std::shared_ptr<const void>(nullptr, [fd](const void*) { ::close(fd); });
    KEHU_TRY(app.backups().audit_download(backup->name, ctx.user->id, ctx.ip));
    Reply reply;
    const std::string file_name = backup->name + (backup->encrypted ? ".db.enc" : ".db");
    reply.headers = {{"Content-Disposition", "attachment; filename=\"" + file_name + "\""}, {"X-Kehu-Sha256", backup->sha256}};
    reply.file = FileBody{fd, backup->size, backup->encrypted ? "application/octet-stream" : "application/vnd.sqlite3", keep};
    return reply;
  });

  app.route("POST", R"(/api/v1/admin/backups/([^/]+)/restore)", Access::signed_in, [&app](RequestContext& ctx) -> Result<Reply> {
    if (ctx.user->role != "admin") return nothing_here();
    const std::string name = ctx.req.matches[1];
    auto backup = backup_named(app, name);
    if (!backup.ok()) return backup.take_error();
    auto body = parse_json_object(ctx.req.get_header_value("Content-Type"), ctx.req.body);
    if (!body.ok()) return body.take_error();
    if (body->value("confirm", nlohmann::json()) != name) {
      Error e = Error::make(ErrorCode::validation, {"请确认要恢复的备份名称", "confirm the name of the backup to restore"});
      e.fields["confirm"] = {"应与备份名称 " + name + " 相同", "must be the backup's name, " + name};
      return e;
    }
    // No sync image is built from the file being replaced, nor one of it handed out after.
    auto paused = app.sync_images().pause();
    auto restored = app.backups().restore(name, ctx.user->id, ctx.ip);
    paused.unlock();
    if (!restored.ok()) return restored.take_error();
    auto status = app.backups().status();
    return json_reply(200, {{"restored", name}, {"rev", restored->rev}, {"status", std::move(status)}});
  });
}

}  // namespace kehu::server
