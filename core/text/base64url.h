// base64url.h — URL-safe Base64 without padding (RFC 4648 §5), used for opaque list cursors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kehu {

std::string base64url_encode(std::string_view bytes);
// nullopt for any character outside the alphabet or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace kehu
