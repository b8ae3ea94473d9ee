#include "shell/desktop/png_file.h"

#include <png.h>

namespace kehu::desktop {

std::string write_png(const std::string& path, const FramebufferImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4)
    return "empty or inconsistent image";
  // libpng's simplified API: no setjmp/longjmp in our code. The input format is RGBA; writing RGB
  // drops alpha (a GL framebuffer's alpha is whatever blending left there, not transparency).
  std::vector<uint8_t> rgb(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3);
  for (size_t i = 0, j = 0; i < image.rgba.size(); i += 4, j += 3) {
    rgb[j] = image.rgba[i];
    rgb[j + 1] = image.rgba[i + 1];
    rgb[j + 2] = image.rgba[i + 2];
  }
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGB;
  // A negative row stride tells libpng the rows are stored bottom-up, as OpenGL reads them.
  const png_int_32 stride = -static_cast<png_int_32>(image.width * 3);
  if (!png_image_write_to_file(&png, path.c_str(), 0, rgb.data(), stride, nullptr)) {
    std::string why = png.message;
    png_image_free(&png);
    return why.empty() ? "libpng could not write the file" : why;
  }
  return "";
}

}  // namespace kehu::desktop
