#include "server/http/json_body.h"

namespace kehu::server {

namespace {
Error bad(Text why) { return Error::make(ErrorCode::bad_request, std::move(why)); }

int max_depth(const std::string& body) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}
}  // namespace

Result<nlohmann::json> parse_json_object(const std::string& content_type, const std::string& body) {
  if (content_type.rfind("application/json", 0) != 0)
    return bad({"请求内容应为 JSON（Content-Type: application/json）", "the request body must be JSON (Content-Type: application/json)"});
  if (body.empty()) return bad({"请求内容为空", "the request body is empty"});
  if (max_depth(body) > kMaxJsonDepth) return bad({"JSON 嵌套太深", "the JSON is nested too deeply"});
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  // nlohmann takes a NUL byte for the end of the input, so "{}\0anything" would pass as {}; JSON text
  // never holds one (inside a string it is written \u0000).
  if (parsed.is_discarded() || body.find('\0') != std::string::npos)
    return bad({"请求内容不是有效的 JSON（或含有无效的 UTF-8 字符）", "the request body is not valid JSON (or not valid UTF-8)"});
  if (!parsed.is_object()) return bad({"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  return parsed;
}

}  // namespace kehu::server
