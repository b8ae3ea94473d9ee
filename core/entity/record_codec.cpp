#include "core/entity/record_codec.h"

namespace kehu {

using nlohmann::json;

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
      out[f.name] = f.type == FieldType::string_list ? json::array() : f.type == FieldType::object ? json::object() : json(nullptr);
    } else {
      switch (f.type) {
        case FieldType::integer:
        case FieldType::reference: out[f.name] = st.column_int(i); break;
        case FieldType::boolean: out[f.name] = st.column_int(i) != 0; break;
        case FieldType::string_list:
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

SqlValue field_to_sql(const FieldDef& f, const json& v) {
  if (v.is_null()) {
    if (f.type == FieldType::string_list) return std::string("[]");
    if (f.type == FieldType::object) return std::string("{}");
    if (f.type == FieldType::boolean) return int64_t{0};
    return nullptr;
  }
  switch (f.type) {
    case FieldType::integer:
    case FieldType::reference: return v.get<int64_t>();
    case FieldType::boolean: return int64_t{v.get<bool>() ? 1 : 0};
    case FieldType::string_list:
    case FieldType::object: return v.dump();
    default: return v.get<std::string>();
  }
}

}  // namespace kehu
