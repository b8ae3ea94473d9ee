#include "server/http/request_framing.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

namespace kehu::server {

namespace {

using State = RequestFraming::State;
constexpr size_t npos = std::string_view::npos;

bool equals_lower(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(), [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// RFC 9110 §5.6.2: the characters of a method or a header name.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
  });
}

// "METHOD target HTTP/1.x", without its CRLF. The target's own syntax is httplib's to check.
bool is_request_line(std::string_view line) {
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == npos || sp2 == sp1) return false;
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1), version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) return false;
  if (std::any_of(target.begin(), target.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) return false;
  return version == "HTTP/1.1" || version == "HTTP/1.0";
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

RequestFraming RequestFramer::refuse(int status, const char* reason) {
  verdict_.state = State::refused;
  verdict_.status = status;
  verdict_.reason = reason;
  return verdict_;
}

RequestFraming RequestFramer::judge(std::string_view buffered) {
  if (verdict_.state != State::incomplete) return verdict_;
  if (head_end_ == 0) {
    // The request line is judged as soon as it is in: a client sending something else is not waited
    // for. (One longer than max_head is refused below as too long, whether or not its end has come.)
    if (!line_checked_) {
      size_t eol = buffered.find('\n');
      if (eol != npos && eol < limits_.max_head) {
        if (eol == 0 || buffered[eol - 1] != '\r' || !is_request_line(buffered.substr(0, eol - 1)))
          return refuse(400, "malformed request line");
        line_checked_ = true;
      }
    }
    // Only the bytes that came since the last call are looked at (three back, for a CRLFCRLF split).
    const size_t end = buffered.find("\r\n\r\n", scanned_ >= 3 ? scanned_ - 3 : 0);
    const size_t checked_to = std::min(end == npos ? buffered.size() : end + 4, limits_.max_head);
    for (size_t i = std::max<size_t>(scanned_, 1); i < checked_to; ++i) {
      const char c = buffered[i];
      // httplib takes only CRLF as a line end: a bare LF would leave it waiting for the rest.
      if (c == '\n' && buffered[i - 1] != '\r') return refuse(400, "bare LF in the request head");
      if (buffered[i - 1] == '\r' && c != '\n') return refuse(400, "bare CR in the request head");
    }
    scanned_ = std::max(scanned_, checked_to);
    if (end == npos || end + 4 > limits_.max_head) {
      if (buffered.size() >= limits_.max_head) return refuse(431, "request head too long");
      return verdict_;
    }
    head_end_ = end + 4;
    RequestFraming head = judge_head(buffered.substr(0, head_end_));
    if (head.state == State::refused) return head;
  }
  if (expect_continue_ || zero_length_) {
    verdict_.state = State::ready;
    return verdict_;
  }
  std::string_view body = buffered.substr(head_end_);
  if (chunked_) return judge_chunked(body);
  if (body.size() >= std::min<uint64_t>(length_, limits_.body_prefetch)) verdict_.state = State::ready;
  return verdict_;
}

RequestFraming RequestFramer::judge_head(std::string_view head) {
  verdict_.head_bytes = head.size();
  bool has_length = false, has_encoding = false;
  int hosts = 0;
  size_t pos = head.find("\r\n") + 2;  // headers start after the request line
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    if (line.empty()) break;  // the blank line that ends the head
    size_t colon = line.find(':');
    if (colon == npos) return refuse(400, "header line without a colon");
    // RFC 9112 §5.1: no whitespace before the colon (nor obs-fold, a line starting with a blank).
    std::string_view name = line.substr(0, colon), value = trimmed(line.substr(colon + 1));
    if (!is_token(name)) return refuse(400, "malformed header name");
    if (equals_lower(name, "host")) {
      ++hosts;
    } else if (equals_lower(name, "content-length")) {
      if (value.empty() || value.size() > 18 || !all_digits(value)) return refuse(400, "Content-Length is not a number");
      const uint64_t n = std::stoull(std::string(value));
      if (has_length && n != length_) return refuse(400, "two different Content-Lengths");
      has_length = true;
      length_ = n;
    } else if (equals_lower(name, "transfer-encoding")) {
      if (has_encoding) return refuse(400, "two Transfer-Encoding headers");
      has_encoding = true;
      if (!equals_lower(value, "chunked")) return refuse(501, "transfer coding other than chunked");
      chunked_ = true;
    } else if (equals_lower(name, "expect") && value == "100-continue") {
      expect_continue_ = true;  // exactly as httplib recognizes it, which answers 100 Continue
    }
  }
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1.
  const std::string_view request_line = head.substr(0, head.find("\r\n"));
  const bool http11 = request_line.size() >= 9 && request_line.substr(request_line.size() - 9) == " HTTP/1.1";
  if (hosts > 1 || (http11 && hosts == 0)) return refuse(400, "Host header missing or repeated");
  if (has_length && has_encoding) return refuse(400, "Content-Length and Transfer-Encoding together");
  if (has_length && length_ > limits_.max_body) return refuse(413, "body over the limit");
  const std::string_view method = request_line.substr(0, request_line.find(' '));
  if (!has_length && !has_encoding && (method == "POST" || method == "PUT" || method == "PATCH")) {
    zero_length_ = true;
    verdict_.add_zero_length = true;
  }
  return verdict_;
}

RequestFraming RequestFramer::judge_chunked(std::string_view body) {
  while (!in_trailers_) {
    size_t eol = body.find("\r\n", chunk_at_);
    if (eol == npos) {
      if (body.size() - chunk_at_ > 1024) return refuse(400, "chunk size line too long");
      break;
    }
    std::string_view line = body.substr(chunk_at_, eol - chunk_at_);
    std::string_view digits = line.substr(0, std::min(line.find(';'), line.size()));
    if (digits.empty() || digits.size() > 16 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
      return refuse(400, "chunk size is not a hexadecimal number");
    const uint64_t size = std::stoull(std::string(digits), nullptr, 16);
    if (size > limits_.max_body - chunk_total_) return refuse(413, "chunked body over the limit");
    const size_t data = eol + 2;
    if (size == 0) {
      in_trailers_ = true;
      chunk_at_ = data;
      break;
    }
    if (body.size() < data + size + 2) break;
    if (body.compare(data + size, 2, "\r\n") != 0) return refuse(400, "chunk data longer than its size");
    chunk_total_ += size;
    chunk_at_ = data + size + 2;
  }
  if (in_trailers_) {
    // Trailer lines, if any, end with an empty line; chunk_at_ moves line by line.
    for (;;) {
      size_t eol = body.find("\r\n", chunk_at_);
      if (eol == npos) break;
      if (eol == chunk_at_) {
        verdict_.state = State::ready;
        return verdict_;
      }
      chunk_at_ = eol + 2;
    }
  }
  if (body.size() >= limits_.body_prefetch) verdict_.state = State::ready;
  return verdict_;
}

RequestFraming frame_request(std::string_view buffered, const FramingLimits& limits) { return RequestFramer(limits).judge(buffered); }

}  // namespace kehu::server
