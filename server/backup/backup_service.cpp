#include "server/backup/backup_service.h"

#include <cstdio>
#include <filesystem>

#include <sys/stat.h>

#include "core/settings/settings.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/write_txn.h"
#include "server/backup/backup_cipher.h"
#include "server/backup/backup_restore.h"
#include "server/backup/backup_schedule.h"

namespace kehu::server {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

Error already_running() {
  return Error::make(ErrorCode::conflict, {"已有备份或恢复正在进行，请等它完成", "a backup or restore is already running; wait for it to finish"});
}

const char* kind_name(BackupKind kind) { return kind == BackupKind::full ? "full" : "incremental"; }

}  // namespace

BackupService::~BackupService() { wait(); }

bool BackupService::try_begin() {
  std::lock_guard lock(mu_);
  if (busy_) return false;
  busy_ = true;
  return true;
}

void BackupService::end() {
  {
    std::lock_guard lock(mu_);
    busy_ = false;
  }
  idle_.notify_all();
}

BackupService::Plan BackupService::plan() {
  Plan out;
  json settings;
  {
    auto lease = db_.read();
    auto read = read_settings(lease.db());
    if (read.ok()) settings = std::move(*read);
    auto zone = company_time_zone(lease.db());
    if (zone.ok()) out.zone = *zone;
  }
  out.schedule = backup_schedule_of(settings);
  out.folder = BackupFolder(backup_folder_path(db_.path(), out.schedule.folder));
  out.passphrase = backup_passphrase(out.schedule.key);
  return out;
}

Status BackupService::audit(const std::string& action, const json& changes, int64_t user_id, const std::string& ip) {
  auto lease = db_.write();
  auto txn = WriteTxn::begin(lease.db(), clock_, Actor{user_id, ip});
  if (!txn.ok()) return txn.take_error();
  KEHU_TRY((*txn)->audit(action, "backups", 0, changes));
  return (*txn)->commit();
}

Result<BackupManifest> BackupService::run(const Plan& plan, BackupKind kind, int64_t user_id, const std::string& ip,
                                          const std::string& note) {
  const BackupFolder& target = plan.folder;
  {
    std::lock_guard lock(mu_);
    running_ = std::make_pair(std::string(kind_name(kind)), clock_.now_ms());
    partial_ = target.path();
    std::error_code ec;
    expected_bytes_ = static_cast<int64_t>(fs::file_size(db_.path(), ec));
  }
  auto made = make_backup(db_.path(), target, kind, clock_.now_ms(), random_, note, plan.passphrase);
  if (made.ok()) {
    auto audited = audit("backup", {{"name", {nullptr, made->name}}, {"kind", {nullptr, made->kind}}, {"size", {nullptr, made->size}}},
                         user_id, ip);
    if (!audited.ok()) made = audited.take_error();
  }
  if (made.ok()) {
    // Retention after each success; a backup that cannot be removed is reported, the new one stays.
    auto all = target.list();
    if (all.ok()) {
      for (const auto& name : retention_plan(*all, plan.schedule, plan.zone)) {
        if (auto removed = target.remove(name); !removed.ok())
          std::fprintf(stderr, "crm-server: backup retention: %s\n", removed.error().message.en.c_str());
      }
    }
  }
  finished(made);
  return made;
}

void BackupService::finished(const Result<BackupManifest>& made) {
  std::lock_guard lock(mu_);
  running_.reset();
  if (made.ok()) {
    last_success_ = *made;
    ++successes_;
  } else {
    last_failure_ = std::make_pair(clock_.now_ms(), made.error().message);
    ++failures_;
  }
}

