// server_params_fuzz.cpp — the request parsers that live in files only the whole server links:
// server/app.cpp (cookie_value, parse_id) and server/routes/sync_routes.cpp (refuse_unknown_params,
// int_param: GET /sync's since, limit and count). Built only with KEHU_FUZZ_SERVER_LIB=ON, which builds
// all of kehu_server_lib under the sanitizers; so not in CI (docs/fuzzing.md).
//
// Input: any bytes, given whole to each parser, and as the query string of GET /sync. Checked:
//   cookie_value   a value found stands in the header as name=value and holds no ';'; a value put among
//                  other cookies (a look-alike name first) is found again exactly
//   parse_id       an id accepted is positive and prints back as the same text; every id of up to 15
//                  digits is accepted as itself; a refusal names "id"
//   GET /sync      the route's checks in its order: an unknown parameter or a value out of range is a 400
//                  naming it; what passes is in range and prints back as the parameter's text
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <httplib.h>

#include "core/sync/sync_reader.h"
#include "server/app.h"
#include "server/routes/routes.h"
#include "tests/fuzz/fuzz_check.h"

using namespace kehu;

namespace {

void check_cookies(const std::string& input) {
  for (const char* name : {"session", "__Host-session", "kehu_device"}) {
    const std::string found = server::cookie_value(input, name);
    if (!found.empty()) {
      FUZZ_CHECK(input.find(std::string(name) + "=" + found) != std::string::npos);
      FUZZ_CHECK(found.find(';') == std::string::npos);
    }
    std::string value = input;
    value.erase(std::remove(value.begin(), value.end(), ';'), value.end());
    const std::string header = std::string("theme=dark; x") + name + "=no;" + name + "=" + value + "; lang=zh-CN";
    FUZZ_CHECK(server::cookie_value(header, name) == value);
  }
}

void check_ids(const std::string& input) {
  auto id = server::parse_id(input);
  if (id.ok()) {
    FUZZ_CHECK(*id > 0);
    FUZZ_CHECK(std::to_string(*id) == input);
  } else {
    FUZZ_CHECK(id.error().code == ErrorCode::bad_request && id.error().fields.count("id") == 1);
  }
  uint64_t bits = 0;
  std::memcpy(&bits, input.data(), std::min(input.size(), sizeof bits));
  const int64_t n = static_cast<int64_t>(bits % 999'999'999'999'999ULL) + 1;  // 1 to 15 digits
  auto back = server::parse_id(std::to_string(n));
  FUZZ_CHECK(back.ok() && *back == n);
}

void check_refusal(const Error& error, const std::string& name) {
  FUZZ_CHECK(error.code == ErrorCode::bad_request);
  FUZZ_CHECK(error.fields.count(name) == 1);
}

// One parameter through int_param: a refusal names it; a value taken is in range and is its text.
void check_int_param(const httplib::Request& req, const std::string& name, int64_t fallback, int64_t min, int64_t max) {
  auto n = server::int_param(req, name, fallback, min, max);
  if (!n.ok()) return check_refusal(n.error(), name);
  FUZZ_CHECK(*n >= min && *n <= max);
  if (!req.has_param(name)) {
    FUZZ_CHECK(*n == fallback);
    return;
  }
  const std::string text = req.get_param_value(name);
  const size_t digit = text.find_first_not_of('0');
  FUZZ_CHECK(std::to_string(*n) == (digit == std::string::npos ? "0" : text.substr(digit)));
}

void check_sync_params(const std::string& input) {
  httplib::Request req;
  httplib::detail::parse_query_text(input, req.params);
  if (auto refused = server::refuse_unknown_params(req, {"since", "limit", "count"})) {
    FUZZ_CHECK(refused->code == ErrorCode::bad_request && refused->fields.size() == 1);
    const std::string& name = refused->fields.begin()->first;
    FUZZ_CHECK(name != "since" && name != "limit" && name != "count" && req.has_param(name));
    return;
  }
  check_int_param(req, "since", 0, 0, INT64_MAX / 2);
  check_int_param(req, "limit", 1000, 1, kMaxSyncLimit);
  check_int_param(req, "count", 0, 0, 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_cookies(input);
  check_ids(input);
  check_sync_params(input);
  return 0;
}
