// client_app.h — the Kehu client: login, sync into the local cache, the screens, the outbox.
//
// A host (shell/browser, shell/desktop) owns the window, the GL context and ImGui's context and backends,
// implements Platform (platform.h) and calls, per drawn frame:
//     if (app.fonts().needs_rebuild(scale)) { app.fonts().rebuild(scale); /* re-upload the font texture */ }
//     backend NewFrame; ImGui::NewFrame(); app.frame(); ImGui::Render(); backend render;
// The host draws only when input arrived or app.wants_frame() says the client has something to show
// (an answer arrived, a sync runs, an animation plays): an idle client costs no CPU.
// ImGui works in device pixels (DisplaySize = framebuffer size); `scale` is device pixels per CSS pixel.
#pragma once

#include <memory>
#include <string>

#include "web/platform.h"
#include "web/ui/font_atlas.h"
#include "web/ui/test_hook.h"

namespace kehu::client {

class ClientState;   // the client's state and screens (client_state.h)
class KioskDisplay;  // kiosk mode, /?kiosk=TOKEN (kiosk_display.h)

class ClientApp {
 public:
  explicit ClientApp(Platform& platform);
  ~ClientApp();
  ClientApp(const ClientApp&) = delete;
  ClientApp& operator=(const ClientApp&) = delete;

  // Call once after ImGui::CreateContext(): applies the style, reads the saved language and last user,
  // and starts signing in from the saved session if there is one. Opened with a kiosk token
  // (Platform::page_parameter("kiosk")), the client is a kiosk display instead: no login, no cache.
  void start();
  // Draws one frame (between ImGui::NewFrame and ImGui::Render). `scale` as above. `redraw`: the same
  // frame drawn again because the font atlas was rebuilt for it (the host showed nothing of the first
  // pass): screens are drawn, but no sync work is started and no wanted frame is used up.
  void frame(float scale, bool redraw = false);
  // True when the client wants another frame without new input.
  bool wants_frame() const;
  // The host's connectivity changed (browser online/offline events).
  void on_online_changed(bool online);
  // The user moved through the browser's history or typed an address: `path` as Platform::location().
  void on_location_changed(const std::string& path);
  // Another tab of the same browser asks for this user's cache (Platform::ask_for_cache): this client
  // lets go of it (Platform::release_cache) and shows that it is open elsewhere.
  void on_cache_claimed();
  // Signs in as if the user had typed these on the login screen (the desktop's --sign-in). False (and
  // nothing done) when the login screen is not showing: a saved session was opened.
  bool sign_in(const std::string& username, const std::string& password);

  // ClientState::queue_notes_edits: the outbox's replay measured in the page.
  int queue_notes_edits(int count, const std::string& notes);

  FontAtlas& fonts() { return fonts_; }
  TestHook& test_hook() { return test_hook_; }

 private:
  Platform& platform_;
  FontAtlas fonts_;
  TestHook test_hook_;
  std::unique_ptr<ClientState> state_;
  std::unique_ptr<KioskDisplay> kiosk_;  // set instead of state_ in kiosk mode
};

}  // namespace kehu::client
