#include "core/text/utf8.h"

namespace kehu {

namespace {
int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    int n = sequence_length(c);
    if (n == 0 || i + n > s.size()) return false;
    if (n == 1) {
      if (c == 0) return false;  // NUL never belongs in a CRM text field
      ++i;
      continue;
    }
    for (int k = 1; k < n; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    unsigned char c1 = p[i + 1];
    if (c == 0xE0 && c1 < 0xA0) return false;  // overlong
    if (c == 0xED && c1 > 0x9F) return false;  // surrogates
    if (c == 0xF0 && c1 < 0x90) return false;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return false;  // > U+10FFFF
    i += n;
  }
  return true;
}

size_t decode_utf8(std::string_view s, size_t pos, uint32_t& cp) {
  if (pos >= s.size()) return 0;
  auto lead = static_cast<unsigned char>(s[pos]);
  int len = sequence_length(lead);
  if (len == 0 || pos + static_cast<size_t>(len) > s.size()) return 0;
  if (!is_valid_utf8(s.substr(pos, static_cast<size_t>(len)))) return 0;
  cp = len == 1 ? lead : lead & (0x7F >> len);
  for (int i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  return static_cast<size_t>(len);
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<std::string_view> utf8_chars(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    int n = sequence_length(static_cast<unsigned char>(s[i]));
    if (n == 0 || i + n > s.size()) n = 1;  // defensive: treat a stray byte as one char
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  auto is_space_at_front = [&](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v[0]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (v.size() >= 3 && v.substr(0, 3) == "\xE3\x80\x80") return 3;  // U+3000
    return 0;
  };
  auto is_space_at_back = [&](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v.back());
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (v.size() >= 3 && v.substr(v.size() - 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  while (size_t n = is_space_at_front(s)) s.remove_prefix(n);
  while (size_t n = is_space_at_back(s)) s.remove_suffix(n);
  return s;
}

}  // namespace kehu
