// webgl_renderer.h — draws Dear ImGui's draw data into the page's WebGL2 context.
//
// Why not ImGui's own OpenGL3 backend: it is written to share a context with an application's drawing, so
// around every frame it reads back and restores some 25 pieces of GL state (glGetIntegerv, glIsEnabled). In
// the browser each of those is a WebGL getParameter, and the ones Chromium does not cache wait for the GPU
// process to catch up. Measured on the dashboard with software WebGL, that wait was 71% of the main thread's
// time (`bench/browser/client_bench.mjs --profile-frames`). The client is the only user of its context, so
// this renderer sets all the state it draws with at every frame and never reads any back.
//
// Contract: init() once the context is current; upload_fonts() after the font atlas was built (and again
// after every rebuild); render() once per frame. Vertex offsets are not supported (the
// ImGuiBackendFlags_RendererHasVtxOffset flag stays unset), so ImGui keeps each draw list's indices within
// 16 bits, as WebGL2 has no glDrawElementsBaseVertex.
#pragma once

#include <imgui.h>

namespace kehu::client {

class WebGlRenderer {
 public:
  // Compiles the shaders and makes the buffers; false (with the reason on stderr) if WebGL refused.
  bool init();
  // The font atlas of ImGui's current context, as a texture; replaces the last one.
  void upload_fonts();
  // Clears the whole canvas (`width` × `height` device pixels) to `clear` and draws `data` over it.
  void render(const ImDrawData& data, int width, int height, const ImVec4& clear);

 private:
  unsigned program_ = 0;
  int projection_at_ = -1;
  unsigned vertex_array_ = 0, vertex_buffer_ = 0, index_buffer_ = 0;
  unsigned font_texture_ = 0;
};

}  // namespace kehu::client
