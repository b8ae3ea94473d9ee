// utf8.h — the few UTF-8 operations core needs: validation, code point iteration and counting.
//
// Input from the network is untrusted: every text value is checked with is_valid_utf8() before it is
// stored (overlong forms, surrogates and values past U+10FFFF are rejected), so everything after that
// may assume well-formed UTF-8. Lengths users see ("at most 200 characters") count code points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kehu {

bool is_valid_utf8(std::string_view s);

// Number of code points in valid UTF-8.
size_t utf8_length(std::string_view s);

// Decodes the code point starting at byte `pos` into `cp`; returns its length in bytes, or 0 when the
// bytes there are not a well-formed sequence.
size_t decode_utf8(std::string_view s, size_t pos, uint32_t& cp);

// Splits valid UTF-8 into its code points, each as its own byte string.
std::vector<std::string_view> utf8_chars(std::string_view s);

// ASCII letters lowered; everything else unchanged (CJK has no case; full Unicode folding is not needed
// for the search rules, which match Chinese exactly and Latin case-insensitively).
std::string ascii_lower(std::string_view s);

// Trims ASCII whitespace and the ideographic space U+3000 at both ends.
std::string_view trim(std::string_view s);

}  // namespace kehu
