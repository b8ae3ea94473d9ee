#include "web/screens/record_text.h"

#include <algorithm>
#include <optional>

#include "core/clock.h"
#include "core/settings/field_options.h"

namespace kehu::client {

using nlohmann::json;

const FieldDef* title_field(const EntityDef& entity) {
  for (const char* name : {"name", "title", "subject", "display_name", "username"})
    if (const FieldDef* f = entity.field(name)) return f;
  return nullptr;
}

std::string record_title(const EntityDef& entity, const json& record) {
  for (const FieldDef* f : {title_field(entity), entity.field("code")}) {
    if (!f) continue;
    const json v = record.value(f->name, json());
    if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
  }
  return "#" + std::to_string(record.value("id", int64_t{0}));
}

std::string local_time_text(const Ui& ui, const std::string& rfc3339) {
  const int64_t ms = parse_rfc3339_ms(rfc3339);
  if (ms < 0) return rfc3339;
  const std::string local = format_rfc3339_ms(ms + int64_t{ui.utc_offset()} * 60000);
  return local.substr(0, 10) + " " + local.substr(11, 5);
}

std::string money_text(int64_t minor) {
  const bool negative = minor < 0;
  const uint64_t v = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string whole = std::to_string(v / 100), out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  const unsigned cents = static_cast<unsigned>(v % 100);
  return (negative ? "-" : "") + out + "." + std::to_string(cents / 10) + std::to_string(cents % 10);
}

std::string field_text(const Ui& ui, LocalCache& cache, const EntityDef& entity, const std::string& field,
                       const json& record) {
  json v = record.value(field, json());
  if (v.is_null()) return "";
  const FieldDef* f = entity.field(field);
  if (!f) {  // a system column: timestamps read to the minute
    if (v.is_string()) return local_time_text(ui, v.get<std::string>());
    return v.dump();
  }
  switch (f->type) {
    case FieldType::enumerated:
      return v.is_string() ? ui.tr(option_label(cache.settings(), entity, *f, v.get<std::string>())) : "";
    case FieldType::reference: {
      if (!v.is_number_integer()) return v.dump();
      if (f->ref_table == "users") return cache.user_name(v.get<int64_t>());
      const EntityDef* target = find_entity(f->ref_table);
      if (!target) return v.dump();
      auto row = cache.record(*target, v.get<int64_t>());
      if (!row.ok() || !row->has_value()) return "#" + v.dump();
      return record_title(*target, **row);
    }
    case FieldType::integer:
      if (f->format == TextFormat::money && v.is_number_integer()) return money_text(v.get<int64_t>());
      return v.dump();
    case FieldType::item_list:
      return v.is_array() ? std::to_string(v.size()) + ui.tr(" 行", v.size() == 1 ? " line" : " lines") : "";
    case FieldType::boolean:
      return v.is_boolean() && v.get<bool>() ? ui.tr("是", "yes") : ui.tr("否", "no");
    case FieldType::string_list: {
      std::string out;
      if (v.is_array())
        for (const auto& t : v) out += (out.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
      return out;
    }
    case FieldType::datetime:
      return v.is_string() ? local_time_text(ui, v.get<std::string>()) : v.dump();
    default:
      return v.is_string() ? v.get<std::string>() : v.dump();
  }
}

std::string custom_field_text(const Ui& ui, const CustomField& field, const json& record) {
  const json custom = record.value("custom", json());
  const json v = custom.is_object() ? custom.value(field.key, json()) : json();
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? ui.tr("是", "yes") : ui.tr("否", "no");
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string value_to_edit_text(const FieldDef& field, const json& value, int utc_offset_minutes) {
  if (value.is_null()) return "";
  if (field.type == FieldType::datetime && value.is_string()) {
    const int64_t ms = parse_rfc3339_ms(value.get<std::string>());
    if (ms < 0) return value.get<std::string>();
    const std::string local = format_rfc3339_ms(ms + int64_t{utc_offset_minutes} * 60'000);
    return local.substr(0, 10) + " " + local.substr(11, 5);
  }
  if (field.format == TextFormat::money && value.is_number_integer()) {
    std::string text = money_text(value.get<int64_t>());
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
    return text;
  }
  if (field.type == FieldType::string_list && value.is_array()) {
    std::string out;
    for (const auto& t : value) out += (out.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
    return out;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

namespace {

// "12,500.5" / "12500.50" / "￥12500" -> 1250050 minor units; nullopt for anything else.
std::optional<int64_t> parse_money(std::string text) {
  for (const char* drop : {",", "，", "¥", "￥", " "})
    for (size_t at = text.find(drop); at != std::string::npos; at = text.find(drop)) text.erase(at, std::string(drop).size());
  if (text.empty() || text.size() > 16) return std::nullopt;
  int64_t whole = 0, cents = 0;
  int decimals = -1;
  for (char c : text) {
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (decimals < 0) {
      whole = whole * 10 + (c - '0');
    } else {
      if (++decimals > 2) return std::nullopt;
      cents = cents * 10 + (c - '0');
    }
  }
  if (decimals == 1) cents *= 10;
  return whole * 100 + cents;
}

}  // namespace

json edit_text_to_value(const FieldDef& field, const std::string& text, int utc_offset_minutes) {
  if (text.empty()) return nullptr;
  switch (field.type) {
    case FieldType::datetime: {
      if (parse_rfc3339_ms(text) >= 0) return text;  // a full time with its offset
      // Local "YYYY-MM-DD HH:MM" (or a "T" between, or a date alone: its midnight).
      std::string t = text;
      while (!t.empty() && t.back() == ' ') t.pop_back();
      if (t.size() == 10) t += " 00:00";
      if (t.size() == 16) {
        const int64_t ms = parse_rfc3339_ms(t.substr(0, 10) + "T" + t.substr(11) + ":00Z");
        if (ms >= 0 && (t[10] == ' ' || t[10] == 'T')) return format_rfc3339_ms(ms - int64_t{utc_offset_minutes} * 60'000);
      }
      return text;  // validation names the bad value
    }
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
      if (field.format == TextFormat::money) {
        if (auto minor = parse_money(text)) return *minor;
        return text;  // validation names the bad value
      }
      [[fallthrough]];
    case FieldType::reference: {
      json parsed = json::parse(text, nullptr, false);
      return parsed.is_discarded() ? json(text) : parsed;  // validation names the bad value
    }
    default:
      return text;
  }
}

}  // namespace kehu::client
