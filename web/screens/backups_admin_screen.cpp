#include "web/screens/backups_admin_screen.h"

#include <cstdio>

#include <imgui.h>

#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

// "340.2 MB": sizes as people read them (1024-based, as file managers show them).
std::string size_text(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) v /= 1024, ++unit;
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", v, units[unit]);
  return text;
}

int64_t int_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// Why a backup was made, when not by the schedule or an admin's "back up now".
std::string note_text(const Ui& ui, const json& b) {
  const std::string note = row_text(b, "note"), from = row_text(b, "uploaded_from");
  if (!from.empty()) return ui.tr("上传的文件 ", "Uploaded file ") + from;
  const std::string before = "before restoring ";
  if (note.rfind(before, 0) == 0) {
    const std::string what = note.substr(before.size());
    return ui.tr("恢复 " + what + " 之前的数据", "The data before restoring " + what);
  }
  return note;
}

std::string kind_text(const Ui& ui, const json& b) {
  if (!row_text(b, "uploaded_from").empty()) return ui.tr("上传", "Uploaded");
  return row_text(b, "kind") == "full" ? ui.tr("完整", "Full") : ui.tr("增量", "Incremental");
}

}  // namespace

void BackupsAdminScreen::reset() {
  list_.clear();
  schedule_.reset();
  last_poll_ms_ = 0;
  sending_ = restoring_ = awaiting_ = false;
  awaiting_after_.clear();
  confirm_name_.clear();
  preview_ = nullptr;
  uploading_.reset();
  uploaded_bytes_ = 0;
  uploaded_name_.reset();
  error_.clear();
  notice_.clear();
}

bool BackupsAdminScreen::poll_due(int64_t now_ms) const {
  const json& doc = list_.document();
  const bool running = doc.is_object() && doc.contains("status") && !doc["status"].value("running", json()).is_null();
  return (running || restoring_ || uploading_ || awaiting_) && !list_.loading() && now_ms - last_poll_ms_ >= 1000;
}

void BackupsAdminScreen::changed(Ui& ui, const HttpResponse& answer) {
  const bool was_restore = restoring_;
  sending_ = restoring_ = false;
  list_.mark_stale();
  if (answer.status < 200 || answer.status >= 300) {
    error_ = server_reasons(ui, answer);
    notice_.clear();
    return;
  }
  error_.clear();
  const json body = json::parse(answer.body, nullptr, false);
  if (was_restore && body.is_object()) {
    notice_ = ui.tr("已恢复到备份 " + row_text(body, "restored") + "；恢复前的数据已另存为备份，各设备将重新同步",
                    "Restored backup " + row_text(body, "restored") +
                        "; the data as it was is kept as a backup, and every device syncs again");
  } else {
    notice_ = ui.tr("备份已开始", "The backup has started");
    const json& doc = list_.document();
    const json last = doc.is_object() ? doc.value("status", json::object()).value("last_success", json()) : json();
    awaiting_after_ = last.is_object() ? row_text(last, "name") : "";
    awaiting_failures_ = doc.is_object() ? int_of(doc.value("status", json::object()), "failures") : 0;
    awaiting_ = true;
  }
}

void BackupsAdminScreen::previewed(Ui& ui, const std::string& name, const HttpResponse& answer) {
  if (name != confirm_name_) return;  // another backup's, asked for since
  const json body = json::parse(answer.body, nullptr, false);
  if (answer.status != 200 || !body.is_object() || !body.value("lost", json()).is_object()) {
    error_ = server_reasons(ui, answer);
    confirm_name_.clear();
    return;
  }
  preview_ = body;
}

void BackupsAdminScreen::schedule_saved(Ui& ui, const HttpResponse& answer) {
  if (auto notice = schedule_.saved(ui, answer)) {
    notice_ = *notice;
    error_.clear();
    list_.mark_stale();  // the folder may have changed
  }
}

void BackupsAdminScreen::upload_started(const Platform::ChosenFile& file) {
  uploading_ = file;
  uploaded_bytes_ = 0;
  error_.clear();
  notice_.clear();
}

