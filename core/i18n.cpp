#include "core/i18n.h"

#include <cctype>
#include <cstdlib>

#include "core/result.h"

namespace kehu {

Lang parse_accept_language(std::string_view header, Lang fallback) {
  // "en-US,en;q=0.9,zh-CN;q=0.8" — take the supported language with the highest q.
  double best_q = -1;
  Lang best = fallback;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    size_t semi = item.find(';');
    std::string_view tag = item.substr(0, semi);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    double q = 1.0;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      size_t qp = params.find("q=");
      if (qp != std::string_view::npos) q = std::atof(std::string(params.substr(qp + 2)).c_str());
    }
    if (tag.size() >= 2) {
      char a = static_cast<char>(std::tolower(static_cast<unsigned char>(tag[0])));
      char b = static_cast<char>(std::tolower(static_cast<unsigned char>(tag[1])));
      bool prefix_ok = tag.size() == 2 || tag[2] == '-' || tag[2] == '_';
      if (prefix_ok && q > best_q) {
        if (a == 'z' && b == 'h') { best = Lang::zh; best_q = q; }
        else if (a == 'e' && b == 'n') { best = Lang::en; best_q = q; }
      }
    }
    if (end == header.size()) break;
  }
  return best;
}

const char* lang_tag(Lang lang) { return lang == Lang::zh ? "zh-CN" : "en"; }

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::invalid_credentials: return "invalid_credentials";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::duplicate: return "duplicate";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::validation: return "validation";
    case ErrorCode::insufficient_stock: return "insufficient_stock";
    case ErrorCode::invalid_transition: return "invalid_transition";
    case ErrorCode::in_use: return "in_use";
    case ErrorCode::throttled: return "throttled";
    case ErrorCode::busy: return "busy";
    case ErrorCode::storage: return "storage";
  }
  return "storage";
}

}  // namespace kehu
