// main.cpp — the browser host: a WebGL2 context, the ImGui renderer drawing into it, and the client.
//
// There is no emscripten_set_main_loop: kehu_shell.js asks for a frame (requestAnimationFrame) only when
// input arrived or the client wants one (kehu_wants_frame, polled four times a second), so an idle tab
// draws nothing. Input reaches ImGui through the exported kehu_* functions below, which the JS shell calls
// from DOM events: mouse and wheel in device pixels, keys by their DOM `key` names, text as UTF-8 (typed,
// composed by an IME, or pasted). Every exported function runs on the page's main thread.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <imgui.h>
#include <imgui_internal.h>  // InputEventsQueue: events ImGui trickles over several frames

#include <string>
#include <string_view>

#include "shell/browser/browser_platform.h"
#include "shell/browser/webgl_renderer.h"
#include "web/cache/chunk_vfs.h"
#include "web/client_app.h"

using kehu::client::BrowserPlatform;
using kehu::client::ClientApp;
using kehu::client::WebGlRenderer;

namespace {

struct Host {
  BrowserPlatform platform;
  WebGlRenderer renderer;
  ClientApp app{platform};
  float scale = 1;
  int width = 0, height = 0;
  double last_time = 0;
  int input_frames = 2;  // frames owed to recent input (hover and click states settle over two frames)
  std::string clipboard;
  bool ctrl_down = false;  // the page's Ctrl state as last reported, restored after a replayed Ctrl+V
  std::string snapshot;
};
Host* host = nullptr;

// Clipboard: ImGui reads the local copy. A paste arrives as the page's paste event; kehu_paste stores its
// text here and replays Ctrl+V so the focused field pastes it through ImGui's own path (typed characters
// would be dropped: ImGui ignores text input while Ctrl is held).
const char* get_clipboard(void*) { return host->clipboard.c_str(); }
void set_clipboard(void*, const char* text) {
  host->clipboard = text;
  host->platform.set_clipboard(text);
}

// Where ImGui wants the IME: the hidden textarea follows the caret so candidate windows appear there.
void set_ime_data(ImGuiViewport*, ImGuiPlatformImeData* data) {
  EM_ASM({ if (Module.kehuImePosition) Module.kehuImePosition($0, $1, $2, $3); }, data->WantVisible ? 1 : 0,
         data->InputPos.x / host->scale, data->InputPos.y / host->scale, data->InputLineHeight / host->scale);
}

ImGuiKey key_from_dom(std::string_view k) {
  if (k.size() == 1) {
    char c = k[0];
    if (c >= 'a' && c <= 'z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'a'));
    if (c >= 'A' && c <= 'Z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A'));
    if (c >= '0' && c <= '9') return static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0'));
    if (c == ' ') return ImGuiKey_Space;
    return ImGuiKey_None;
  }
  static const std::pair<std::string_view, ImGuiKey> kKeys[] = {
      {"Tab", ImGuiKey_Tab},          {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow},  {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home},          {"End", ImGuiKey_End},
      {"Insert", ImGuiKey_Insert},    {"Delete", ImGuiKey_Delete},       {"Backspace", ImGuiKey_Backspace},
      {"Enter", ImGuiKey_Enter},      {"Escape", ImGuiKey_Escape},       {"Control", ImGuiKey_LeftCtrl},
      {"Shift", ImGuiKey_LeftShift},  {"Alt", ImGuiKey_LeftAlt},         {"Meta", ImGuiKey_LeftSuper},
  };
  for (const auto& [name, key] : kKeys)
    if (name == k) return key;
  return ImGuiKey_None;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int kehu_wants_frame();

// One frame; returns whether the client wants another without new input (as kehu_wants_frame).
EMSCRIPTEN_KEEPALIVE int kehu_frame() {
  ImGuiIO& io = ImGui::GetIO();
  if (host->app.fonts().needs_rebuild(host->scale)) {
    host->app.fonts().rebuild(host->scale);
    host->renderer.upload_fonts();
  }
  if (host->app.fonts().wants_fallback()) EM_ASM({ if (Module.kehuLoadFallbackFont) Module.kehuLoadFallbackFont(); });
  double now = emscripten_get_now() / 1000.0;
  // The browser may hand two frames the same timestamp; ImGui needs a positive step.
  io.DeltaTime = static_cast<float>(std::min(std::max(now - host->last_time, 1e-4), 0.5));
  host->last_time = now;
  io.DisplaySize = ImVec2(static_cast<float>(host->width), static_cast<float>(host->height));
  io.DisplayFramebufferScale = ImVec2(1, 1);  // ImGui works in device pixels; scale is applied by the client
  const bool handles_input = GImGui->InputEventsQueue.Size > 0;  // NewFrame hands (some of) it to the widgets
  ImGui::NewFrame();
  host->app.frame(host->scale);
  // A frame that met characters the atlas lacks (a list's first rows, a new screen's labels) is not shown
  // — its text would be boxes for as long as the next frame takes — but drawn again at once. Again a few
  // times: a frame may switch screens, and the next one meets the new screen's text.
  for (int redraw = 0; redraw < 3 && host->app.fonts().needs_rebuild(host->scale); ++redraw) {
    ImGui::EndFrame();
    host->app.fonts().rebuild(host->scale);
    host->renderer.upload_fonts();
    io.DeltaTime = 1e-4f;
    ImGui::NewFrame();
    host->app.frame(host->scale, /*redraw=*/true);
  }
  ImGui::Render();
  host->renderer.render(*ImGui::GetDrawData(), host->width, host->height, ImVec4(0.94f, 0.94f, 0.94f, 1));
  if (host->input_frames > 0) --host->input_frames;
  // What input does shows in the frames after the one that handled it: a button released now changes
  // what was drawn above it (an error at a field) only in the next frame. On a slow machine ImGui may
  // hand over a click's release frames after it arrived, so the frames owed count from there.
  if (handles_input) host->input_frames = std::max(host->input_frames, 2);
  // Tell the shell whether a text field wants the keyboard (it then focuses the IME textarea).
  EM_ASM({ if (Module.kehuWantText) Module.kehuWantText($0); }, io.WantTextInput ? 1 : 0);
  return kehu_wants_frame();
}

// 2: input is being handled, draw the next frame at once. ImGui hands fast input to widgets a few
// events per frame (so a click lands before the keys typed after it): while its queue holds events,
// frames must go on or those keys would wait for the next input. 1: the client has something new to
// show (an answer applied, a sync's progress), which the shell draws at its pace for news. 0: nothing.
EMSCRIPTEN_KEEPALIVE int kehu_wants_frame() {
  if (host->input_frames > 0 || GImGui->InputEventsQueue.Size > 0) return 2;
  return host->app.wants_frame() ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void kehu_resize(int width, int height, double scale) {
  host->width = width;
  host->height = height;
  host->scale = static_cast<float>(scale);
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE void kehu_mouse_move(double x, double y) {
  ImGui::GetIO().AddMousePosEvent(static_cast<float>(x), static_cast<float>(y));
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE void kehu_mouse_button(int button, int down) {
  ImGui::GetIO().AddMouseButtonEvent(button, down != 0);
  host->input_frames = 3;
}

// Touch (kehu_shell.js turns a finger's gestures into these): where input comes from, so ImGui treats a
// finger as one (no hover between taps), and a drag of `dx`, `dy` device pixels that scrolls what is under
// the finger by as much (ImGui scrolls 5 lines of text per wheel step).
EMSCRIPTEN_KEEPALIVE void kehu_pointer_source(int touch) {
  ImGui::GetIO().AddMouseSourceEvent(touch ? ImGuiMouseSource_TouchScreen : ImGuiMouseSource_Mouse);
}

EMSCRIPTEN_KEEPALIVE void kehu_touch_scroll(double dx, double dy) {
  const float step = 5.0f * (GImGui->FontSize > 0 ? GImGui->FontSize : 16.0f);
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(dx) / step, static_cast<float>(dy) / step);
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE void kehu_wheel(double dx, double dy) {
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(dx), static_cast<float>(dy));
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE void kehu_key(const char* key, int down, int ctrl, int shift, int alt, int super) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl != 0);
  host->ctrl_down = ctrl != 0;
  io.AddKeyEvent(ImGuiMod_Shift, shift != 0);
  io.AddKeyEvent(ImGuiMod_Alt, alt != 0);
  io.AddKeyEvent(ImGuiMod_Super, super != 0);
  ImGuiKey k = key_from_dom(key);
  if (k != ImGuiKey_None) io.AddKeyEvent(k, down != 0);
  host->input_frames = 3;
}

EMSCRIPTEN_KEEPALIVE void kehu_text(const char* utf8) {
  ImGui::GetIO().AddInputCharactersUTF8(utf8);
  host->input_frames = 3;
}

// The text of a paste event: becomes ImGui's clipboard, then Ctrl+V is replayed (ImGui's input queue
// hands these events to the focused field over the next frames, in order).
EMSCRIPTEN_KEEPALIVE void kehu_paste(const char* utf8) {
  host->clipboard = utf8;
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, true);
  io.AddKeyEvent(ImGuiKey_V, true);
  io.AddKeyEvent(ImGuiKey_V, false);
  io.AddKeyEvent(ImGuiMod_Ctrl, host->ctrl_down);
  host->input_frames = 3;
}

EMSCRIPTEN_KEEPALIVE void kehu_focus(int focused) {
  ImGui::GetIO().AddFocusEvent(focused != 0);
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE void kehu_online(int online) { host->app.on_online_changed(online != 0); }

EMSCRIPTEN_KEEPALIVE void kehu_location(const char* path) { host->app.on_location_changed(path ? path : ""); }

EMSCRIPTEN_KEEPALIVE void kehu_fetch_done(int id, int status, const char* body, int len) {
  host->platform.fetch_done(id, status, std::string(body ? body : "", static_cast<size_t>(len)));
}

// The file the user chose in the dialog kehu_js_choose_file opened, and a piece of it read.
EMSCRIPTEN_KEEPALIVE void kehu_file_chosen(int id, const char* name, double size) {
  host->platform.file_chosen(id, name ? name : "", static_cast<int64_t>(size));
}
EMSCRIPTEN_KEEPALIVE void kehu_file_read(int request, int ok, const char* bytes, int len) {
  host->platform.file_read(request, ok != 0, std::string(bytes ? bytes : "", static_cast<size_t>(len)));
}

// Another tab asks for the open cache.
EMSCRIPTEN_KEEPALIVE void kehu_cache_claimed() { host->app.on_cache_claimed(); }

// A Server-Sent Event from /api/v1/events (its name), and whether the stream is open.
EMSCRIPTEN_KEEPALIVE void kehu_server_event(const char* name) { host->platform.server_event(name ? name : ""); }
EMSCRIPTEN_KEEPALIVE void kehu_events_open(int open) { host->platform.events_open(open != 0); }

EMSCRIPTEN_KEEPALIVE void kehu_fetch_progress(int id, double received, double total) {
  host->platform.fetch_progress(id, static_cast<int64_t>(received), static_cast<int64_t>(total));
}

EMSCRIPTEN_KEEPALIVE void kehu_cache_chunk(const char* name, unsigned index, const char* data, int len) {
  kehu::client::load_chunk(name, index, std::string_view(data, static_cast<size_t>(len)));
}

// ok: 1 loaded, 0 the stored copy could not be read, 2 another tab has the cache open.
EMSCRIPTEN_KEEPALIVE void kehu_cache_loaded(int id, double size, int ok) {
  host->platform.cache_loaded(id, static_cast<int64_t>(size), ok);
}

EMSCRIPTEN_KEEPALIVE void kehu_persist_done(int ok) { host->platform.persist_done(ok != 0); }

EMSCRIPTEN_KEEPALIVE void kehu_persist_step() { host->platform.persist_step(); }

// which: 0 primary font, 1 fallback font; no bytes (len 0): the fallback could not be loaded.
EMSCRIPTEN_KEEPALIVE void kehu_font_data(int which, const char* data, int len) {
  if (which == 1 && (data == nullptr || len <= 0)) {
    host->app.fonts().fallback_unavailable();
    return;
  }
  std::string bytes(data, static_cast<size_t>(len));
  if (which == 0) host->app.fonts().set_primary(std::move(bytes));
  else host->app.fonts().set_fallback(std::move(bytes));
  host->input_frames = 2;
}

EMSCRIPTEN_KEEPALIVE int kehu_test_queue_notes_edits(int count, const char* notes) {
  return host->app.queue_notes_edits(count, notes ? notes : "");
}

EMSCRIPTEN_KEEPALIVE const char* kehu_test_snapshot() {
  host->snapshot = host->app.test_hook().snapshot(host->scale);
  return host->snapshot.c_str();
}

}  // extern "C"

int main() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.alpha = false;
  attrs.antialias = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context("#canvas", &attrs);
  if (ctx <= 0) {
    EM_ASM({ if (Module.kehuFatal) Module.kehuFatal("webgl2"); });
    return 1;
  }
  emscripten_webgl_make_context_current(ctx);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;               // layout is the app's, not a file's
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would need frames while idle
  io.BackendPlatformName = "kehu_browser";
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  io.SetPlatformImeDataFn = set_ime_data;

  host = new Host();
  if (!host->renderer.init()) {
    EM_ASM({ if (Module.kehuFatal) Module.kehuFatal("webgl2"); });
    return 1;
  }
  host->renderer.upload_fonts();  // ImGui's default font until the shell sends the UI's
  EM_ASM({ if (Module.kehuStarted) Module.kehuStarted(); });  // the shell sizes the canvas and sends fonts
  host->app.start();
  return 0;
}
