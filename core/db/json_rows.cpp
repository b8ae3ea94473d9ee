#include "core/db/json_rows.h"

#include <string>

namespace kehu {

Result<nlohmann::json> query_json_rows(Database& db, std::string_view sql, const std::vector<SqlValue>& args) {
  auto st = db.prepare(sql);
  if (!st.ok()) return st.take_error();
  Statement& s = **st;
  s.bind_all(args);
  std::vector<std::string> names;
  for (int c = 0; c < s.column_count(); ++c) names.emplace_back(s.column_name(c));
  nlohmann::json out = nlohmann::json::array();
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    nlohmann::json item = nlohmann::json::object();
    for (int c = 0; c < static_cast<int>(names.size()); ++c) {
      switch (s.column_type(c)) {
        case ColumnType::null: item[names[c]] = nullptr; break;
        case ColumnType::integer: item[names[c]] = s.column_int(c); break;
        case ColumnType::real: item[names[c]] = s.column_double(c); break;
        case ColumnType::text: item[names[c]] = std::string(s.column_text(c)); break;
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace kehu
