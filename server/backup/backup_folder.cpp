#include "server/backup/backup_folder.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "server/backup/durable_files.h"

namespace kehu::server {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

Error folder_error(const std::string& zh, const std::string& en) { return Error::make(ErrorCode::storage, {zh, en}); }

// Why a folder could not be made, in Chinese (the system's words are English): the usual causes by name.
std::string reason_zh(const std::error_code& ec) {
  switch (ec.value()) {
    case ENOENT: return "路径不存在或不允许在此创建";
    case EACCES:
    case EPERM: return "没有权限";
    case EROFS: return "只读的文件系统";
    case ENOTDIR:
    case EEXIST: return "路径中有一项是文件而不是文件夹";
    case ENOSPC: return "磁盘已满";
    default: return ec ? ec.message() : "路径中有一项是文件而不是文件夹";
  }
}

json marks_json(const BackupMarks& m) {
  return {{"rev", m.rev}, {"audit_id", m.audit_id}, {"ticket_note_id", m.ticket_note_id}, {"schema_version", m.schema_version}};
}

bool read_marks(const json& j, BackupMarks& m) {
  if (!j.is_object()) return false;
  for (const char* key : {"rev", "audit_id", "ticket_note_id", "schema_version"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
  }
  m.rev = j["rev"].get<int64_t>(), m.audit_id = j["audit_id"].get<int64_t>();
  m.ticket_note_id = j["ticket_note_id"].get<int64_t>(), m.schema_version = j["schema_version"].get<int>();
  return true;
}

}  // namespace

std::string backup_folder_path(const std::string& db_path, const std::string& configured) {
  if (!configured.empty()) return configured;
  fs::path parent = fs::path(db_path).parent_path();
  return (parent.empty() ? fs::path("backups") : parent / "backups").string();
}

bool is_backup_name(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

json BackupManifest::to_json() const {
  json j = {{"name", name},   {"kind", kind},     {"created_at", created_at},     {"created_ms", created_ms},
            {"size", size},   {"sha256", sha256}, {"marks", marks_json(marks)}, {"database_id", database_id}};
  if (!full()) j["base"] = base, j["base_marks"] = marks_json(base_marks);
  if (!note.empty()) j["note"] = note;
  if (encrypted) j["encrypted"] = true;
  if (!uploaded_from.empty()) j["uploaded_from"] = uploaded_from;
  if (records >= 0) j["records"] = records;
  return j;
}

Result<BackupManifest> BackupManifest::from_json(const json& j) {
  BackupManifest m;
  auto text = [&](const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  auto integer = [&](const char* key, int64_t& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    out = it->get<int64_t>();
    return true;
  };
  bool ok = j.is_object() && text("name", m.name) && text("kind", m.kind) && text("created_at", m.created_at) &&
            integer("created_ms", m.created_ms) && integer("size", m.size) && text("sha256", m.sha256) &&
            integer("database_id", m.database_id) && j.contains("marks") && read_marks(j["marks"], m.marks) &&
            (m.kind == "full" || m.kind == "incremental") && is_backup_name(m.name);
  if (ok && m.kind == "incremental")
    ok = text("base", m.base) && j.contains("base_marks") && read_marks(j["base_marks"], m.base_marks);
  if (!ok) return folder_error("备份清单不完整或已损坏", "the backup manifest is incomplete or damaged");
  if (j.contains("note") && j["note"].is_string()) m.note = j["note"].get<std::string>();
  m.encrypted = j.value("encrypted", false) == true;
  text("uploaded_from", m.uploaded_from);
  integer("records", m.records);
  return m;
}

Status BackupFolder::ensure_exists() const {
  std::error_code ec;
  fs::create_directories(path_, ec);
  if (ec || !fs::is_directory(path_))
    return folder_error("无法创建备份文件夹 " + path_ + "：" + reason_zh(ec),
                        "cannot create the backup folder " + path_ + ": " + (ec ? ec.message() : "a part of the path is a file"));
  if (::access(path_.c_str(), W_OK) != 0)
    return folder_error("备份文件夹 " + path_ + " 不可写", "the backup folder " + path_ + " is not writable");
  return ok_status();
}

Result<std::vector<BackupManifest>> BackupFolder::list() const {
  std::vector<BackupManifest> out;
  std::error_code ec;
  if (!fs::exists(path_, ec)) return out;
  for (const auto& entry : fs::directory_iterator(path_, ec)) {
    if (entry.path().extension() != ".json") continue;
    auto found = find(entry.path().stem().string());
    if (found.ok()) out.push_back(std::move(*found));
  }
  if (ec) return folder_error("无法读取备份文件夹 " + path_, "cannot read the backup folder " + path_ + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const BackupManifest& a, const BackupManifest& b) {
    return a.created_ms != b.created_ms ? a.created_ms < b.created_ms : a.name < b.name;
  });
  return out;
}

Result<BackupManifest> BackupFolder::find(const std::string& name) const {
  if (!is_backup_name(name)) return Error::make(ErrorCode::bad_request, {"备份名称无效：" + name, "not a backup name: " + name});
  std::ifstream in(manifest_of(name));
  if (!in) return Error::make(ErrorCode::not_found, {"没有名为 " + name + " 的备份", "there is no backup named " + name});
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  auto manifest = BackupManifest::from_json(j);
  if (!manifest.ok() || manifest->name != name)
    return folder_error("备份 " + name + " 的清单已损坏", "the manifest of backup " + name + " is damaged");
  return manifest;
}

Result<std::vector<BackupManifest>> BackupFolder::chain_to(const std::string& name) const {
  std::vector<BackupManifest> chain;
  auto at = find(name);
  if (!at.ok()) return at.take_error();
  chain.push_back(std::move(*at));
  while (!chain.back().full()) {
    if (chain.size() > 100'000) return folder_error("备份链过长", "the backup chain is too long");
    const BackupManifest& later = chain.back();
    auto before = find(later.base);
    if (!before.ok())
      return folder_error("增量备份 " + later.name + " 所接的备份 " + later.base + " 不存在，无法恢复到这一点",
                          "backup " + later.base + ", which incremental " + later.name + " follows, is missing: this point cannot be restored");
    if (!(before->marks == later.base_marks) || before->database_id != later.database_id)
      return folder_error("增量备份 " + later.name + " 与 " + later.base + " 不衔接",
                          "incremental " + later.name + " does not follow " + later.base);
    chain.push_back(std::move(*before));
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

Status BackupFolder::verify(const BackupManifest& manifest) const {
  const std::string file = file_of(manifest);
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) return folder_error("备份文件 " + manifest.name + " 不存在或无法读取", "the file of backup " + manifest.name + " is missing or unreadable");
  auto sum = file_sha256(file);
  if (!sum.ok()) return sum.take_error();
  if (static_cast<int64_t>(size) != manifest.size || *sum != manifest.sha256)
    return folder_error("备份 " + manifest.name + " 已损坏或被改动（校验和不符），不能使用",
                        "backup " + manifest.name + " is damaged or was altered (its checksum differs); it cannot be used");
  return ok_status();
}

Status BackupFolder::write_manifest(const BackupManifest& manifest) const {
  return write_file_synced(manifest_of(manifest.name), manifest.to_json().dump(2) + "\n");
}

Status BackupFolder::remove(const std::string& name) const {
  std::error_code ec;
  fs::remove(manifest_of(name), ec);
  if (ec) return folder_error("无法删除备份 " + name, "cannot remove backup " + name + ": " + ec.message());
  fs::remove(file_of(name), ec);
  if (!ec) fs::remove(file_of(name) + ".enc", ec);
  if (ec) return folder_error("无法删除备份 " + name, "cannot remove backup " + name + ": " + ec.message());
  return sync_folder(path_);
}

std::string BackupFolder::new_name(int64_t now_ms, const std::string& kind) const {
  std::string stamp = format_rfc3339_ms(now_ms);  // 2026-11-25T02:00:00.000Z
  std::string compact;
  for (char c : stamp.substr(0, 19))
    if (c != '-' && c != ':') compact += c == 'T' ? '-' : c;
  std::string base = "kehu-" + compact + "-" + kind;
  std::string name = base;
  std::error_code ec;
  for (int n = 2; fs::exists(manifest_of(name), ec) || fs::exists(file_of(name), ec) ||
                      fs::exists(file_of(name) + ".enc", ec); ++n) name = base + "-" + std::to_string(n);
  return name;
}

}  // namespace kehu::server