std::optional<int64_t> BackupsAdminScreen::upload_answered(Ui& ui, const HttpResponse& answer) {
  if (!uploading_) return std::nullopt;
  const json body = json::parse(answer.body, nullptr, false);
  if (answer.status == 200 && body.is_object()) {
    uploaded_bytes_ = int_of(body, "received");
    if (uploaded_bytes_ < uploading_->size) return uploaded_bytes_;
  }
  uploading_.reset();
  list_.mark_stale();
  if (answer.status == 201 && body.is_object() && body.value("backup", json()).is_object()) {
    const std::string name = row_text(body["backup"], "name");
    notice_ = ui.tr("文件已上传并检查无误，保存为备份 " + name, "The file is uploaded and checked, kept as backup " + name);
    uploaded_name_ = name;
    return std::nullopt;
  }
  error_ = ui.tr("上传未完成：", "Not uploaded: ") + server_reasons(ui, answer);
  return std::nullopt;
}

void BackupsAdminScreen::upload_failed(const std::string& message) {
  uploading_.reset();
  error_ = message;
}

std::optional<std::string> BackupsAdminScreen::take_uploaded() {
  auto name = std::move(uploaded_name_);
  uploaded_name_.reset();
  if (name) {
    confirm_name_ = *name;
    preview_ = nullptr;
  }
  return name;
}

std::optional<BackupsIntent> BackupsAdminScreen::draw(Ui& ui, bool online, bool can_upload) {
  std::optional<BackupsIntent> intent;
  draw_server_page_head(ui,
                        {"backups",
                         {"数据备份与恢复", "Backups and restore"},
                         {"备份与恢复需要联网；恢复网络后自动显示", "Backups need the network; the list shows once you are online"}},
                        online, !error_.empty() ? error_ : list_.error(), notice_);
  const bool busy = sending_ || restoring_ || uploading_.has_value();
  const bool can_send = online && !busy;
  draw_status(ui);
  const json& doc = list_.document();
  if (auto body = schedule_.draw(ui, online, doc.is_object() && doc.value("key_from_environment", false) == true))
    intent = BackupsIntent{BackupsIntent::schedule, "PUT", "/api/v1/admin/settings", "", std::move(*body)};
  if (schedule_.editing()) notice_.clear();  // what was done before is old news once the plan is being changed

  // Back up now, or bring a backup file from elsewhere.
  ImGui::Spacing();
  ImGui::BeginDisabled(!can_send);
  for (const char* kind : {"full", "incremental"}) {
    const bool full = std::string(kind) == "full";
    if (!full) ImGui::SameLine();
    if (ui.button(std::string("backups.") + kind, full ? ui.tr("立即完整备份", "Full backup now") : ui.tr("立即增量备份", "Incremental backup now")) &&
        can_send) {
      intent = BackupsIntent{BackupsIntent::send, "POST", "/api/v1/admin/backups", "", {{"kind", kind}}};
      sending_ = true;
      error_.clear();
      notice_.clear();
    }
  }
  if (can_upload) {
    ImGui::SameLine();
    if (ui.button("backups.upload", ui.tr("上传备份文件…", "Upload a backup file…")) && can_send) {
      intent = BackupsIntent{BackupsIntent::upload, "", "", "", nullptr};
      error_.clear();
      notice_.clear();
    }
  }
  ImGui::EndDisabled();
  if (uploading_) {
    const float done = uploading_->size > 0 ? static_cast<float>(uploaded_bytes_) / static_cast<float>(uploading_->size) : 0.0f;
    ui.progress("backups.uploading", done,
                ui.tr("正在上传 ", "Uploading ") + uploading_->name + "  " + size_text(uploaded_bytes_) + " / " + size_text(uploading_->size));
  }
  ui.text_colored("backups.help",
                  ui.tr("上传的文件须是客户 CRM 的完整备份（.db 或加密的 .db.enc）；上传后先检查，再由你确认是否恢复。",
                        "An uploaded file must be a Kehu full backup (.db, or an encrypted .db.enc); it is checked first, "
                        "and restored only once you confirm."),
                  kGrey);

  ImGui::Spacing();
  ImGui::Separator();
  draw_table(ui, can_send, intent);
  draw_confirmation(ui, online && !restoring_, intent);
  return intent;
}

