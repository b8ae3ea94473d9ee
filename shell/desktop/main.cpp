// main.cpp — crm-desktop: the Kehu client in a native window (usage in desktop_options.h).
//
// The host loop: wait for events (or for an HTTP answer, which wakes the wait), run finished callbacks
// on this thread, and draw a frame only when something changed — input, an answer, or the client
// asking for one (ClientApp::wants_frame) — so an idle window costs no CPU. The client itself (web/)
// is the same code the browser runs; everything platform-specific is in DesktopWindow (GLFW, OpenGL,
// ImGui backends) and DesktopPlatform (HTTP, cache file, settings, clipboard).
//
// [SECTION] Fonts       — the font files next to the web build
// [SECTION] Loop        — when to wait, when to draw
// [SECTION] main
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <imgui.h>

#include "shell/desktop/desktop_options.h"
#include "shell/desktop/desktop_platform.h"
#include "shell/desktop/desktop_window.h"
#include "shell/desktop/png_file.h"
#include "web/client_app.h"

using namespace kehu;
using namespace kehu::desktop;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// [SECTION] Fonts

constexpr const char* kPrimaryFont = "kehu-ui.ttf";       // common characters, always loaded
constexpr const char* kFallbackFont = "kehu-ui-ext.ttf";  // the rest, loaded when the client asks

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return std::nullopt;
  return bytes.str();
}

// The first of `dirs` holding `file`, read whole; nullopt when none does.
std::optional<std::string> read_file_from(const std::vector<std::filesystem::path>& dirs, const char* file) {
  for (const auto& dir : dirs) {
    auto bytes = read_file(dir / file);
    if (bytes && !bytes->empty()) return bytes;
  }
  return std::nullopt;
}

// read_file_from(), saying on stderr where it looked and what follows when the file is not there.
std::optional<std::string> load_font(const std::vector<std::filesystem::path>& dirs, const char* file,
                                     const char* consequence) {
  if (auto bytes = read_file_from(dirs, file)) return bytes;
  std::string tried;
  for (const auto& dir : dirs) tried += "\n  " + (dir / file).lexically_normal().string();
  std::fprintf(stderr, "crm-desktop: font %s not found; %s. Looked in:%s\n(point --fonts at the folder with it)\n",
               file, consequence, tried.c_str());
  return std::nullopt;
}

// [SECTION] Loop

constexpr double kIdleWaitS = 0.25;   // longest sleep: Ctrl+C, a blinking caret and clocks stay live
constexpr int kFramesAfterInput = 3;  // ImGui settles hover and layout a frame or two after input
constexpr auto kMinFrameTime = std::chrono::microseconds(1'000'000 / 60);  // when vsync does not pace us

// The screenshots to take, in order (--screenshot, then each --visit): each goes to its place (if it
// names one), draws for a while, and writes the window's pixels; the program exits after the last.
struct Screenshots {
  struct Stop {
    std::string place;  // "" stays where the client is
    std::string png;
    bool snapshot = false;  // also write the test hook's snapshot to png + ".json"
  };
  std::vector<Stop> stops;
  size_t next = 0;
  bool arrived = false;  // the next stop's place has been shown
  Clock::time_point due;
  Clock::time_point give_up;  // a visit waits for the first sync until then
  bool pending() const { return next < stops.size(); }
};
constexpr auto kVisitSettle = std::chrono::milliseconds(1500);
constexpr auto kVisitPatience = std::chrono::seconds(60);

// Writes the window (and, when asked, the test hook's snapshot). Returns false on failure, said on stderr.
bool write_stop(DesktopWindow& window, client::ClientApp& app, const Screenshots::Stop& stop, float scale) {
  std::string error = write_png(stop.png, window.read_back_buffer());
  if (error.empty() && stop.snapshot) {
    std::ofstream out(stop.png + ".json", std::ios::binary);
    out << app.test_hook().snapshot(scale);
    if (!out) error = "cannot write " + stop.png + ".json";
  }
  if (!error.empty()) {
    std::fprintf(stderr, "crm-desktop: cannot write %s: %s\n", stop.png.c_str(), error.c_str());
    return false;
  }
  std::printf("crm-desktop: wrote %s%s\n", stop.png.c_str(), stop.place.empty() ? "" : (" (" + stop.place + ")").c_str());
  return true;
}

