#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

std::string field_text(const Ui& ui, LocalCache& cache, const EntityDef& entity, const std::string& field,
                       const json& record) {
  json v = record.value(field, json());
  if (v.is_null()) return "";
  const FieldDef* f = entity.field(field);
  if (!f) {  // a system column: timestamps read to the minute
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (s.size() >= 16) return s.substr(0, 10) + " " + s.substr(11, 5);
      return s;
    }
    return v.dump();
  }
  switch (f->type) {
    case FieldType::enumerated:
      return v.is_string() ? ui.tr(value_label(*f, v.get<std::string>())) : "";
    case FieldType::reference:
      if (f->ref_table == "users" && v.is_number_integer()) return cache.user_name(v.get<int64_t>());
      return v.dump();
    case FieldType::boolean:
      return v.is_boolean() && v.get<bool>() ? ui.tr("是", "yes") : ui.tr("否", "no");
    case FieldType::string_list: {
      std::string out;
      if (v.is_array())
        for (const auto& t : v) out += (out.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
      return out;
    }
    case FieldType::datetime:
      return v.is_string() && v.get<std::string>().size() >= 16
                 ? v.get<std::string>().substr(0, 10) + " " + v.get<std::string>().substr(11, 5)
                 : (v.is_string() ? v.get<std::string>() : v.dump());
    default:
      return v.is_string() ? v.get<std::string>() : v.dump();
  }
}

std::string value_to_edit_text(const FieldDef& field, const json& value) {
  if (value.is_null()) return "";
  if (field.type == FieldType::string_list && value.is_array()) {
    std::string out;
    for (const auto& t : value) out += (out.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
    return out;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

json edit_text_to_value(const FieldDef& field, const std::string& text) {
  if (text.empty()) return nullptr;
  switch (field.type) {
    case FieldType::string_list: {
      std::string normalized = text;  // the Chinese comma separates too
      for (size_t at = normalized.find("，"); at != std::string::npos; at = normalized.find("，", at))
        normalized.replace(at, std::string("，").size(), ",");
      json out = json::array();
      size_t start = 0;
      for (;;) {
        size_t comma = normalized.find(',', start);
        std::string part = normalized.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!part.empty() && part.front() == ' ') part.erase(part.begin());
        while (!part.empty() && part.back() == ' ') part.pop_back();
        if (!part.empty()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return out;
    }
    case FieldType::integer:
    case FieldType::reference: {
      json parsed = json::parse(text, nullptr, false);
      return parsed.is_discarded() ? json(text) : parsed;  // validation names the bad value
    }
    default:
      return text;
  }
}

}  // namespace kehu::client
