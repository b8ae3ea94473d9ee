#include "core/sync/server_events.h"

namespace kehu {

std::vector<ServerEvent> ServerEventParser::feed(std::string_view bytes) {
  std::vector<ServerEvent> out;
  for (char c : bytes) {
    if (c == '\n' && after_cr_) {
      after_cr_ = false;
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
      line(pending_, out);
      pending_.clear();
    } else {
      pending_ += c;
    }
  }
  return out;
}

void ServerEventParser::line(std::string_view text, std::vector<ServerEvent>& out) {
  if (text.empty()) {  // the blank line: the message is complete
    if (has_field_ && (has_data_ || !name_.empty())) out.push_back({name_.empty() ? "message" : name_, data_});
    name_.clear();
    data_.clear();
    has_data_ = has_field_ = false;
    return;
  }
  if (text[0] == ':') return;  // a comment
  size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  has_field_ = true;
  if (field == "event") {
    name_ = value;
  } else if (field == "data") {
    if (has_data_) data_ += '\n';
    data_ += value;
    has_data_ = true;
  }
}

}  // namespace kehu