void BackupsAdminScreen::draw_status(Ui& ui) {
  const json& doc = list_.document();
  if (!doc.is_object()) return;
  if (awaiting_) {  // the backup asked for: done once the status names a newer success, or a failure
    const json st = doc.value("status", json::object());
    const json last = st.value("last_success", json());
    const std::string newest = last.is_object() ? row_text(last, "name") : "";
    if (st.value("running", json()).is_null() && newest != awaiting_after_) {
      awaiting_ = false;
      notice_ = ui.tr("备份完成：", "Backup done: ") + newest;
    } else if (st.value("running", json()).is_null() && int_of(st, "failures") > awaiting_failures_) {
      awaiting_ = false;
      notice_.clear();  // the failure shows below, with its reason
    }
  }
  ui.text("backups.folder", ui.tr("备份文件夹：", "Backup folder: ") + row_text(doc, "folder"));
  const json folder_error = doc.value("folder_error", json());
  if (folder_error.is_object())  // the list is empty because the folder cannot be read, not for want of backups
    ui.text_colored("backups.folder_error", row_text(folder_error, ui.lang() == Lang::zh ? "zh" : "en"), kRed);
  const json status = doc.value("status", json::object());
  const json last = status.value("last_success", json());
  if (last.is_object())
    ui.text("backups.last", ui.tr("最近一次成功备份：", "Last successful backup: ") + local_time_text(ui, row_text(last, "at")) + "  " +
                                row_text(last, "name"));
  const json failure = status.value("last_failure", json());
  if (failure.is_object()) {
    const json message = failure.value("message", json::object());
    ui.text_colored("backups.failure",
                    ui.tr("上次备份失败（", "The last backup failed (") + local_time_text(ui, row_text(failure, "at")) + ui.tr("）：", "): ") +
                        row_text(message, ui.lang() == Lang::zh ? "zh" : "en") + ui.tr("。下次计划时间会自动重试。", ". It is tried again at the next scheduled time."),
                    kRed);
  }
  const json running = status.value("running", json());
  if (restoring_) {
    ui.progress("backups.progress", static_cast<float>(-ImGui::GetTime()),
                ui.tr("正在恢复：先备份当前数据，再替换数据库…", "Restoring: keeping the current data as a backup, then swapping the database…"));
  } else if (running.is_object()) {
    const int64_t written = int_of(running, "written"), total = int_of(running, "total");
    const bool full = row_text(running, "kind") == "full";
    const std::string what = full ? ui.tr("正在完整备份 ", "Full backup running ") : ui.tr("正在增量备份", "Incremental backup running");
    if (full && total > 0)
      ui.progress("backups.progress", static_cast<float>(written) / static_cast<float>(total),
                  what + size_text(written) + " / " + size_text(total));
    else
      ui.progress("backups.progress", static_cast<float>(-ImGui::GetTime()), what);  // a negative fraction: ImGui's busy bar
  }
}

