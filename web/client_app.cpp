#include "web/client_app.h"

#include "web/client_state.h"
#include "web/kiosk_display.h"

namespace kehu::client {

ClientApp::ClientApp(Platform& platform) : platform_(platform) {}

ClientApp::~ClientApp() = default;

void ClientApp::start() {
  if (std::string token = platform_.page_parameter("kiosk"); !token.empty()) {
    kiosk_ = std::make_unique<KioskDisplay>(platform_, fonts_, test_hook_, std::move(token));
    kiosk_->start();
    return;
  }
  state_ = std::make_unique<ClientState>(platform_, fonts_, test_hook_);
  state_->start();
}

void ClientApp::frame(float scale, bool redraw) {
  if (kiosk_) kiosk_->frame(scale);
  else if (state_) state_->frame(scale, redraw);
}

bool ClientApp::wants_frame() const {
  const bool client = kiosk_ ? kiosk_->wants_frame() : state_ && state_->wants_frame();
  return client || fonts_.wants_fallback();
}

void ClientApp::on_online_changed(bool online) {
  if (kiosk_) kiosk_->on_online_changed(online);
  else if (state_) state_->on_online_changed(online);
}

void ClientApp::on_location_changed(const std::string& path) {
  if (state_) state_->on_location_changed(path);
}
void ClientApp::on_cache_claimed() {
  if (state_) state_->on_cache_claimed();
}
int ClientApp::queue_notes_edits(int count, const std::string& notes) { return state_ ? state_->queue_notes_edits(count, notes) : 0; }
bool ClientApp::sign_in(const std::string& username, const std::string& password) {
  return state_ && state_->sign_in(username, password);
}

}  // namespace kehu::client
