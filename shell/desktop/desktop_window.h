// desktop_window.h — the GLFW window, its OpenGL 3.3 core context and Dear ImGui's context and backends.
//
// The desktop's one "backend" class (in the spirit of Tracy's Backend): it owns GLFW, the window, the GL
// context and the ImGui context; main.cpp owns the loop. ImGui runs in device pixels, as in the browser:
// DisplaySize is the framebuffer size, DisplayFramebufferScale is 1, and mouse positions (which GLFW
// reports in window coordinates) are scaled to framebuffer pixels before ImGui sees them.
// The UI scale handed to the client is device pixels per "CSS pixel": the framebuffer/window ratio
// where the OS scales window coordinates (macOS, Wayland), the monitor's content scale where window
// coordinates are already pixels (X11, Windows) — the larger of the two.
// Threads: UI thread only (GLFW's rule), except that glfwPostEmptyEvent may be called from any thread
// while this object lives.
#pragma once

#include <memory>
#include <string>

#include "shell/desktop/png_file.h"

struct GLFWwindow;

namespace kehu::desktop {

class DesktopWindow {
 public:
  // Initialises GLFW, opens the window with a GL 3.3 core context and sets up ImGui (context, GLFW and
  // OpenGL3 backends, no imgui.ini). nullptr after printing the reason when any step fails.
  static std::unique_ptr<DesktopWindow> create(const std::string& title, int width, int height);
  ~DesktopWindow();  // shuts ImGui's backends and context, the window and GLFW
  DesktopWindow(const DesktopWindow&) = delete;
  DesktopWindow& operator=(const DesktopWindow&) = delete;

  GLFWwindow* handle() const { return window_; }
  bool should_close() const;
  void request_close();

  // Processes pending events; waits up to `timeout_s` for one when timeout_s > 0.
  void process_events(double timeout_s);
  // Whether input, a resize or an expose arrived since the last call (the host then draws a few frames).
  bool take_input();
  // Whether ImGui still holds queued input events: it applies at most one press or release per button
  // or key per frame ("trickling"), so a burst of typing or a fast click takes several frames to feed.
  bool has_queued_input() const;

  // Device pixels per CSS pixel (see above); at least 1.
  float ui_scale() const;
  // Re-uploads ImGui's font atlas after the client rebuilt it.
  void reload_font_texture();

  // One frame: begin_frame() runs the backends' NewFrame and ImGui::NewFrame; the client draws; then
  // end_frame() renders into the back buffer; read_back_buffer() may copy it; present() swaps.
  void begin_frame();
  void end_frame();
  FramebufferImage read_back_buffer() const;
  void present();

 private:
  explicit DesktopWindow(GLFWwindow* window) : window_(window) {}
  void install_input_callbacks();
  void update_mouse_scale();  // framebuffer pixels per window coordinate, cached for the cursor callback

  GLFWwindow* window_;
  bool imgui_glfw_ready_ = false;
  bool imgui_gl_ready_ = false;
  bool input_arrived_ = true;  // draw the first frame
  float mouse_sx_ = 1.0f, mouse_sy_ = 1.0f;
};

}  // namespace kehu::desktop
