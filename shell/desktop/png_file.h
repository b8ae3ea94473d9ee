// png_file.h — writes an image to a PNG file with libpng (the --screenshot option).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kehu::desktop {

// An 8-bit RGBA image as glReadPixels returns it: rows bottom to top, 4 bytes per pixel, no padding.
struct FramebufferImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;
};

// Writes `image` to `path` as an 8-bit RGB PNG, top row first (alpha dropped: a window has none).
// Returns "" on success, else what went wrong.
std::string write_png(const std::string& path, const FramebufferImage& image);

}  // namespace kehu::desktop
