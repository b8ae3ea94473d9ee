#include "core/query/customer_timeline.h"

#include "core/query/list_query.h"
#include "core/store/record_store.h"
#include "core/text/base64url.h"

namespace kehu {

using nlohmann::json;

namespace {

struct Kind {
  const EntityDef* entity;
  const char* at;  // the item's time, an expression over alias r
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> kKinds = {
      {&activities_def(), "coalesce(r.start_at, r.created_at)"},
      {&emails_def(), "coalesce(r.at, r.created_at)"},
      {&tickets_def(), "r.created_at"},
      {&orders_def(), "coalesce(r.order_date, r.created_at)"},
      {&contracts_def(), "coalesce(r.signed_date, r.created_at)"},
  };
  return kKinds;
}

}  // namespace

Result<TimelinePage> read_customer_timeline(Database& db, int64_t customer_id, const Viewer& viewer,
                                            const std::multimap<std::string, std::string>& params) {
  int64_t limit = kDefaultListLimit;
  json cursor;
  for (const auto& [name, value] : params) {
    if (params.count(name) > 1) return bad_query_param(name, {"参数重复", "given more than once"});
    if (name == "limit") {
      if (!parse_query_int(value, limit) || limit < 1 || limit > kMaxListLimit)
        return bad_query_param(name, {"应为 1 到 500 之间的整数", "must be a whole number from 1 to 500"});
    } else if (name == "cursor") {
      auto raw = base64url_decode(value);
      cursor = raw ? json::parse(*raw, nullptr, false) : json();
      if (!cursor.is_array() || cursor.size() != 3 || !cursor[0].is_string() || !cursor[1].is_string() || !cursor[2].is_number_integer())
        return bad_query_param(name, {"分页标记无效，请从第一页重新开始", "the page cursor is invalid; start again from the first page"});
    } else {
      return bad_query_param(name, {"未知参数", "unknown parameter"});
    }
  }
  auto customer = get_visible_record(db, customers_def(), customer_id, viewer);
  if (!customer.ok()) return customer.take_error();

  std::string sql;
  std::vector<SqlValue> args;
  for (const Kind& k : kinds()) {
    ScopeCondition scope = scope_condition(*k.entity, viewer, Action::read, "r");
    if (scope.nothing()) continue;
    sql += (sql.empty() ? "" : " UNION ALL ") + std::string("SELECT '") + k.entity->name + "' AS entity, r.id AS id, " + k.at +
           " AS at FROM " + k.entity->name + " AS r INDEXED BY " + k.entity->name + "_customer_id WHERE r.customer_id = ? AND " + scope.sql;
    args.push_back(customer_id);
    args.insert(args.end(), scope.args.begin(), scope.args.end());
  }
  TimelinePage page;
  if (sql.empty()) return page;
  // Newest first; within one time by kind, then newest id: a total order, so a cursor resumes exactly.
  std::string where;
  if (cursor.is_array()) {
    where = " WHERE at < ? OR (at = ? AND (entity > ? OR (entity = ? AND id < ?)))";
    const std::string at = cursor[1].get<std::string>(), entity = cursor[0].get<std::string>();
    args.insert(args.end(), {at, at, entity, entity, cursor[2].get<int64_t>()});
  }
  args.push_back(limit + 1);
  auto st = db.prepare("SELECT entity, id, at FROM (" + sql + ")" + where + " ORDER BY at DESC, entity, id DESC LIMIT ?");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  std::vector<std::tuple<std::string, int64_t, std::string>> rows;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    rows.emplace_back(std::string((*st)->column_text(0)), (*st)->column_int(1), std::string((*st)->column_text(2)));
  }
  st->reset();
  if (static_cast<int64_t>(rows.size()) > limit) {
    rows.resize(limit);
    const auto& [entity, id, at] = rows.back();
    page.next_cursor = base64url_encode(json::array({entity, at, id}).dump());
  }
  for (const auto& [entity, id, at] : rows) {
    auto record = get_record(db, *find_entity(entity), id);
    if (!record.ok()) return record.take_error();
    page.items.push_back({{"entity", entity}, {"id", id}, {"at", at}, {"record", std::move(*record)}});
  }
  return page;
}

}  // namespace kehu
