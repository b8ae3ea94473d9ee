#include "web/screens/backup_schedule_panel.h"

#include <charconv>

#include <imgui.h>

#include "core/settings/settings.h"
#include "core/text/utf8.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

const char* const kKeeps[] = {"keep_daily", "keep_weekly", "keep_monthly"};

json plan_of(const json& settings) {
  const json plan = settings.is_object() ? settings.value("backup", json::object()) : json::object();
  return plan.is_object() ? plan : json::object();
}

std::string count_text(const json& plan, const char* key) {
  const json v = plan.value(key, json());
  return v.is_number_integer() ? std::to_string(v.get<int64_t>()) : std::string();
}

// "每天 02:00 完整备份，有改动时每小时增量备份；保留最近 7 天、4 周、12 个月的备份；已加密"
std::string summary_text(const Ui& ui, const json& plan, const std::string& zone, bool key_from_environment) {
  const std::string mode = row_text(plan, "schedule"), time = row_text(plan, "time");
  std::string out = ui.tr("备份计划：", "Backup plan: ");
  if (mode == "off") return out + ui.tr("不自动备份，只在手动时备份", "no automatic backups; only those made by hand");
  out += ui.tr("每天 " + time + "（" + zone + "）完整备份", "a full backup every day at " + time + " (" + zone + ")");
  if (mode == "hourly") out += ui.tr("，有改动时每小时增量备份", ", and an incremental every hour something changed");
  out += ui.tr("；保留最近 " + count_text(plan, "keep_daily") + " 天、" + count_text(plan, "keep_weekly") + " 周、" +
                   count_text(plan, "keep_monthly") + " 个月的备份",
               "; keeps the last " + count_text(plan, "keep_daily") + " days, " + count_text(plan, "keep_weekly") + " weeks and " +
                   count_text(plan, "keep_monthly") + " months");
  const bool encrypted = key_from_environment || plan.value("key_set", false) == true;
  return out + (encrypted ? ui.tr("；已加密", "; encrypted") : ui.tr("；未加密", "; not encrypted"));
}

}  // namespace

void BackupSchedulePanel::reset() {
  settings_.clear();
  editing_ = saved_ = sending_ = remove_key_ = false;
  key_.clear();
  errors_.clear();
  error_.clear();
}

void BackupSchedulePanel::open_draft() {
  const json plan = plan_of(settings_.document());
  mode_ = row_text(plan, "schedule");
  time_ = row_text(plan, "time");
  folder_ = row_text(plan, "folder");
  keep_daily_ = count_text(plan, "keep_daily");
  keep_weekly_ = count_text(plan, "keep_weekly");
  keep_monthly_ = count_text(plan, "keep_monthly");
  key_.clear();
  remove_key_ = false;
  errors_.clear();
  error_.clear();
  editing_ = true;
}

json BackupSchedulePanel::draft_body() const {
  json plan = {{"schedule", mode_}, {"time", std::string(trim(time_))}, {"folder", std::string(trim(folder_))}};
  const std::string* counts[] = {&keep_daily_, &keep_weekly_, &keep_monthly_};
  for (size_t i = 0; i < 3; ++i) {
    const std::string text(trim(*counts[i]));
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    plan[kKeeps[i]] = ec == std::errc() && end == text.data() + text.size() && !text.empty() ? json(n) : json(text);
  }
  if (remove_key_)
    plan["key"] = "";
  else if (!key_.empty())
    plan["key"] = key_;  // as typed: spaces may be part of a passphrase
  return {{"backup", plan}};
}

bool BackupSchedulePanel::check(const Ui& ui, const json& body) {
  errors_.clear();
  error_.clear();
  auto valid = validate_settings(body, settings_.document());
  if (valid.ok()) return true;
  for (const auto& [path, why] : valid.error().fields)
    errors_[path.rfind("backup.", 0) == 0 ? path.substr(7) : path] = ui.tr(why);
  if (errors_.empty()) error_ = ui.tr(valid.error().message);
  return false;
}

