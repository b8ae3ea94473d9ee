#include "core/audit/audit_query.h"

#include "core/clock.h"
#include "core/query/list_query.h"

namespace kehu {

using nlohmann::json;

namespace {

bool whole_number(const std::string& s, int64_t& out) { return parse_query_int(s, out) && out >= 0; }

}  // namespace

Result<AuditPage> read_audit(Database& db, const std::multimap<std::string, std::string>& params) {
  std::string where = " WHERE 1";
  std::vector<SqlValue> args;
  int64_t limit = kDefaultListLimit;
  for (const auto& [name, value] : params) {
    if (params.count(name) > 1) return bad_query_param(name, {"参数重复", "given more than once"});
    int64_t n = 0;
    if (name == "entity" || name == "action") {
      if (value.empty() || value.size() > 40) return bad_query_param(name, {"应为 1-40 个字符", "must be 1-40 characters"});
      where += " AND " + name + " = ?";
      args.push_back(value);
    } else if (name == "entity_id" || name == "user_id") {
      if (!whole_number(value, n)) return bad_query_param(name, {"应为整数", "must be a whole number"});
      where += " AND " + name + " = ?";
      args.push_back(n);
    } else if (name == "from" || name == "to") {
      bool date = is_valid_date(value);
      int64_t ms = date ? -1 : parse_rfc3339_ms(value);
      if (!date && ms < 0)
        return bad_query_param(name, {"应为日期（2026-11-22）或时间（2026-11-22T09:30:00Z）", "must be a date (2026-11-22) or a time (2026-11-22T09:30:00Z)"});
      std::string bound = date ? value : format_rfc3339_ms(ms);
      if (name == "to" && date) bound += "T24";
      where += name == "from" ? " AND at >= ?" : (date ? " AND at < ?" : " AND at <= ?");
      args.push_back(bound);
    } else if (name == "limit") {
      if (!whole_number(value, n) || n < 1 || n > kMaxListLimit)
        return bad_query_param(name, {"应为 1 到 500 之间的整数", "must be a whole number from 1 to 500"});
      limit = n;
    } else if (name == "cursor") {
      if (!whole_number(value, n)) return bad_query_param(name, {"分页标记无效，请从第一页重新开始", "the page cursor is invalid; start again from the first page"});
      where += " AND id < ?";
      args.push_back(n);
    } else {
      return bad_query_param(name, {"未知参数", "unknown parameter"});
    }
  }
  // By entity and record, or by user, the matching index serves the newest-first walk; otherwise the
  // primary key does.
  auto st = db.prepare("SELECT id, at, user_id, action, entity, entity_id, changes, ip FROM audit" + where +
                       " ORDER BY id DESC LIMIT ?");
  if (!st.ok()) return st.take_error();
  args.push_back(limit + 1);
  (*st)->bind_all(args);
  AuditPage page;
  auto nullable_int = [](const Statement& r, int i) { return r.column_type(i) == ColumnType::null ? json(nullptr) : json(r.column_int(i)); };
  auto nullable_text = [](const Statement& r, int i) {
    return r.column_type(i) == ColumnType::null ? json(nullptr) : json(std::string(r.column_text(i)));
  };
  for (int64_t count = 0;; ++count) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    const Statement& r = **st;
    if (count == limit) {
      page.next_cursor = std::to_string(page.items.back()["id"].get<int64_t>());
      st->reset();
      break;
    }
    json changes = r.column_type(6) == ColumnType::null ? json(nullptr) : json::parse(r.column_text(6), nullptr, false);
    page.items.push_back({{"id", r.column_int(0)},
                          {"at", std::string(r.column_text(1))},
                          {"user_id", nullable_int(r, 2)},
                          {"action", std::string(r.column_text(3))},
                          {"entity", nullable_text(r, 4)},
                          {"entity_id", nullable_int(r, 5)},
                          {"changes", changes.is_discarded() ? json(nullptr) : changes},
                          {"ip", nullable_text(r, 7)}});
  }
  return page;
}

}  // namespace kehu
