#include "web/screens/server_page_head.h"

#include <imgui.h>

#include "web/ui/colors.h"

namespace kehu::client {

void draw_server_page_head(Ui& ui, const ServerPageHead& head, bool online, const std::string& error, const std::string& notice) {
  ui.text(head.page + ".title", ui.tr(head.title));
  if (!online) ui.text_colored(head.page + ".offline", ui.tr(head.offline_note), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!error.empty()) ui.text_colored(head.page + ".error", error, kRed);
  if (!notice.empty()) ui.text_colored(head.page + ".notice", notice, kGreen);
}

}  // namespace kehu::client
