#include "web/client_app.h"

#include "web/client_state.h"

namespace kehu::client {

ClientApp::ClientApp(Platform& platform)
    : state_(std::make_unique<ClientState>(platform, fonts_, test_hook_)) {}

ClientApp::~ClientApp() = default;

void ClientApp::start() { state_->start(); }
void ClientApp::frame(float scale, bool redraw) { state_->frame(scale, redraw); }
bool ClientApp::wants_frame() const { return state_->wants_frame() || fonts_.wants_fallback(); }
void ClientApp::on_online_changed(bool online) { state_->on_online_changed(online); }
void ClientApp::on_location_changed(const std::string& path) { state_->on_location_changed(path); }
void ClientApp::on_cache_claimed() { state_->on_cache_claimed(); }
int ClientApp::queue_notes_edits(int count, const std::string& notes) { return state_->queue_notes_edits(count, notes); }
bool ClientApp::sign_in(const std::string& username, const std::string& password) { return state_->sign_in(username, password); }

}  // namespace kehu::client
