// client_other_tab.cpp — ClientState (client_state.h) when the same user has the client open in two tabs
// of one browser. Both would load the same stored cache, and each tab's saves would overwrite the
// other's stored pages, losing queued edits; so one tab at a time owns the cache (the host's lock,
// web/platform.h). A tab opened while another owns it asks for the cache at once (the user opened it to
// use it: a link followed into a new tab just works); the owner stores what it has not stored yet, lets
// go, and shows that the client is open elsewhere, with "use it here" to ask for it back. A tab without
// the cache also opens it by itself once the owner closes or signs out. Edits queued in either tab are in
// the cache the next owner opens, and are sent once (the server applies each Idempotency-Key once even
// if the first owner's request was on its way).
#include <imgui.h>

#include "web/client_state.h"
#include "web/ui/colors.h"

namespace kehu::client {

void ClientState::wait_for_other_tab(bool verify, bool ask) {
  screen_ = Screen::other_tab;
  asked_other_tab_ = ask;
  if (ask) platform_.ask_for_cache(cache_name_);
  auto alive = alive_;
  platform_.wait_for_cache(cache_name_, [this, alive, name = cache_name_, verify](Result<std::unique_ptr<Database>> db) {
    if (!*alive) return;
    if (screen_ == Screen::other_tab && name == cache_name_) screen_ = Screen::opening;
    cache_opened(name, std::move(db), verify);
  });
  redraw();
}

void ClientState::on_cache_claimed() {
  if (!cache_) return;
  // What this tab showed goes with the cache; the place stays, to come back to. A form's unsaved input
  // does not (the manual says so): back at a record's page, or at the list for a new record.
  if (at_place()) {
    place_.screen = screen_;
    if (screen_ == Screen::form) place_.screen = place_.id == 0 ? Screen::list : Screen::detail;
  }
  // A save or a fix under way belongs to this tab's view of the outbox: the next owner answers it, and
  // this tab must not withdraw or replace an entry when it has the cache again.
  waiting_seq_ = 0;
  fixing_seq_ = 0;
  engine_.reset();
  outbox_.reset();
  cache_.reset();
  lists_.clear();
  views_.clear();
  ++session_;
  platform_.release_cache(cache_name_);  // stored first, then handed over
  wait_for_other_tab(false, false);  // asking back at once would take turns forever
}

void ClientState::draw_other_tab() {
  ui_.text("other_tab.title", ui_.tr("客户管理已在本浏览器的另一个标签页中打开。", "Kehu is open in another tab of this browser."));
  ImGui::Spacing();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ui_.px(640));
  ui_.text_colored("other_tab.why",
                   ui_.tr("同一时间只有一个标签页使用本机保存的数据，以免互相覆盖未发送的修改。关闭另一个标签页后，这里会自动继续。",
                          "One tab at a time works with the data kept on this device, so that neither overwrites the "
                          "other's unsent edits. Close the other tab and this one carries on by itself."),
                   kGrey);
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (asked_other_tab_) {
    ui_.text("other_tab.waiting", ui_.tr("正在等待另一个标签页保存并交出数据…", "Waiting for the other tab to save and hand over…"));
  } else if (ui_.button("other_tab.use_here", ui_.tr("在此标签页使用", "Use it in this tab"))) {
    asked_other_tab_ = true;
    platform_.ask_for_cache(cache_name_);
  }
}

}  // namespace kehu::client
