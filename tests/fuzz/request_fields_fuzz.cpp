// request_fields_fuzz.cpp — the small parsers a request passes before a route sees its body.
//
// Input: any bytes, given whole to each parser (and, split at '\n', as peer / X-Forwarded-For / trusted
// proxies to client_address). Each is checked against a property, not only for crashes:
//   client_address, is_ip_literal,      the client is the socket's peer unless a trusted proxy forwarded,
//   is_loopback_address                 and then an IP literal from X-Forwarded-For: never text a client
//   (server/http/client_address.h)      made up; a loopback address is an IP literal
//   parse_accept_language (core/i18n.h) the fallback decides only when no supported language is named
//   is_valid_idempotency_key,           a key is 1-200 visible ASCII characters; a fingerprint is 64 hex
//   request_fingerprint (server/idempotency.h)
//   query-string decoding (httplib,     core's percent_encode() (what clients use to build query
//   the server's own parser)            strings) survives the server's percent-decoding exactly
//   UTF-8 (core/text/utf8.h)            is_valid_utf8 agrees with decoding code point by code point;
//                                       utf8_length and utf8_chars count and cut the same code points; trim
//                                       returns a part of its input and is idempotent
//   times (core/clock.h)                a time parse_rfc3339_ms accepts prints with format_rfc3339_ms in
//                                       the stored form and parses back to the same instant (list filters
//                                       compare times as that text); an accepted date prints back as itself
// cookie_value and parse_id (server/app.cpp) are in server_params_fuzz.cpp: app.cpp links the whole server.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <httplib.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/text/percent_encode.h"
#include "core/text/utf8.h"
#include "server/http/client_address.h"
#include "server/idempotency.h"
#include "tests/fuzz/fuzz_check.h"

using namespace kehu;

namespace {

std::vector<std::string> lines_of(const std::string& input) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= input.size()) {
    size_t end = input.find('\n', pos);
    if (end == std::string::npos) end = input.size();
    lines.push_back(input.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void check_addresses(const std::string& input) {
  const std::vector<std::string> lines = lines_of(input);
  const std::string peer = lines[0];
  const std::string forwarded = lines.size() > 1 ? lines[1] : "";
  const std::vector<std::string> trusted(lines.size() > 2 ? lines.begin() + 2 : lines.end(), lines.end());
  const std::string client = server::client_address(peer, forwarded, trusted);
  if (!ends_with(peer, client)) {  // not the peer ("::ffff:10.0.0.1" is 10.0.0.1): a forwarded address
    FUZZ_CHECK(!trusted.empty());
    FUZZ_CHECK(server::is_ip_literal(client));
    FUZZ_CHECK(forwarded.find(client) != std::string::npos);
  }
  FUZZ_CHECK(server::client_address(peer, forwarded, {}) == server::client_address(peer, "", {}));
  for (const std::string& line : lines)
    if (server::is_loopback_address(line)) FUZZ_CHECK(server::is_ip_literal(line));
}

void check_languages(const std::string& input) {
  const Lang zh_first = parse_accept_language(input, Lang::zh), en_first = parse_accept_language(input, Lang::en);
  if (zh_first == Lang::en) FUZZ_CHECK(en_first == Lang::en);
  if (en_first == Lang::zh) FUZZ_CHECK(zh_first == Lang::zh);
}

void check_idempotency(const std::string& input) {
  bool visible = !input.empty() && input.size() <= 200;
  for (char c : input) visible = visible && c >= 0x21 && c <= 0x7E;
  FUZZ_CHECK(server::is_valid_idempotency_key(input) == visible);
  const std::string fingerprint = server::request_fingerprint("POST", "/api/v1/customers", input);
  FUZZ_CHECK(fingerprint.size() == 64);
  FUZZ_CHECK(fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos);
}

void check_query_decoding(const std::string& input) {
  httplib::Params params;
  httplib::detail::parse_query_text("q=" + percent_encode(input) + "&limit=50", params);
  FUZZ_CHECK(params.size() == 2 && params.count("q") == 1);
  FUZZ_CHECK(params.find("q")->second == input);
  if (!input.empty()) {
    httplib::Params named;
    httplib::detail::parse_query_text(percent_encode(input) + "=1", named);
    FUZZ_CHECK(named.size() == 1 && named.begin()->first == input && named.begin()->second == "1");
  }
  FUZZ_CHECK(httplib::detail::decode_url(percent_encode(input), true) == input);
  httplib::Params any;  // the raw input as a query string: no crash, no hang
  httplib::detail::parse_query_text(input, any);
}

void check_utf8(const std::string& input) {
  size_t pos = 0, code_points = 0;
  bool decodes = true;
  while (pos < input.size()) {
    uint32_t cp = 0;
    const size_t n = decode_utf8(input, pos, cp);
    if (n == 0) {
      decodes = false;
      break;
    }
    FUZZ_CHECK(n <= 4 && pos + n <= input.size());
    FUZZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
    pos += n;
    ++code_points;
  }
  FUZZ_CHECK(is_valid_utf8(input) == decodes);
  if (decodes) {
    FUZZ_CHECK(utf8_length(input) == code_points);
    const auto chars = utf8_chars(input);
    FUZZ_CHECK(chars.size() == code_points);
    std::string joined;
    for (std::string_view c : chars) joined += c;
    FUZZ_CHECK(joined == input);
    const std::string_view trimmed = trim(input);
    FUZZ_CHECK(trimmed.empty() || input.find(trimmed) != std::string::npos);
    FUZZ_CHECK(trim(trimmed) == trimmed);
    FUZZ_CHECK(is_valid_utf8(trimmed));
  }
  FUZZ_CHECK(ascii_lower(input).size() == input.size());
}

void check_times(const std::string& input) {
  const int64_t ms = parse_rfc3339_ms(input);
  if (ms >= 0) {
    const std::string stored = format_rfc3339_ms(ms);
    if (parse_rfc3339_ms(stored) != ms) std::fprintf(stderr, "%s -> %s\n", input.c_str(), stored.c_str());
    FUZZ_CHECK(stored.size() == 24);
    FUZZ_CHECK(parse_rfc3339_ms(stored) == ms);
  }
  if (is_valid_date(input)) {
    FUZZ_CHECK(input.size() == 10);
    FUZZ_CHECK(date_of_day(day_of_date(input)) == input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_addresses(input);
  check_languages(input);
  check_idempotency(input);
  check_query_decoding(input);
  check_utf8(input);
  check_times(input);
  return 0;
}
