#include "web/ui/dialog_buttons.h"

#include <imgui.h>

namespace kehu::client {

DialogAnswer dialog_buttons(Ui& ui, const std::string& prefix, const std::string& ok_label, bool ready, bool close_on_ok) {
  DialogAnswer answer = DialogAnswer::none;
  ImGui::BeginDisabled(!ready);
  if (ui.button(prefix + ".confirm", ok_label) && ready) answer = DialogAnswer::ok;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ui.button(prefix + ".cancel", ui.tr("取消", "Cancel")) || ImGui::IsKeyPressed(ImGuiKey_Escape))
    answer = DialogAnswer::cancel;
  if (answer == DialogAnswer::cancel || (answer == DialogAnswer::ok && close_on_ok)) ImGui::CloseCurrentPopup();
  return answer;
}

DialogAnswer confirm_dialog(Ui& ui, const std::string& prefix, const std::string& question, const std::string& ok_label,
                            bool ready) {
  const std::string popup = "##" + prefix;
  ImGui::OpenPopup(popup.c_str());
  if (!ImGui::BeginPopupModal(popup.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar))
    return DialogAnswer::none;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ui.px(560));  // a long question wraps instead of widening the dialog
  ui.text(prefix + ".question", question);
  ImGui::PopTextWrapPos();
  const DialogAnswer answer = dialog_buttons(ui, prefix, ok_label, ready);
  ImGui::EndPopup();
  return answer;
}

}  // namespace kehu::client
