// json_body_fuzz.cpp — every JSON request body: server/http/json_body.h, then core's checks of a body.
//
// Input: the bytes of a request body (sent as Content-Type: application/json). parse_json_object() is the
// first thing every POST, PATCH and PUT route does with a body; then, without a database:
//   validate_input()               every served entity (POST /api/v1/customers, ...), create and update
//   validate_kiosk_token_input()   POST /admin/kiosk-tokens
//   validate_settings()            PUT /admin/settings
// Checked beyond "no crash, no leak, no UB":
//   - an accepted body is an object nested at most kMaxJsonDepth deep, and its dump() is accepted again
//     and equal (the text the server stores or echoes reads back as the same value);
//   - the depth guard refuses only what is too deep: any object nlohmann parses within the limit passes
//     (unless it holds a NUL byte, where nlohmann stops reading: "{}\0junk" must not pass as {});
//   - validate_input() is idempotent: its normalized output validates to itself (trimmed text stays
//     trimmed, de-duplicated tags stay so), in both modes and with the settings' option lists;
//   - validate_settings() is idempotent once normalized.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/entity/validation.h"
#include "core/settings/settings.h"
#include "core/users/kiosk_token_input.h"
#include "server/http/json_body.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"

using namespace kehu;
using nlohmann::json;

namespace {

// Whether `value` nests objects and arrays more than `limit` deep (stops looking past the limit, so a
// value nested thousands deep costs no deep recursion here).
bool deeper_than(const json& value, int limit) {
  if (!value.is_structured()) return false;
  if (limit == 0) return true;
  for (const auto& child : value)
    if (deeper_than(child, limit - 1)) return true;
  return false;
}

struct Setup {
  json settings;
  std::vector<FieldChoices> choices;  // per served_entities() entry: the seeded option lists
};

const Setup& setup() {
  static const Setup kSetup = [] {
    Setup s;
    auto settings = read_settings(fuzz::seeded_db());
    FUZZ_CHECK(settings.ok());
    s.settings = *settings;
    for (const EntityDef* e : served_entities()) s.choices.push_back(writable_choices(s.settings, *e));
    return s;
  }();
  return kSetup;
}

void check_validation(const json& body) {
  const auto& entities = served_entities();
  for (size_t i = 0; i < entities.size(); ++i) {
    for (WriteMode mode : {WriteMode::create, WriteMode::update}) {
      for (const FieldChoices* choices : {static_cast<const FieldChoices*>(nullptr), &setup().choices[i]}) {
        auto valid = validate_input(*entities[i], body, mode, choices);
        if (!valid.ok()) {
          FUZZ_CHECK(valid.error().code == ErrorCode::validation);
          FUZZ_CHECK(!valid.error().fields.empty());
          continue;
        }
        auto again = validate_input(*entities[i], *valid, mode, choices);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(*again == *valid);
      }
    }
  }
}

// Sections left out are copied from `current` as stored, which need not be normalized: so the check is
// that once normalized, validating again changes nothing.
void check_settings(const json& body) {
  auto valid = validate_settings(body, setup().settings);
  if (!valid.ok()) return;
  auto normalized = validate_settings(*valid, *valid);
  FUZZ_CHECK(normalized.ok());
  auto again = validate_settings(*normalized, *normalized);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *normalized);
}

void check_kiosk_token(const json& body) {
  auto input = validate_kiosk_token_input(body);
  if (!input.ok()) return;
  FUZZ_CHECK(!input->name.empty());
  FUZZ_CHECK(!input->dashboards.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto parsed = server::parse_json_object("application/json; charset=utf-8", body);

  // The guard against the reference: within the depth limit, an object nlohmann takes is taken.
  const json reference = json::parse(body, nullptr, false);
  const bool fits = !reference.is_discarded() && reference.is_object() &&
                    !deeper_than(reference, server::kMaxJsonDepth) &&
                    body.find('\0') == std::string::npos;  // nlohmann stops at a NUL; the guard refuses one
  FUZZ_CHECK(parsed.ok() == fits);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().code == ErrorCode::bad_request);
    return 0;
  }
  FUZZ_CHECK(*parsed == reference);

  // What the server writes back out reads back as the same value.
  auto reread = server::parse_json_object("application/json", parsed->dump());
  FUZZ_CHECK(reread.ok());
  FUZZ_CHECK(*reread == *parsed);

  check_validation(*parsed);
  check_kiosk_token(*parsed);
  check_settings(*parsed);
  return 0;
}