// Runs until the window closes, a signal arrives or the screenshot is written. Returns the exit code.
int run_loop(DesktopWindow& window, DesktopPlatform& platform, client::ClientApp& app,
             const std::vector<std::filesystem::path>& font_dirs, Screenshots& shots) {
  int frames_owed = 1;
  bool fallback_tried = false;
  Clock::time_point last_frame{};
  while (!window.should_close() && !g_stop) {
    // Wait unless something is known to need drawing.
    const bool busy = frames_owed > 0 || app.wants_frame();
    double wait = busy ? 0.0 : kIdleWaitS;
    if (shots.pending())
      wait = std::min(wait, std::max(0.0, std::chrono::duration<double>(shots.due - Clock::now()).count()));
    window.process_events(wait);

    if (window.take_input()) frames_owed = std::max(frames_owed, kFramesAfterInput);
    if (platform.run_completed_callbacks() > 0) frames_owed = std::max(frames_owed, 1);
    if (app.fonts().wants_fallback() && !fallback_tried) {
      fallback_tried = true;  // asked once: a missing file is reported once, not every frame
      auto bytes = load_font(font_dirs, kFallbackFont, "rare characters will show as boxes");
      if (bytes) app.fonts().set_fallback(std::move(*bytes));
      else app.fonts().fallback_unavailable();  // else ClientApp would keep wanting frames for it
      frames_owed = std::max(frames_owed, 1);
    }
    bool shoot = shots.pending() && Clock::now() >= shots.due;
    if (shoot && !shots.arrived && !shots.stops[shots.next].place.empty()) {
      // First to the place; the picture once it has had time to draw (and its data to load).
      const std::string& place = shots.stops[shots.next].place;
      platform.set_location(place, false);
      app.on_location_changed(place);
      shots.arrived = true;
      shots.due = Clock::now() + kVisitSettle;
      shots.give_up = Clock::now() + kVisitPatience;
      frames_owed = std::max(frames_owed, 1);
      shoot = false;
    } else if (shoot && shots.arrived) {
      // Signing in, opening the cache or the first sync may outlast the settle time on a slow machine:
      // the picture waits for the place itself (then it is taken as it is, and the snapshot tells).
      const std::string& screen = app.test_hook().screen();
      if ((screen == "login" || screen == "opening" || screen == "syncing") && Clock::now() < shots.give_up) {
        shots.due = Clock::now() + std::chrono::milliseconds(250);
        shoot = false;
      }
    }
    // While a text field has focus, the idle wake-ups redraw so the caret blinks.
    const bool caret = !busy && ImGui::GetIO().WantTextInput;
    if (frames_owed == 0 && !app.wants_frame() && !shoot && !caret) continue;

    // Without vsync (Xvfb, some drivers) a client that keeps wanting frames would spin a core.
    const auto since = Clock::now() - last_frame;
    if (since < kMinFrameTime) std::this_thread::sleep_for(kMinFrameTime - since);
    last_frame = Clock::now();

    const float scale = window.ui_scale();
    if (app.fonts().needs_rebuild(scale)) {
      app.fonts().rebuild(scale);
      window.reload_font_texture();
    }
    const bool handles_input = window.has_queued_input();  // begin_frame hands (some of) it to the widgets
    window.begin_frame();
    app.frame(scale);
    for (int redraw = 0; redraw < 3 && app.fonts().needs_rebuild(scale); ++redraw) {
      // Characters the atlas lacks: this frame is not shown (its text would be boxes) but drawn again,
      // a few times over, as in the browser host (shell/browser/main.cpp).
      ImGui::EndFrame();
      app.fonts().rebuild(scale);
      window.reload_font_texture();
      window.begin_frame();
      app.frame(scale, /*redraw=*/true);
    }
    window.end_frame();
    if (shoot) {
      if (!write_stop(window, app, shots.stops[shots.next], scale)) return 1;
      ++shots.next;
      shots.arrived = false;
      if (!shots.pending()) return 0;
    }
    window.present();
    if (frames_owed > 0) --frames_owed;
    if (window.has_queued_input()) frames_owed = std::max(frames_owed, 1);
    // Input handled in this frame shows in the next ones (a button released now changes what was drawn
    // above it), however late ImGui handed it over: as in the browser host.
    if (handles_input) frames_owed = std::max(frames_owed, kFramesAfterInput);
  }
  return 0;
}

std::filesystem::path executable_path(const char* argv0) {
  std::error_code ec;
  auto p = std::filesystem::canonical("/proc/self/exe", ec);
  if (!ec) return p;
  return std::filesystem::absolute(argv0, ec);
}

}  // namespace

// [SECTION] main

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedOptions parsed = parse_options(args, executable_path(argv[0]));
  if (!parsed.options) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const DesktopOptions& opts = *parsed.options;
  std::string password;
  if (!opts.sign_in_user.empty()) {
    const char* p = std::getenv("KEHU_PASSWORD");
    if (!p || !*p) {
      std::fprintf(stderr, "crm-desktop: --sign-in needs the password in the environment variable KEHU_PASSWORD\n");
      return 2;
    }
    password = p;
    unsetenv("KEHU_PASSWORD");  // not handed on to anything this process starts (xdg-open, a browser)
  }
  std::string kiosk_token;
  if (opts.kiosk) {
    const char* t = std::getenv("KEHU_KIOSK_TOKEN");
    if (!t || !*t) {
      std::fprintf(stderr, "crm-desktop: --kiosk needs the display's token in the environment variable KEHU_KIOSK_TOKEN\n");
      return 2;
    }
    kiosk_token = t;
    unsetenv("KEHU_KIOSK_TOKEN");
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  auto window = DesktopWindow::create("Kehu CRM 客户管理", 1280, 800);
  if (!window) return 1;
  int code = 0;
  {
    // Destroyed in reverse: the client first, then the platform (dropping answers still queued, and
    // joining its HTTP workers before GLFW, which they wake, goes away with the window).
    DesktopPlatform platform(window->handle(), opts.server_url, opts.cache_dir);
    if (!kiosk_token.empty()) platform.set_page_parameter("kiosk", kiosk_token);
    client::ClientApp app(platform);
    if (auto bytes = load_font(opts.font_dirs, kPrimaryFont, "using ImGui's built-in font (no Chinese characters)"))
      app.fonts().set_primary(std::move(*bytes));
    app.start();
    if (!opts.sign_in_user.empty() && !app.sign_in(opts.sign_in_user, password))
      std::fprintf(stderr, "crm-desktop: --sign-in %s ignored: the cache folder's saved session was opened instead\n",
                   opts.sign_in_user.c_str());
    Screenshots shots;
    if (!opts.screenshot_path.empty()) shots.stops.push_back({"", opts.screenshot_path, true});
    for (const auto& v : opts.visits) shots.stops.push_back({v.place, v.png, true});
    shots.due = Clock::now() + std::chrono::milliseconds(opts.screenshot_after_ms);
    code = run_loop(*window, platform, app, opts.font_dirs, shots);
  }
  return code;
}
