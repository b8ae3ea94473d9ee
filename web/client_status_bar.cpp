// client_status_bar.cpp — ClientState's bottom bar (client_state.h): connection, last sync, edits waiting
// and refused (with the way to settle them, client_failed_edits.cpp), and the sign-out question when edits
// have not reached the server.
#include <imgui.h>

#include "web/client_state.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

void ClientState::draw_status_bar() {
  ImGui::Separator();
  const bool online = engine_ ? engine_->online() : platform_.online();
  ui_.text_colored("status.online", online ? ui_.tr("● 在线", "● Online") : ui_.tr("● 离线", "● Offline"), online ? kGreen : kRed);
  if (online && engine_) {  // whether others' edits show at once (the server's event stream) or at the next check
    ImGui::SameLine();
    ui_.text_colored("status.live", engine_->live() ? ui_.tr("实时更新", "live updates") : ui_.tr("每 30 秒检查更新", "checking every 30 s"), kGrey);
  }
  if (screen_ == Screen::other_tab) return;  // this tab holds no cache: the other tab's bar tells
  ImGui::SameLine(0, ui_.px(24));
  std::string last = ui_.tr("尚未同步", "not synced yet");
  if (engine_ && engine_->last_sync_ms() > 0) {
    int64_t minutes = (platform_.now_ms() - engine_->last_sync_ms()) / 60000;
    last = minutes < 1 ? ui_.tr("刚刚", "just now")
                       : std::to_string(minutes) + ui_.tr(" 分钟前", minutes == 1 ? " minute ago" : " minutes ago");
    if (engine_->pulling()) last = ui_.tr("同步中…", "syncing…");
  }
  ui_.text_colored("status.last_sync", ui_.tr("最近同步：", "Last sync: ") + last, kGrey);
  ImGui::SameLine(0, ui_.px(24));
  int pending = outbox_ ? outbox_->pending_count() : 0;
  ui_.text_colored("status.pending", ui_.tr("待发送修改：", "Pending edits: ") + std::to_string(pending), pending ? kRed : kGrey);
  int failed = outbox_ ? outbox_->failed_count() : 0;
  if (failed > 0) {
    ImGui::SameLine(0, ui_.px(24));
    ui_.text_colored("status.failed",
                     ui_.tr("未被服务器接受：", "Refused by the server: ") + std::to_string(failed) + " — " + outbox_->last_failure(), kRed);
    ImGui::SameLine();
    if (ui_.button("status.failed.open", ui_.tr("处理…", "Settle…"))) failed_panel_.open();
  }
  if (platform_.cache_persist_pending()) {
    ImGui::SameLine(0, ui_.px(24));
    ui_.text_colored("status.saving", ui_.tr("正在保存到本机…", "Saving to this device…"), kGrey);
  }
  if (!notice_.empty()) {
    ImGui::SameLine(0, ui_.px(24));
    ui_.text_colored("notice", notice_, kRed);
  }
}

void ClientState::draw_logout_dialog() {
  const int pending = outbox_ ? outbox_->pending_count() + outbox_->failed_count() : 0;
  auto sign_out = [this] {
    platform_.send({"POST", "/api/v1/auth/logout", "", {{"Accept-Language", accept_language()}}}, [](HttpResponse) {});
    close_session(true);
    platform_.save_setting("last_user", "");
    platform_.set_bearer_token("");
    logout_dialog_ = false;
    screen_ = Screen::login;
  };
  if (pending == 0) {
    sign_out();
    redraw();
    return;
  }
  ImGui::OpenPopup("##logout");
  if (ImGui::BeginPopupModal("##logout", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ui_.text("logout.pending", ui_.tr("还有 ", "") + std::to_string(pending) +
                                   ui_.tr(" 项修改尚未发送到服务器。退出会清除本机数据。", " edits have not reached the server. Signing out clears this device's data."));
    if (!confirm_discard_) {
      if (ui_.button("logout.send", ui_.tr("先发送，暂不退出", "Send them first, stay signed in"))) {
        logout_dialog_ = false;
        if (engine_) engine_->set_online(true);
      }
      ImGui::SameLine();
      if (ui_.button("logout.discard", ui_.tr("放弃这些修改…", "Discard them…"))) confirm_discard_ = true;
    } else {
      ui_.text_colored("logout.confirm.text", ui_.tr("确定放弃这些修改？此操作不能撤销。", "Really discard these edits? This cannot be undone."), kRed);
      if (ui_.button("logout.confirm", ui_.tr("放弃并退出", "Discard and sign out"))) sign_out();
    }
    ImGui::SameLine();
    if (ui_.button("logout.cancel", ui_.tr("取消", "Cancel"))) logout_dialog_ = false;
    ImGui::EndPopup();
  }
  redraw();
}

}  // namespace kehu::client
