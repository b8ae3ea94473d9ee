#include "shell/desktop/desktop_window.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>  // ImGuiContext::InputEventsQueue: begin_frame(), has_queued_input()

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cstdlib>

namespace kehu::desktop {

namespace {

DesktopWindow* self_of(GLFWwindow* w) { return static_cast<DesktopWindow*>(glfwGetWindowUserPointer(w)); }

}  // namespace

std::unique_ptr<DesktopWindow> DesktopWindow::create(const std::string& title, int width, int height) {
  glfwSetErrorCallback(
      [](int code, const char* what) { std::fprintf(stderr, "crm-desktop: GLFW error %d: %s\n", code, what); });
  if (!glfwInit()) {
    std::fprintf(stderr, "crm-desktop: cannot initialise GLFW (is there a display? DISPLAY=%s)\n",
                 std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);  // required on macOS, harmless elsewhere
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);       // 1280x800 "CSS pixels" on a HiDPI X11/Windows screen
  GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "crm-desktop: cannot open a window with an OpenGL 3.3 core context\n");
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  std::unique_ptr<DesktopWindow> self(new DesktopWindow(window));
  glfwSetWindowUserPointer(window, self.get());
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // window layout is the client's business, not a file in the working directory
  io.LogFilename = nullptr;
  // Our own callbacks forward to the backend's (scaling the mouse), so the backend installs none.
  self->imgui_glfw_ready_ = ImGui_ImplGlfw_InitForOpenGL(window, /*install_callbacks=*/false);
  self->imgui_gl_ready_ = self->imgui_glfw_ready_ && ImGui_ImplOpenGL3_Init("#version 150");
  if (!self->imgui_gl_ready_) {
    std::fprintf(stderr, "crm-desktop: cannot set up Dear ImGui's GLFW/OpenGL 3 backends\n");
    return nullptr;
  }
  // Now rather than lazily in the first NewFrame: a font texture the client uploads before that frame
  // would otherwise be created twice (and the first one leaked).
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  self->update_mouse_scale();
  self->install_input_callbacks();
  return self;
}

DesktopWindow::~DesktopWindow() {
  if (imgui_gl_ready_) ImGui_ImplOpenGL3_Shutdown();
  if (imgui_glfw_ready_) ImGui_ImplGlfw_Shutdown();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

bool DesktopWindow::should_close() const { return glfwWindowShouldClose(window_); }
void DesktopWindow::request_close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

void DesktopWindow::process_events(double timeout_s) {
  if (timeout_s > 0)
    glfwWaitEventsTimeout(timeout_s);
  else
    glfwPollEvents();
}

bool DesktopWindow::take_input() {
  bool arrived = input_arrived_;
  input_arrived_ = false;
  return arrived;
}

bool DesktopWindow::has_queued_input() const {
  const ImGuiContext* g = ImGui::GetCurrentContext();
  return g && g->InputEventsQueue.Size > 0;
}

// [SECTION] Input: every GLFW callback marks "input arrived" and forwards to ImGui's GLFW backend;
// cursor positions are scaled from window coordinates to framebuffer pixels on the way.
void DesktopWindow::install_input_callbacks() {
  glfwSetWindowFocusCallback(window_, [](GLFWwindow* w, int focused) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_WindowFocusCallback(w, focused);
  });
  glfwSetCursorEnterCallback(window_, [](GLFWwindow* w, int entered) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_CursorEnterCallback(w, entered);
  });
  glfwSetCursorPosCallback(window_, [](GLFWwindow* w, double x, double y) {
    DesktopWindow* self = self_of(w);
    self->input_arrived_ = true;
    ImGui_ImplGlfw_CursorPosCallback(w, x * self->mouse_sx_, y * self->mouse_sy_);
  });
  glfwSetMouseButtonCallback(window_, [](GLFWwindow* w, int button, int action, int mods) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
  });
  glfwSetScrollCallback(window_, [](GLFWwindow* w, double dx, double dy) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_ScrollCallback(w, dx, dy);
  });
  glfwSetKeyCallback(window_, [](GLFWwindow* w, int key, int scancode, int action, int mods) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
  });
  glfwSetCharCallback(window_, [](GLFWwindow* w, unsigned int c) {
    self_of(w)->input_arrived_ = true;
    ImGui_ImplGlfw_CharCallback(w, c);
  });
  glfwSetMonitorCallback(ImGui_ImplGlfw_MonitorCallback);
  // Not input for ImGui, but each needs a fresh frame.
  glfwSetWindowRefreshCallback(window_, [](GLFWwindow* w) { self_of(w)->input_arrived_ = true; });
  glfwSetFramebufferSizeCallback(window_, [](GLFWwindow* w, int, int) {
    self_of(w)->input_arrived_ = true;
    self_of(w)->update_mouse_scale();
  });
  glfwSetWindowSizeCallback(window_, [](GLFWwindow* w, int, int) {
    self_of(w)->input_arrived_ = true;
    self_of(w)->update_mouse_scale();
  });
  glfwSetWindowContentScaleCallback(window_, [](GLFWwindow* w, float, float) { self_of(w)->input_arrived_ = true; });
}

