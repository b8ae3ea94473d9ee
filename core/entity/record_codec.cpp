#include "core/entity/record_codec.h"

#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

namespace {
// Fields stored as a JSON array; NULL reads as [].
bool is_list(const FieldDef& f) { return f.type == FieldType::string_list || f.type == FieldType::item_list; }
}  // namespace

std::string record_columns(const EntityDef& entity, const std::string& q) {
  std::string out;
  for (const auto& c : system_columns()) out += (out.empty() ? "" : ", ") + q + c;
  for (const auto& f : entity.fields) out += ", " + q + f.name;
  return out;
}

json row_to_json(const EntityDef& entity, const Statement& st, int first) {
  json out = json::object();
  int i = first;
  for (const auto& c : system_columns()) {
    if (st.column_type(i) == ColumnType::null) out[c] = nullptr;
    else if (st.column_type(i) == ColumnType::integer) out[c] = st.column_int(i);
    else out[c] = std::string(st.column_text(i));
    ++i;
  }
  for (const auto& f : entity.fields) {
    if (st.column_type(i) == ColumnType::null) {
      out[f.name] = is_list(f) ? json::array() : f.type == FieldType::object ? json::object() : json(nullptr);
    } else {
      switch (f.type) {
        case FieldType::integer:
        case FieldType::reference: out[f.name] = st.column_int(i); break;
        case FieldType::boolean: out[f.name] = st.column_int(i) != 0; break;
        case FieldType::string_list:
        case FieldType::item_list:
        case FieldType::object: {
          json parsed = json::parse(st.column_text(i), nullptr, false);
          out[f.name] = parsed.is_discarded() ? (f.type == FieldType::object ? json::object() : json::array()) : parsed;
          break;
        }
        default: out[f.name] = std::string(st.column_text(i));
      }
    }
    ++i;
  }
  return out;
}

int record_column_index(const EntityDef& entity, const std::string& column) {
  const auto& sys = system_columns();
  for (size_t i = 0; i < sys.size(); ++i)
    if (sys[i] == column) return static_cast<int>(i);
  for (size_t i = 0; i < entity.fields.size(); ++i)
    if (entity.fields[i].name == column) return static_cast<int>(sys.size() + i);
  return -1;
}

void append_json_string(std::string& out, std::string_view s) {
  if (!is_valid_utf8(s)) {  // only data written around core's validation can get here
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_row_json(const EntityDef& entity, const Statement& st, std::string& out, int first) {
  out += '{';
  int i = first;
  auto key = [&](const std::string& name) {
    if (out.back() != '{') out += ',';
    out += '"';
    out += name;  // column names are plain ASCII identifiers
    out += "\":";
  };
  for (const auto& c : system_columns()) {
    key(c);
    if (st.column_type(i) == ColumnType::null) out += "null";
    else if (st.column_type(i) == ColumnType::integer) out += std::to_string(st.column_int(i));
    else append_json_string(out, st.column_text(i));
    ++i;
  }
  for (const auto& f : entity.fields) {
    key(f.name);
    bool null = st.column_type(i) == ColumnType::null;
    switch (f.type) {
      case FieldType::string_list:
      case FieldType::item_list:
      case FieldType::object: {
        std::string_view text = null ? std::string_view() : st.column_text(i);
        // Stored by field_to_sql() as JSON; anything unreadable shows as empty, as in row_to_json().
        if (!null && json::accept(text)) out += text;
        else out += f.type == FieldType::object ? "{}" : "[]";
        break;
      }
      case FieldType::integer:
      case FieldType::reference:
        out += null ? "null" : std::to_string(st.column_int(i));
        break;
      case FieldType::boolean:
        out += null ? "null" : (st.column_int(i) != 0 ? "true" : "false");
        break;
      default:
        if (null) out += "null";
        else append_json_string(out, st.column_text(i));
    }
    ++i;
  }
  out += '}';
}

SqlValue field_to_sql(const FieldDef& f, const json& v) {
  if (v.is_null()) {
    if (is_list(f)) return std::string("[]");
    if (f.type == FieldType::object) return std::string("{}");
    if (f.type == FieldType::boolean) return int64_t{0};
    return nullptr;
  }
  switch (f.type) {
    case FieldType::integer:
    case FieldType::reference: return v.get<int64_t>();
    case FieldType::boolean: return int64_t{v.get<bool>() ? 1 : 0};
    case FieldType::string_list:
    case FieldType::item_list:
    case FieldType::object: return v.dump();
    default: return v.get<std::string>();
  }
}

}  // namespace kehu