Status BackupService::tick() {
  if (!try_begin()) return ok_status();  // one is running: the next tick looks again
  Ending ending{*this};
  const Plan now_plan = plan();
  if (now_plan.schedule.mode == "off") return ok_status();
  int64_t id = 0;
  BackupMarks now;
  {
    auto lease = db_.read();
    auto known = lease.db().query_int("SELECT value FROM meta WHERE key = 'backup_db_id'");
    if (!known.ok()) return known.take_error();
    id = known->value_or(0);
    auto marks = read_backup_marks(lease.db());
    if (!marks.ok()) return marks.take_error();
    now = *marks;
  }
  auto all = now_plan.folder.list();
  if (!all.ok()) {  // no backup can be made: a failure like any other, shown and retried
    finished(all.error());
    return all.take_error();
  }
  std::optional<int64_t> last_full, last;
  bool changed = true;
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (id == 0 || it->database_id != id) continue;
    // A backup's own audit row comes after its snapshot: only records or notes written since are a change.
    if (!last) last = it->created_ms, changed = it->marks.rev != now.rev || it->marks.ticket_note_id != now.ticket_note_id;
    if (it->full()) {
      last_full = it->created_ms;
      break;
    }
  }
  auto due = backup_due(now_plan.schedule, now_plan.zone, clock_.now_ms(), last_full, last, changed);
  if (due == BackupDue::none) return ok_status();
  auto made = run(now_plan, due == BackupDue::full ? BackupKind::full : BackupKind::incremental, 0, "", "");
  if (!made.ok()) return made.take_error();
  return ok_status();
}

Status BackupService::start(BackupKind kind, int64_t user_id, const std::string& ip) {
  if (!try_begin()) return already_running();
  if (worker_.joinable()) worker_.join();  // the last one's thread, finished
  {
    std::lock_guard lock(mu_);
    running_ = std::make_pair(std::string(kind_name(kind)), clock_.now_ms());  // visible before the thread starts
  }
  worker_ = std::thread([this, kind, user_id, ip] {
    auto made = run(plan(), kind, user_id, ip, "");
    if (!made.ok()) std::fprintf(stderr, "crm-server: backup failed: %s\n", made.error().message.en.c_str());
    end();
  });
  return ok_status();
}

void BackupService::wait() {
  {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return !busy_; });
  }
  if (worker_.joinable()) worker_.join();
}

Result<BackupMarks> BackupService::restore(const std::string& name, int64_t user_id, const std::string& ip) {
  if (!try_begin()) return already_running();
  Ending ending{*this};
  const Plan now_plan = plan();
  const BackupFolder& source = now_plan.folder;
  auto point = source.find(name);
  if (!point.ok()) return point.take_error();
  const std::string building = db_.path() + ".restoring";
  auto cleanup = [&] {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(building + suffix, ec);
  };
  auto marks = build_restore_point(source, name, building, random_, now_plan.passphrase);
  if (!marks.ok()) {
    cleanup();
    return marks.take_error();
  }
  auto before = run(now_plan, BackupKind::full, user_id, ip, "before restoring " + name);
  if (!before.ok()) {
    cleanup();
    return before.take_error();
  }
  // Writes go on while the full backup above is made; the last of them are caught by an incremental
  // taken once writes are held for the swap (no write can fall between it and the swap).
  std::string kept_as = before->name;
  const std::string& key = now_plan.passphrase;
  auto swapped = db_.replace_file(building, [&](Database& live) -> Status {
    auto last = make_backup(db_.path(), source, BackupKind::incremental, clock_.now_ms(), random_, "before restoring " + name, key);
    if (!last.ok()) return last.take_error();
    kept_as = last->name;
    return ready_restored_for(live, building);
  });
  if (!swapped.ok()) {
    cleanup();
    return swapped.take_error();
  }
  KEHU_TRY(audit("restore", {{"name", {nullptr, name}}, {"created_at", {nullptr, point->created_at}}, {"kept_as", {nullptr, kept_as}}},
                 user_id, ip));
  return marks;
}

