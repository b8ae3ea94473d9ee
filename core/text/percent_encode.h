// percent_encode.h — text made safe for a URL's query value (RFC 3986): letters, digits and "-._~" stay,
// every other byte (UTF-8 included) becomes %XX. A file name such as "客户 备份 (1).db" survives the trip.
#pragma once

#include <string>
#include <string_view>

namespace kehu {

std::string percent_encode(std::string_view text);

}  // namespace kehu
