#include "server/http/request_framing.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

namespace kehu::server {

namespace {

using State = RequestFraming::State;

RequestFraming refused(int status, const char* reason) {
  RequestFraming f;
  f.state = State::refused;
  f.status = status;
  f.reason = reason;
  return f;
}

bool equals_lower(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(), [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// RFC 9110 §5.6.2: the characters of a method or a header name.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
  });
}

// "METHOD target HTTP/1.x", the CR already gone. The target's own syntax is httplib's to check.
bool is_request_line(std::string_view line) {
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1), version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) return false;
  if (std::any_of(target.begin(), target.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) return false;
  return version == "HTTP/1.1" || version == "HTTP/1.0";
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Where the head ends (after its blank line), or npos. A bare LF ends lines too: httplib's reader
// accepts it, and judging that request is httplib's business, not a reason to wait for more bytes.
size_t head_end(std::string_view b) {
  size_t crlf = b.find("\r\n\r\n"), lf = b.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return std::string_view::npos;
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf + 2 <= lf)) return crlf + 4;
  return lf + 2;
}

// How far a chunked body in `body` has come: ready (last chunk and trailers in), incomplete, or refused.
RequestFraming frame_chunked(std::string_view body, const FramingLimits& limits) {
  size_t pos = 0;
  uint64_t total = 0;
  for (;;) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      if (body.size() - pos > 1024) return refused(400, "chunk size line too long");
      break;
    }
    std::string_view line = body.substr(pos, eol - pos);
    std::string_view digits = line.substr(0, std::min(line.find(';'), line.size()));
    if (digits.empty() || digits.size() > 16 || !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
      return refused(400, "chunk size is not a hexadecimal number");
    const uint64_t size = std::stoull(std::string(digits), nullptr, 16);
    if (size > limits.max_body - total) return refused(413, "chunked body over the limit");
    total += size;
    size_t data = eol + 2;
    if (size == 0) {
      // Trailers, if any, end with an empty line.
      if (body.size() >= data + 2 && body.compare(data, 2, "\r\n") == 0) return RequestFraming{State::ready};
      if (body.find("\r\n\r\n", data) != std::string_view::npos) return RequestFraming{State::ready};
      break;
    }
    if (body.size() < data + size + 2) break;
    if (body.compare(data + size, 2, "\r\n") != 0) return refused(400, "chunk data longer than its size");
    pos = data + size + 2;
  }
  if (body.size() >= limits.body_prefetch) return RequestFraming{State::ready};
  return RequestFraming{};
}

}  // namespace

RequestFraming frame_request(std::string_view buffered, const FramingLimits& limits) {
  // The request line is judged as soon as it is in: a client sending something else is not waited for.
  if (size_t eol = buffered.find('\n'); eol != std::string_view::npos) {
    std::string_view line = buffered.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_request_line(line)) return refused(400, "malformed request line");
  }
  const size_t end = head_end(buffered);
  if (end == std::string_view::npos) {
    if (buffered.size() >= limits.max_head) return refused(431, "request head too long");
    return RequestFraming{};
  }
  if (end > limits.max_head) return refused(431, "request head too long");
  std::string_view head = buffered.substr(0, end);
  bool has_length = false, chunked = false, has_encoding = false, expect_continue = false;
  int hosts = 0;
  uint64_t length = 0;
  size_t pos = head.find('\n');  // headers start after the request line
  while (pos != std::string_view::npos && pos + 1 < head.size()) {
    size_t next = head.find('\n', pos + 1);
    std::string_view line = head.substr(pos + 1, (next == std::string_view::npos ? head.size() : next) - pos - 1);
    pos = next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the blank line that ends the head
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return refused(400, "header line without a colon");
    // RFC 9112 §5.1: no whitespace before the colon (nor obs-fold, a line starting with a blank).
    std::string_view name = line.substr(0, colon), value = trimmed(line.substr(colon + 1));
    if (!is_token(name)) return refused(400, "malformed header name");
    if (equals_lower(name, "host")) ++hosts;
    if (equals_lower(name, "content-length")) {
      if (value.empty() || value.size() > 18 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return refused(400, "Content-Length is not a number");
      const uint64_t n = std::stoull(std::string(value));
      if (has_length && n != length) return refused(400, "two different Content-Lengths");
      has_length = true;
      length = n;
    } else if (equals_lower(name, "transfer-encoding")) {
      if (has_encoding) return refused(400, "two Transfer-Encoding headers");
      has_encoding = true;
      if (!equals_lower(value, "chunked")) return refused(501, "transfer coding other than chunked");
      chunked = true;
    } else if (equals_lower(name, "expect") && equals_lower(value, "100-continue")) {
      expect_continue = true;
    }
  }
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1.
  const bool http11 = head.substr(0, head.find('\n')).find(" HTTP/1.1") != std::string_view::npos;
  if (hosts > 1 || (http11 && hosts == 0)) return refused(400, "Host header missing or repeated");
  if (has_length && has_encoding) return refused(400, "Content-Length and Transfer-Encoding together");
  if (has_length && length > limits.max_body) return refused(413, "body over the limit");
  RequestFraming ready{State::ready, end};
  if (expect_continue) return ready;
  std::string_view body = buffered.substr(end);
  if (chunked) {
    RequestFraming f = frame_chunked(body, limits);
    if (f.state == State::ready) f.head_bytes = end;
    return f;
  }
  if (body.size() >= std::min<uint64_t>(length, limits.body_prefetch)) return ready;
  return RequestFraming{};
}

}  // namespace kehu::server