Result<BackupService::Upload> BackupService::receive_upload(int64_t offset, int64_t size, const std::string& file_name,
                                                           std::string_view piece, int64_t user_id, const std::string& ip) {
  auto invalid = [](const char* field, const std::string& zh, const std::string& en) {
    Error e = Error::make(ErrorCode::validation, {zh, en});
    e.fields[field] = {zh, en};
    return e;
  };
  if (size <= 0) return invalid("size", "文件大小应大于 0", "size must be more than 0");
  if (offset < 0 || static_cast<int64_t>(piece.size()) > size - offset)
    return invalid("offset", "上传的内容超出了文件大小", "the piece goes past the end of the file");
  std::lock_guard lock(upload_mu_);
  if (offset == 0) {
    BackupFolder target = folder();
    KEHU_TRY(target.ensure_exists());
    std::error_code ec;
    if (upload_) fs::remove(upload_->path, ec);
    upload_.reset();
    // Room for the file, and for its decrypted or encrypted copy while it is checked.
    const auto space = fs::space(target.path(), ec);
    if (!ec && static_cast<uintmax_t>(size) * 2 > space.available)
      return Error::make(ErrorCode::storage, {"备份文件夹所在磁盘空间不足，无法接收这个文件", "there is not enough disk space in the backup folder for this file"});
    upload_ = Staged{target.path() + "/upload.uploading", file_name, size, 0};
  }
  if (!upload_ || upload_->size != size || upload_->received != offset) {
    const int64_t at = upload_ ? upload_->received : 0;
    return Error::make(ErrorCode::conflict, {"上传已中断（服务器已收到 " + std::to_string(at) + " 字节），请重新上传",
                                             "the upload was interrupted (the server has " + std::to_string(at) + " bytes); upload the file again"});
  }
  {
    FILE* f = std::fopen(upload_->path.c_str(), offset == 0 ? "wb" : "ab");
    bool written = f && std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
    if (f && std::fclose(f) != 0) written = false;
    if (!written) {
      upload_.reset();
      return Error::make(ErrorCode::storage, {"无法保存上传的文件", "cannot store the uploaded file"});
    }
    if (offset == 0) ::chmod(upload_->path.c_str(), 0600);  // a backup holds everything
  }
  upload_->received += static_cast<int64_t>(piece.size());
  Upload out{upload_->received, std::nullopt};
  if (upload_->received < upload_->size) return out;
  Staged whole = *upload_;
  upload_.reset();
  if (!try_begin()) {
    std::error_code ec;
    fs::remove(whole.path, ec);
    return already_running();
  }
  Ending ending{*this};
  const Plan now_plan = plan();
  auto adopted = adopt_backup_file(now_plan.folder, whole.path, clock_.now_ms(), random_, whole.file_name, now_plan.passphrase);
  if (!adopted.ok()) return adopted.take_error();
  KEHU_TRY(audit("upload", {{"name", {nullptr, adopted->name}}, {"uploaded_from", {nullptr, whole.file_name}}, {"size", {nullptr, whole.size}}},
                 user_id, ip));
  out.backup = std::move(*adopted);
  return out;
}

Status BackupService::audit_download(const std::string& name, int64_t user_id, const std::string& ip) {
  return audit("download", {{"name", {nullptr, name}}}, user_id, ip);
}

json BackupService::status() {
  std::lock_guard lock(mu_);
  json out = {{"running", nullptr}, {"last_success", nullptr}, {"last_failure", nullptr}, {"successes", successes_}, {"failures", failures_}};
  if (running_) {
    int64_t written = 0;
    std::error_code ec;
    if (!partial_.empty())
      for (const auto& entry : fs::directory_iterator(partial_, ec))
        if (entry.path().extension() == ".partial") written += static_cast<int64_t>(entry.file_size(ec));
    out["running"] = {{"kind", running_->first}, {"started_at", format_rfc3339_ms(running_->second)}, {"written", written},
                      {"total", running_->first == "full" ? json(expected_bytes_) : json(nullptr)}};
  }
  if (last_success_) out["last_success"] = {{"name", last_success_->name}, {"at", last_success_->created_at}};
  if (last_failure_)
    out["last_failure"] = {{"at", format_rfc3339_ms(last_failure_->first)},
                           {"message", {{"zh", last_failure_->second.zh}, {"en", last_failure_->second.en}}}};
  return out;
}

void BackupService::write_metrics(PrometheusText& out) {
  std::lock_guard lock(mu_);
  out.single("kehu_backup_successes_total", "Backups made since the server started.", "counter", static_cast<double>(successes_));
  out.single("kehu_backup_failures_total", "Backups that failed since the server started.", "counter", static_cast<double>(failures_));
  out.single("kehu_backup_last_success_timestamp_seconds", "When the last backup succeeded (0: none since the server started).", "gauge",
       last_success_ ? static_cast<double>(last_success_->created_ms) / 1000 : 0);
  out.single("kehu_backup_last_failed", "1 when the last backup attempt failed.", "gauge",
       last_failure_ && (!last_success_ || last_failure_->first > last_success_->created_ms) ? 1 : 0);
  out.single("kehu_backup_running", "1 while a backup or restore runs.", "gauge", running_ ? 1 : 0);
}

}  // namespace kehu::server