void BackupsAdminScreen::draw_table(Ui& ui, bool can_send, std::optional<BackupsIntent>& intent) {
  const json& doc = list_.document();
  const json items = doc.is_object() ? doc.value("items", json::array()) : json::array();
  if (items.empty() && doc.is_object() && doc.value("folder_error", json()).is_null()) ui.text("backups.none", ui.tr("还没有备份", "No backups yet"));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
  if (!ImGui::BeginTable("backups.table", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ui.table_headers({{{"备份时间", "Time"}, 1.5f},
                    {{"类型", "Kind"}, 0.8f},
                    {{"大小", "Size"}, 0.8f},
                    {{"名称", "Name"}, 2.4f},
                    {{"说明", "Note"}, 2.2f},
                    {{"操作", "Actions"}, 1.3f}});
  for (const auto& b : items) {
    const std::string name = row_text(b, "name");
    const bool encrypted = b.value("encrypted", false) == true;
    ImGui::PushID(name.c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::AlignTextToFramePadding();
    ui.text("backups.time." + name, local_time_text(ui, row_text(b, "created_at")));
    ImGui::TableSetColumnIndex(1);
    ui.text("backups.kind." + name, kind_text(ui, b));
    ImGui::TableSetColumnIndex(2);
    ui.text("backups.size." + name, size_text(int_of(b, "size")));
    ImGui::TableSetColumnIndex(3);
    ui.text("backups.name." + name, name + (encrypted ? ui.tr("（已加密）", " (encrypted)") : ""));
    ImGui::TableSetColumnIndex(4);
    ImGui::PushTextWrapPos(0);
    ui.text("backups.note." + name, note_text(ui, b));
    ImGui::PopTextWrapPos();
    ImGui::TableSetColumnIndex(5);
    if (ui.button("backups.download." + name, ui.tr("下载", "Download")))
      intent = BackupsIntent{BackupsIntent::download, "GET", "/api/v1/admin/backups/" + name + "/file",
                             name + (encrypted ? ".db.enc" : ".db"), nullptr};
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_send);
    if (ui.button("backups.restore." + name, ui.tr("恢复", "Restore")) && can_send) {
      confirm_name_ = name;
      preview_ = nullptr;
      intent = BackupsIntent{BackupsIntent::preview, "GET", "/api/v1/admin/backups/" + name, name, nullptr};
    }
    ImGui::EndDisabled();
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void BackupsAdminScreen::draw_confirmation(Ui& ui, bool can_send, std::optional<BackupsIntent>& intent) {
  if (confirm_name_.empty()) return;
  const std::string& name = confirm_name_;
  std::string question;
  if (!preview_.is_object()) {
    question = ui.tr("正在查看恢复 " + name + " 会丢失什么…", "Looking at what restoring " + name + " would lose…");
  } else {
    const json lost = preview_["lost"];
    const std::string kept = ui.tr("恢复前会先把当前数据完整备份一次，恢复时有几秒钟不能保存。",
                                   "The current data is first kept as a full backup; for a few seconds nothing can be saved.");
    if (lost.value("replaces_all", false)) {
      const std::string now = std::to_string(int_of(lost, "records_now")), then = std::to_string(int_of(lost, "records_then"));
      question = ui.tr("用上传的备份 " + name + " 替换全部数据？当前的 " + now + " 条记录将被它的 " + then + " 条记录整体取代。" + kept,
                       "Replace all data with the uploaded backup " + name + "? The current " + now + " records are replaced by its " +
                           then + " records. " + kept);
    } else {
      const std::string since = local_time_text(ui, row_text(lost, "since"));
      const int64_t written = int_of(lost, "records_written"), deleted = int_of(lost, "records_deleted");
      std::string loss;
      if (written == 0 && deleted == 0) {
        loss = ui.tr("此后没有记录被修改，不会丢失数据。", "No record changed since, so nothing is lost.");
      } else {
        std::string zh, en;
        if (written > 0) {
          zh = "此后新建或修改的 " + std::to_string(written) + " 条记录将回到当时的样子";
          en = "The " + std::to_string(written) + " records created or changed since go back to how they were";
        }
        if (deleted > 0) {
          zh += (zh.empty() ? "此后删除的 " : "，删除的 ") + std::to_string(deleted) + " 条记录将重新出现";
          en += (en.empty() ? "The " : ", and the ") + std::to_string(deleted) + " records deleted since come back";
        }
        loss = ui.tr(zh + "：这些改动会丢失。", en + ": those changes are lost. ");
      }
      question = ui.tr("恢复到 " + since + " 的备份 " + name + "？", "Restore backup " + name + " of " + since + "? ") + loss + kept;
    }
  }
  const DialogAnswer answer = confirm_dialog(ui, "backups_restore", question, ui.tr("恢复", "Restore"), can_send && preview_.is_object());
  if (answer == DialogAnswer::ok) {
    intent = BackupsIntent{BackupsIntent::send, "POST", "/api/v1/admin/backups/" + name + "/restore", "", {{"confirm", name}}};
    restoring_ = true;
    error_.clear();
    notice_.clear();
  }
  if (answer != DialogAnswer::none) {
    confirm_name_.clear();
    preview_ = nullptr;
  }
}

}  // namespace kehu::client