std::optional<std::string> BackupSchedulePanel::saved(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  if (answer.status == 200) {
    saved_ = editing_;  // the dialog closes at its next frame
    key_.clear();
    settings_.mark_stale();  // the plan as stored, key_set included
    return ui.tr("备份计划已保存", "The backup plan is saved");
  }
  errors_.clear();
  error_.clear();
  const json body = json::parse(answer.body, nullptr, false);
  const json fields = body.is_object() && body.value("error", json()).is_object() ? body["error"].value("fields", json()) : json();
  if (fields.is_object())
    for (const auto& [path, why] : fields.items())
      if (why.is_string()) errors_[path.rfind("backup.", 0) == 0 ? path.substr(7) : path] = why.get<std::string>();
  if (errors_.empty()) error_ = server_message(ui, answer);
  return std::nullopt;
}

std::optional<json> BackupSchedulePanel::draw(Ui& ui, bool can_send, bool key_from_environment) {
  std::optional<json> body;
  const json& doc = settings_.document();
  if (!doc.is_object()) {
    if (!settings_.error().empty())
      ui.text_colored("backups.schedule", ui.tr("无法读取备份计划：", "The backup plan could not be read: ") + settings_.error(), kRed);
    return body;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::PushTextWrapPos(0);  // a narrow window wraps the summary, and the button goes below it
  ui.text("backups.schedule", summary_text(ui, plan_of(doc), row_text(doc, "time_zone"), key_from_environment));
  ImGui::PopTextWrapPos();
  const std::string edit = ui.tr("修改备份计划…", "Change the plan…");
  ui.same_line_if_fits(ImGui::CalcTextSize(edit.c_str()).x + ImGui::GetStyle().FramePadding.x * 2);
  ImGui::BeginDisabled(!can_send);
  if (ui.button("backups.schedule.edit", edit) && can_send) open_draft();
  ImGui::EndDisabled();
  if (editing_) draw_dialog(ui, can_send, key_from_environment, body);
  return body;
}

void BackupSchedulePanel::draw_error(Ui& ui, const std::string& field) {
  auto it = errors_.find(field);
  if (it != errors_.end()) ui.text_colored("backups_schedule.error." + field, it->second, kRed);
}

void BackupSchedulePanel::draw_dialog(Ui& ui, bool can_send, bool key_from_environment, std::optional<json>& body) {
  const char* popup = "##backups_schedule";
  ImGui::OpenPopup(popup);
  if (!ImGui::BeginPopupModal(popup, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) return;
  if (saved_) {  // the server took the plan
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    editing_ = saved_ = false;
    return;
  }
  // An edited field's error goes: it was about what the field held before.
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ui.px(560));
  ui.text("backups_schedule.title", ui.tr("备份计划", "Backup plan"));
  ImGui::Separator();

  ui.text("backups_schedule.mode", ui.tr("自动备份", "Automatic backups"));
  const struct {
    const char* mode;
    Text label;
  } modes[] = {{"off", {"关闭（只在手动时备份）", "Off (only backups made by hand)"}},
               {"daily", {"每天一次完整备份", "A full backup every day"}},
               {"hourly", {"每天一次完整备份，有改动时每小时增量备份", "A full backup every day, and an incremental every hour something changed"}}};
  for (const auto& m : modes)
    if (ui.radio(std::string("backups_schedule.") + m.mode, ui.tr(m.label), mode_ == m.mode)) mode_ = m.mode;

  ImGui::Spacing();
  ImGui::BeginDisabled(mode_ == "off");
  ImGui::AlignTextToFramePadding();
  ui.text("backups_schedule.time_label", ui.tr("完整备份时间", "Full backup at"));
  ImGui::SameLine();
  if (ui.input("backups_schedule.time", "", time_, "02:00", false, ui.px(80))) errors_.erase("time");
  ImGui::SameLine();
  ui.text_colored("backups_schedule.zone", ui.tr("公司时区 ", "company time zone ") + row_text(settings_.document(), "time_zone"), kGrey);
  ImGui::EndDisabled();
  draw_error(ui, "time");

  ImGui::Spacing();
  ui.text("backups_schedule.folder_label", ui.tr("备份文件夹（服务器上的绝对路径）", "Backup folder (an absolute path on the server)"));
  if (ui.input("backups_schedule.folder", "", folder_, ui.tr("留空：数据库旁的 backups 文件夹", "empty: the backups folder beside the database"),
               false, ui.px(520)))
    errors_.erase("folder");
  draw_error(ui, "folder");
  if (std::string(trim(folder_)) != row_text(plan_of(settings_.document()), "folder"))
    ui.text_colored("backups_schedule.folder_note",
                    mode_ == "off" ? ui.tr("已有的备份留在原来的文件夹里。", "Backups made so far stay in the old folder.")
                                   : ui.tr("已有的备份留在原来的文件夹里；新文件夹在一分钟内先做一次完整备份。",
                                           "Backups made so far stay in the old folder; the new one gets a full backup within a minute."),
                    kGrey);

  ImGui::Spacing();
  ui.text("backups_schedule.keep_label", ui.tr("保留多少份（每天、每周、每月各留最新的一份）", "How many to keep (the newest of each day, week and month)"));
  const struct {
    const char* key;
    std::string* value;
    Text unit;
  } keeps[] = {{"keep_daily", &keep_daily_, {"天", "days"}},
               {"keep_weekly", &keep_weekly_, {"周", "weeks"}},
               {"keep_monthly", &keep_monthly_, {"个月", "months"}}};
  for (const auto& k : keeps) {
    if (k.value != &keep_daily_) ImGui::SameLine(0, ui.px(20));
    if (ui.input(std::string("backups_schedule.") + k.key, ui.tr(k.unit), *k.value, "", false, ui.px(70))) errors_.erase(k.key);
  }
  for (const char* key : kKeeps) draw_error(ui, key);

  ImGui::Spacing();
  ui.text("backups_schedule.key_label", ui.tr("加密密钥", "Encryption key"));
  const bool key_set = plan_of(settings_.document()).value("key_set", false) == true;
  ImGui::BeginDisabled(remove_key_);
  const bool key_typed = ui.input("backups_schedule.key", "", key_,
           key_set ? ui.tr("已设置密钥；留空则不变", "a key is set; leave empty to keep it")
                   : ui.tr("未设置：备份不加密。输入 12-500 个字符即加密", "none: backups are not encrypted; type 12-500 characters to encrypt them"),
           true, ui.px(520));
  if (key_typed) errors_.erase("key");
  ImGui::EndDisabled();
  if (key_set) {
    ui.checkbox("backups_schedule.key_remove", ui.tr("不再加密（删除密钥）", "Stop encrypting (remove the key)"), remove_key_);
    if (remove_key_) key_.clear();
  }
  draw_error(ui, "key");
  ui.text_colored("backups_schedule.key_state",
                  ui.tr("请把密钥另外记下：没有它，加密的备份无法恢复。", "Keep the key somewhere else too: without it an encrypted backup cannot be restored."),
                  kGrey);
  if (key_from_environment)
    ui.text_colored("backups_schedule.key_env",
                    ui.tr("服务器设置了环境变量 KEHU_BACKUP_KEY：备份用它加密，这里的密钥不起作用。",
                          "The server has KEHU_BACKUP_KEY set: backups are encrypted with it, and the key here is not used."),
                    kAmber);
  if (!error_.empty()) ui.text_colored("backups_schedule.error", error_, kRed);
  ImGui::PopTextWrapPos();

  ImGui::Spacing();
  // Save leaves the dialog open: it closes when the server says saved, and shows its errors otherwise.
  const DialogAnswer answer = dialog_buttons(ui, "backups_schedule", ui.tr("保存", "Save"), can_send && !sending_, false);
  if (answer == DialogAnswer::ok) {
    json draft = draft_body();
    if (check(ui, draft)) {
      body = std::move(draft);
      sending_ = true;
    }
  } else if (answer == DialogAnswer::cancel) {
    editing_ = false;
    key_.clear();
  }
  ImGui::EndPopup();
}

}  // namespace kehu::client
