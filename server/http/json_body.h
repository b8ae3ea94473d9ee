// json_body.h — reads a request body as a JSON object, refusing anything malformed before core sees it.
//
// Checks: JSON media type, nesting depth (a deeply nested body would otherwise exhaust the parser's
// stack), well-formed JSON with valid UTF-8 (nlohmann rejects ill-formed UTF-8), an object at the top.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace kehu::server {

constexpr int kMaxJsonDepth = 32;

Result<nlohmann::json> parse_json_object(const std::string& content_type, const std::string& body);

}  // namespace kehu::server
