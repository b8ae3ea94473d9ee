#include "web/screens/password_change_form.h"

#include <algorithm>

#include <imgui.h>

#include "core/users/password_policy.h"
#include "web/ui/colors.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

void PasswordChangeForm::reset() {
  // Overwritten before release: a password typed here should not linger in freed memory.
  for (std::string* s : {&old_, &new_, &repeat_}) {
    std::fill(s->begin(), s->end(), '\0');
    s->clear();
  }
  old_error_.clear();
  new_error_.clear();
  repeat_error_.clear();
  error_.clear();
  notice_.clear();
  sending_ = false;
}

void PasswordChangeForm::field(Ui& ui, const std::string& id, const std::string& label, std::string& value,
                               const std::string& hint, const std::string& error, float label_w, bool& submit) {
  ImGui::AlignTextToFramePadding();
  ui.text(id + ".label", label);
  ImGui::SameLine(label_w);
  if (ui.input(id, "", value, hint, true, ui.px(260))) {
    notice_.clear();  // typing again: the last outcome is over
  }
  if (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGuiKey_Enter)) submit = true;
  if (!error.empty()) {
    ImGui::SameLine();
    ui.text_colored(id + ".error", error, kRed);
  }
}

std::optional<json> PasswordChangeForm::draw(Ui& ui, bool online) {
  ui.text("account.password.title", ui.tr("修改密码", "Change password"));
  const std::string old_label = ui.tr("当前密码", "Current password"), new_label = ui.tr("新密码", "New password"),
                    repeat_label = ui.tr("再次输入新密码", "New password again");
  float label_w = 0;
  for (const std::string* l : {&old_label, &new_label, &repeat_label})
    label_w = std::max(label_w, ImGui::CalcTextSize(l->c_str()).x);
  label_w += ImGui::GetStyle().WindowPadding.x + ui.px(16);

  bool submit = false;
  field(ui, "account.password.old", old_label, old_, ui.tr("正在使用的密码", "the password you use now"), old_error_, label_w, submit);
  field(ui, "account.password.new", new_label, new_, ui.tr("8 至 128 个字符", "8 to 128 characters"), new_error_, label_w, submit);
  field(ui, "account.password.repeat", repeat_label, repeat_, ui.tr("与新密码相同", "the same as the new one"), repeat_error_,
        label_w, submit);

  ImGui::SetCursorPosX(label_w);
  const bool can_send = online && !sending_;
  ImGui::BeginDisabled(!can_send);
  if (ui.button("account.password.submit", sending_ ? ui.tr("正在修改…", "Changing…") : ui.tr("修改密码", "Change password")))
    submit = true;
  ImGui::EndDisabled();
  ImGui::PushTextWrapPos(label_w + ui.px(560));  // a long sentence wraps under the fields
  if (!error_.empty()) {
    ImGui::SetCursorPosX(label_w);
    ui.text_colored("account.password.error", error_, kRed);
  }
  if (!notice_.empty()) {
    ImGui::SetCursorPosX(label_w);
    ui.text_colored("account.password.notice", notice_, kGreen);
  }
  ImGui::PopTextWrapPos();
  if (!submit || !can_send) return std::nullopt;

  // Every field at fault named at once, as the server does.
  old_error_ = old_.empty() ? ui.tr("请输入当前密码", "Enter your current password") : "";
  if (new_.empty())
    new_error_ = ui.tr("请输入新密码", "Enter a new password");
  else if (auto problem = check_password_policy(new_))
    new_error_ = ui.tr(*problem);
  else
    new_error_.clear();
  if (repeat_.empty())
    repeat_error_ = ui.tr("请再次输入新密码", "Enter the new password again");
  else if (repeat_ != new_)
    repeat_error_ = ui.tr("两次输入的新密码不一致", "The two new passwords differ");
  else
    repeat_error_.clear();
  error_.clear();
  notice_.clear();
  if (!old_error_.empty() || !new_error_.empty() || !repeat_error_.empty()) return std::nullopt;
  sending_ = true;
  return json{{"old_password", old_}, {"new_password", new_}};
}

void PasswordChangeForm::answered(const Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  error_.clear();
  notice_.clear();
  if (answer.status >= 200 && answer.status < 300) {
    reset();
    notice_ = ui.tr("密码已修改。您在其他设备上的登录都已退出，本设备保持登录。",
                    "Your password is changed. You are signed out on every other device; this one stays signed in.");
    return;
  }
  const std::string not_changed = ui.tr("密码未修改：", "Password not changed: ");
  if (answer.status == 422) {
    const json body = json::parse(answer.body, nullptr, false);
    json fields = body.is_object() && body.value("error", json()).is_object() ? body["error"].value("fields", json()) : json();
    if (!fields.is_object()) fields = json::object();
    bool placed = false;
    if (fields.value("old_password", json()).is_string()) {
      old_error_ = fields["old_password"].get<std::string>();
      std::fill(old_.begin(), old_.end(), '\0');
      old_.clear();  // typed wrong: typed again
      placed = true;
    }
    if (fields.value("new_password", json()).is_string()) {
      new_error_ = fields["new_password"].get<std::string>();
      placed = true;
    }
    if (!placed) error_ = not_changed + server_reasons(ui, answer);
    return;
  }
  if (answer.status == 503) {
    error_ = not_changed + ui.tr("服务器繁忙，请几秒后再试", "the server is busy; try again in a few seconds");
    return;
  }
  if (answer.status == 0) {
    error_ = ui.tr("没有收到服务器的答复，密码可能没有修改。请检查网络后再试。",
                   "No answer from the server, so the password may not have changed. Check the network and try again.");
    return;
  }
  error_ = not_changed + server_message(ui, answer);  // 429 names the wait in the user's language
}

}  // namespace kehu::client