void DesktopWindow::update_mouse_scale() {
  int ww = 0, wh = 0, fw = 0, fh = 0;
  glfwGetWindowSize(window_, &ww, &wh);
  glfwGetFramebufferSize(window_, &fw, &fh);
  mouse_sx_ = ww > 0 && fw > 0 ? static_cast<float>(fw) / static_cast<float>(ww) : 1.0f;
  mouse_sy_ = wh > 0 && fh > 0 ? static_cast<float>(fh) / static_cast<float>(wh) : 1.0f;
}

float DesktopWindow::ui_scale() const {
  float content_x = 1.0f, content_y = 1.0f;
  glfwGetWindowContentScale(window_, &content_x, &content_y);
  return std::max({1.0f, mouse_sx_, content_x});
}

void DesktopWindow::reload_font_texture() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

// [SECTION] Frames
void DesktopWindow::begin_frame() {
  ImGui_ImplOpenGL3_NewFrame();
  // ImGui_ImplGlfw_NewFrame may queue the cursor position itself (when the window is focused but the
  // cursor is outside it), in window coordinates. Those events — the ones with ids from here on — are
  // scaled below like the ones our cursor callback forwards.
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImU32 first_new_event = g.InputEventsNextEventId;
  ImGui_ImplGlfw_NewFrame();

  ImGuiIO& io = ImGui::GetIO();
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(window_, &fw, &fh);
  io.DisplaySize = ImVec2(static_cast<float>(fw), static_cast<float>(fh));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  update_mouse_scale();
  const float sx = mouse_sx_, sy = mouse_sy_;
  if (sx != 1.0f || sy != 1.0f) {
    for (ImGuiInputEvent& e : g.InputEventsQueue) {
      if (e.EventId < first_new_event || e.Type != ImGuiInputEventType_MousePos) continue;
      if (e.MousePos.PosX != -FLT_MAX) e.MousePos.PosX *= sx;
      if (e.MousePos.PosY != -FLT_MAX) e.MousePos.PosY *= sy;
    }
  }
  if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;  // ImGui asserts DeltaTime > 0
  ImGui::NewFrame();
}

void DesktopWindow::end_frame() {
  ImGui::Render();
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(window_, &fw, &fh);
  glViewport(0, 0, fw, fh);
  const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

FramebufferImage DesktopWindow::read_back_buffer() const {
  FramebufferImage image;
  glfwGetFramebufferSize(window_, &image.width, &image.height);
  if (image.width <= 0 || image.height <= 0) return FramebufferImage{};
  image.rgba.resize(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4);
  glFinish();
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, image.width, image.height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
  return image;
}

void DesktopWindow::present() { glfwSwapBuffers(window_); }

}  // namespace kehu::desktop
