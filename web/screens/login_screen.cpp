#include "web/screens/login_screen.h"

#include <imgui.h>

namespace kehu::client {

std::optional<LoginIntent> LoginScreen::draw(Ui& ui, bool busy, bool& switch_language) {
  ImGuiViewport* vp = ImGui::GetMainViewport();
  const float w = ui.px(380);
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + (vp->WorkSize.x - w) / 2, vp->WorkPos.y + vp->WorkSize.y * 0.18f));
  ImGui::SetNextWindowSize(ImVec2(w, 0));
  ImGui::Begin("##login", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoSavedSettings);
  ui.text("login.title", ui.tr("客户管理系统 · 登录", "Kehu CRM · Sign in"));
  ImGui::Separator();
  ImGui::Spacing();
  const float field = w - ui.px(32);
  ui.text("login.username.label", ui.tr("用户名", "Username"));
  bool submit = false;
  ui.input("login.username", "", username_, ui.tr("请输入用户名", "your username"), false, field);
  if (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGuiKey_Enter)) submit = true;
  ui.text("login.password.label", ui.tr("密码", "Password"));
  ui.input("login.password", "", password_, ui.tr("请输入密码", "your password"), true, field);
  if (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGuiKey_Enter)) submit = true;
  ImGui::Spacing();
  if (!error_.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + field);
    ui.text_colored("login.error", error_, IM_COL32(220, 60, 60, 255));
    ImGui::PopTextWrapPos();
  }
  ImGui::BeginDisabled(busy);
  if (ui.button("login.submit", busy ? ui.tr("正在登录…", "Signing in…") : ui.tr("登录", "Sign in"), field)) submit = true;
  ImGui::EndDisabled();
  ImGui::Spacing();
  switch_language = ui.button("login.lang", ui.lang() == Lang::zh ? "English" : "中文");
  ImGui::End();
  if (!submit || busy) return std::nullopt;
  if (username_.empty() || password_.empty()) {
    error_ = ui.tr("请输入用户名和密码", "Enter your username and password");
    return std::nullopt;
  }
  error_.clear();
  return LoginIntent{username_, password_};
}

}  // namespace kehu::client
