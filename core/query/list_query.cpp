#include "core/query/list_query.h"

#include <cstdlib>
#include <functional>

#include "core/clock.h"
#include "core/entity/record_codec.h"
#include "core/search/search_index.h"
#include "core/text/base64url.h"
#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

Error bad_query_param(const std::string& name, Text why) {
  Error e = Error::make(ErrorCode::bad_request, {"查询参数有误：" + name, "invalid query parameter: " + name});
  e.fields[name] = std::move(why);
  return e;
}

bool parse_query_int(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t k = i; k < s.size(); ++k)
    if (s[k] < '0' || s[k] > '9') return false;
  out = std::strtoll(s.c_str(), nullptr, 10);
  return true;
}

namespace {

// "at_to" ends with "_to" and names the column "at": the name is longer than the suffix.
bool ends_with_suffix(const std::string& name, std::string_view suffix) {
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}


bool is_date_or_time(const std::string& v) { return is_valid_date(v) || parse_rfc3339_ms(v) >= 0; }

// Column type for sort values in cursors: text columns compare as text, ids as integers.
bool is_integer_column(const EntityDef& entity, const std::string& column) {
  if (column == "id" || column == "rev") return true;
  const FieldDef* f = entity.field(column);
  return f && (f->type == FieldType::integer || f->type == FieldType::reference || f->type == FieldType::boolean);
}

std::string encode_cursor(const std::string& sort, const json& value, int64_t id) {
  return base64url_encode(json::array({sort, value, id}).dump());
}

Status add_range_filter(ListQuery& query, const std::string& column, const std::string& param, bool from,
                        const std::string& value) {
  if (!is_date_or_time(value))
    return bad_query_param(param, {"应为日期（2026-11-22）或时间（2026-11-22T09:30:00Z）", "must be a date (2026-11-22) or a time (2026-11-22T09:30:00Z)"});
  // Stored times are "YYYY-MM-DDTHH:MM:SS.mmmZ"; a time bound is brought to that form (offsets applied)
  // so text order is time order. A bare date in _to takes "T24": after every time on that day.
  std::string bound = is_valid_date(value) ? value : format_rfc3339_ms(parse_rfc3339_ms(value));
  if (!from && is_valid_date(value)) bound += "T24";
  query.filters.push_back({"r." + column + (from ? " >= ?" : (is_valid_date(value) ? " < ?" : " <= ?")), {bound}});
  return ok_status();
}

// `name`=`value` on a whole-number or reference column: one number, "null" (no value), or a
// comma-separated list of them, any of which matches (owner_id=3,5,null: the orders of reps 3 and 5 and
// those of no one). At most kMaxFilterValues, so a filter stays a short statement.
Status whole_numbers_or_null(ListQuery& query, const std::string& name, const std::string& value) {
  constexpr size_t kMaxFilterValues = 500;
  std::string in;
  std::vector<SqlValue> args;
  bool null = false;
  size_t count = 0;
  for (size_t pos = 0;;) {
    const size_t comma = value.find(',', pos);
    const std::string item = value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    int64_t n;
    if (item == "null") null = true;
    else if (parse_query_int(item, n)) in += in.empty() ? "?" : ", ?", args.push_back(n);
    else return bad_query_param(name, {"应为整数或 null，多个用逗号分隔", "must be a whole number or null, several separated by commas"});
    if (++count > kMaxFilterValues) return bad_query_param(name, {"最多 500 个值", "takes at most 500 values"});
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  const std::string column = "r." + name;
  if (in.empty()) query.filters.push_back({column + " IS NULL", {}});
  else if (!null) query.filters.push_back({column + " IN (" + in + ")", std::move(args)});
  else query.filters.push_back({"(" + column + " IN (" + in + ") OR " + column + " IS NULL)", std::move(args)});
  return ok_status();
}

}  // namespace

Result<ListQuery> parse_list_query(const EntityDef& entity, const std::multimap<std::string, std::string>& params,
                                   const Viewer& viewer, const std::map<std::string, std::vector<std::string>>* filter_values) {
  ListQuery query;
  ScopeCondition scope = scope_condition(entity, viewer, Action::read, "r");
  if (!scope.everything()) query.filters.push_back({scope.sql, scope.args});
  std::string cursor_text;
  for (const auto& [name, value] : params) {
    if (params.count(name) > 1) return bad_query_param(name, {"参数重复", "given more than once"});
    if (!is_valid_utf8(value)) return bad_query_param(name, {"不是有效的 UTF-8 文本", "is not valid UTF-8"});
    if (name == "q") {
      if (!is_searchable(entity)) return bad_query_param(name, {"这个列表不支持搜索，请用筛选", "this list cannot be searched; use the filters"});
      query.q = value;
    } else if (name == "limit") {
      int64_t n;
      if (!parse_query_int(value, n) || n < 1 || n > kMaxListLimit)
        return bad_query_param(name, {"应为 1 到 500 之间的整数", "must be a whole number from 1 to 500"});
      query.limit = static_cast<int>(n);
    } else if (name == "sort") {
      std::string field = value;
      bool desc = !field.empty() && field[0] == '-';
      if (desc) field.erase(0, 1);
      const FieldDef* f = entity.field(field);
      if (!is_sortable_system_column(field) && !(f && f->sortable))
        return bad_query_param(name, {"不能按该字段排序：" + field, "cannot sort by " + field});
      query.sort_field = field;
      query.descending = desc;
    } else if (name == "cursor") {
      cursor_text = value;
    } else if (name == "tag") {
      if (!entity.field("tags")) return bad_query_param(name, {"未知参数", "unknown parameter"});
      query.filters.push_back({"EXISTS (SELECT 1 FROM json_each(r.tags) WHERE value = ?)", {value}});
    } else if (name.rfind("custom.", 0) == 0) {
      std::string key = name.substr(7);
      bool key_ok = !key.empty() && key.size() <= 64;
      for (char c : key) key_ok = key_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
      if (!entity.field("custom") || !key_ok) return bad_query_param(name, {"未知的自定义字段", "unknown custom field"});
      query.filters.push_back({"json_extract(r.custom, ?) = ?", {"$." + key, value}});
    } else if (ends_with_suffix(name, "_from") || ends_with_suffix(name, "_to")) {
      const bool from = ends_with_suffix(name, "_from");
      std::string column = name.substr(0, name.size() - (from ? 5 : 3));
      const FieldDef* f = entity.field(column);
      bool ok = column == "created_at" || column == "updated_at" ||
                (f && f->filterable && (f->type == FieldType::date || f->type == FieldType::datetime));
      if (!ok) return bad_query_param(name, {"未知参数", "unknown parameter"});
      KEHU_TRY(add_range_filter(query, column, name, from, value));
    } else {
      const FieldDef* f = entity.field(name);
      if (!f || !f->filterable) return bad_query_param(name, {"未知参数或不能按此筛选", "unknown parameter or not filterable"});
      switch (f->type) {
        case FieldType::reference:
        case FieldType::integer: {
          auto any_of = whole_numbers_or_null(query, name, value);
          if (!any_of.ok()) return any_of.take_error();
          break;
        }
        case FieldType::boolean:
          if (value != "true" && value != "false") return bad_query_param(name, {"应为 true 或 false", "must be true or false"});
          query.filters.push_back({"r." + name + " = ?", {int64_t{value == "true" ? 1 : 0}}});
          break;
        case FieldType::enumerated: {
          std::string in;
          std::vector<SqlValue> args;
          size_t pos = 0;
          while (pos <= value.size()) {
            size_t comma = value.find(',', pos);
            std::string item = value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            auto configured = filter_values ? filter_values->find(name) : decltype(filter_values->end())();
            const auto& allowed = filter_values && configured != filter_values->end() ? configured->second : f->values;
            if (std::find(allowed.begin(), allowed.end(), item) == allowed.end())
              return bad_query_param(name, {"不是有效的选项：" + item, "not a valid option: " + item});
            in += in.empty() ? "?" : ", ?";
            args.push_back(item);
            if (comma == std::string::npos) break;
            pos = comma + 1;
          }
          query.filters.push_back({"r." + name + " IN (" + in + ")", args});
          break;
        }
        case FieldType::date:
          if (!is_valid_date(value)) return bad_query_param(name, {"应为日期（2026-11-22）", "must be a date (2026-11-22)"});
          query.filters.push_back({"r." + name + " = ?", {value}});
          break;
        case FieldType::datetime:
          if (parse_rfc3339_ms(value) < 0)
            return bad_query_param(name, {"应为时间，例如 2026-11-22T09:30:00Z", "must be a time like 2026-11-22T09:30:00Z"});
          query.filters.push_back({"r." + name + " = ?", {format_rfc3339_ms(parse_rfc3339_ms(value))}});
          break;
        default:
          query.filters.push_back({"r." + name + " = ?", {value}});
      }
    }
  }
  if (!cursor_text.empty()) {
    Error bad_cursor = bad_query_param("cursor", {"分页标记无效或不属于这个列表，请从第一页重新开始",
                                            "the page cursor is invalid or belongs to another list; start again from the first page"});
    auto raw = base64url_decode(cursor_text);
    if (!raw) return bad_cursor;
    json c = json::parse(*raw, nullptr, false);
    std::string sort_key = (query.descending ? "-" : "") + query.sort_field;
    if (!c.is_array() || c.size() != 3 || c[0] != sort_key || !c[2].is_number_integer()) return bad_cursor;
    const json& v = c[1];
    if (v.is_null()) query.cursor_value = nullptr;
    else if (is_integer_column(entity, query.sort_field) && v.is_number_integer()) query.cursor_value = v.get<int64_t>();
    else if (!is_integer_column(entity, query.sort_field) && v.is_string()) query.cursor_value = v.get<std::string>();
    else return bad_cursor;
    query.has_cursor = true;
    query.cursor_id = c[2].get<int64_t>();
  }
  auto plan = plan_search(query.q);
  if (!plan.ok()) return plan.take_error();
  query.plan = std::move(plan).value();
  return query;
}

namespace {

// FROM/WHERE shared by the page and the count. `drive_by_fts` makes the FTS table the outer loop,
// which lets SQLite walk it in rowid order and stop early; only used for the id order.
struct FromWhere {
  std::string from;
  std::vector<std::string> conditions;
  std::vector<SqlValue> args;
  std::string id_column = "r.id";
  bool empty_result = false;
};

FromWhere build_from_where(const EntityDef& entity, const ListQuery& query, const SearchPlan& plan, bool drive_by_fts) {
  FromWhere fw;
  fw.from = entity.name + " AS r";
  if (plan.matches_nothing) fw.empty_result = true;
  std::string tri = entity.name + "_tri", ngram = entity.name + "_ngram";
  bool use_tri = !plan.trigram_match.empty(), use_ngram = !plan.ngram_match.empty();
  if (drive_by_fts && (use_tri || use_ngram)) {
    const std::string& table = use_tri ? tri : ngram;
    fw.from = table + " AS f JOIN " + entity.name + " AS r ON r.id = f.rowid";
    fw.id_column = "f.rowid";
    fw.conditions.push_back("f." + table + " MATCH ?");
    fw.args.push_back(use_tri ? plan.trigram_match : plan.ngram_match);
    if (use_tri && use_ngram) {
      fw.conditions.push_back("r.id IN (SELECT rowid FROM " + ngram + " WHERE " + ngram + " MATCH ?)");
      fw.args.push_back(plan.ngram_match);
    }
  } else {
    if (use_tri) {
      fw.conditions.push_back("r.id IN (SELECT rowid FROM " + tri + " WHERE " + tri + " MATCH ?)");
      fw.args.push_back(plan.trigram_match);
    }
    if (use_ngram) {
      fw.conditions.push_back("r.id IN (SELECT rowid FROM " + ngram + " WHERE " + ngram + " MATCH ?)");
      fw.args.push_back(plan.ngram_match);
    }
  }
  for (const auto& f : query.filters) {
    fw.conditions.push_back(f.sql);
    fw.args.insert(fw.args.end(), f.args.begin(), f.args.end());
  }
  return fw;
}

std::string where_clause(const std::vector<std::string>& conditions) {
  std::string out;
  for (const auto& c : conditions) out += (out.empty() ? " WHERE " : " AND ") + ("(" + c + ")");
  return out;
}

}  // namespace

namespace {

// The page query with `select` as its select list (on alias r).
BuiltSql page_sql_selecting(const EntityDef& entity, const ListQuery& query, const std::string& select) {
  bool by_id = query.sort_field == "id";
  FromWhere fw = build_from_where(entity, query, query.plan, by_id);
  std::string dir = query.descending ? "DESC" : "ASC";
  std::string cmp = query.descending ? "<" : ">";
  std::string sort_col = by_id ? fw.id_column : "r." + query.sort_field;
  if (query.has_cursor) {
    if (by_id) {
      fw.conditions.push_back(fw.id_column + " " + cmp + " ?");
      fw.args.push_back(query.cursor_id);
    } else if (std::holds_alternative<std::nullptr_t>(query.cursor_value)) {
      // NULLs sort first ascending, last descending (SQLite's order).
      if (query.descending) {
        fw.conditions.push_back(sort_col + " IS NULL AND r.id < ?");
      } else {
        fw.conditions.push_back("(" + sort_col + " IS NULL AND r.id > ?) OR " + sort_col + " IS NOT NULL");
      }
      fw.args.push_back(query.cursor_id);
    } else {
      std::string c = sort_col + " " + cmp + " ? OR (" + sort_col + " = ? AND r.id " + cmp + " ?)";
      if (query.descending) c += " OR " + sort_col + " IS NULL";
      fw.conditions.push_back(c);
      fw.args.push_back(query.cursor_value);
      fw.args.push_back(query.cursor_value);
      fw.args.push_back(query.cursor_id);
    }
  }
  std::string order = by_id ? fw.id_column + " " + dir : sort_col + " " + dir + ", r.id " + dir;
  BuiltSql out;
  out.sql = "SELECT " + select + " FROM " + fw.from + where_clause(fw.conditions) + " ORDER BY " + order + " LIMIT ?";
  if (fw.empty_result) out.sql = "SELECT " + select + " FROM " + entity.name + " AS r WHERE 0 LIMIT ?";
  out.args = fw.empty_result ? std::vector<SqlValue>{} : fw.args;
  out.args.push_back(int64_t{query.limit + 1});
  return out;
}

}  // namespace

Result<BuiltSql> build_page_sql(const EntityDef& entity, const ListQuery& query) {
  return page_sql_selecting(entity, query, record_columns(entity, "r."));
}

Result<std::vector<int64_t>> list_ids(Database& db, const EntityDef& entity, const ListQuery& query, int64_t max) {
  const SearchPlan& plan = query.plan;
  BuiltSql built;
  if (!plan.matches_nothing && query.filters.empty() && query.sort_field == "id" &&
      plan.trigram_match.empty() != plan.ngram_match.empty()) {
    // A search alone, in id order: the ids are the FTS table's rowids, in its own order, with no join —
    // the common case of search-as-you-type, and the costly one when a query matches most rows.
    const std::string table = entity.name + (plan.trigram_match.empty() ? "_ngram" : "_tri");
    built.sql = "SELECT rowid FROM " + table + " WHERE " + table + " MATCH ? ORDER BY rowid" +
                (query.descending ? " DESC" : "") + " LIMIT ?";
    built.args = {plan.trigram_match.empty() ? plan.ngram_match : plan.trigram_match, max};
  } else {
    ListQuery all = query;
    all.has_cursor = false;
    built = page_sql_selecting(entity, all, "r.id");
    built.args.back() = max;
  }
  auto st = db.prepare(built.sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(built.args);
  std::vector<int64_t> ids;
  KEHU_TRY((*st)->collect_ints(ids));
  return ids;
}

Result<BuiltSql> build_count_sql(const EntityDef& entity, const ListQuery& query) {
  // The same FROM/WHERE as the page without the cursor, stopping at the cap. Without other filters a
  // search is counted on its FTS table alone (no join).
  const SearchPlan& plan = query.plan;
  BuiltSql out;
  if (plan.matches_nothing) {
    out.sql = "SELECT 0 WHERE ? IS NOT NULL";
  } else if (query.filters.empty() && (plan.trigram_match.empty() != plan.ngram_match.empty())) {
    std::string table = entity.name + (plan.trigram_match.empty() ? "_ngram" : "_tri");
    out.sql = "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + table + " MATCH ? LIMIT ?)";
    out.args = {plan.trigram_match.empty() ? plan.ngram_match : plan.trigram_match};
  } else if (plan.trigram_match.empty() != plan.ngram_match.empty()) {
    // A filtered (or scoped) search: the filters are checked on at most kCountCandidateCap matches.
    const std::string table = entity.name + (plan.trigram_match.empty() ? "_ngram" : "_tri");
    const std::string& match = plan.trigram_match.empty() ? plan.ngram_match : plan.trigram_match;
    const std::string candidates = "SELECT rowid AS id FROM " + table + " WHERE " + table + " MATCH ? LIMIT ?";
    std::vector<std::string> conditions;
    out.args = {match, kCountCandidateCap};
    for (const auto& f : query.filters) {
      conditions.push_back(f.sql);
      out.args.insert(out.args.end(), f.args.begin(), f.args.end());
    }
    out.sql = "SELECT count(*) FROM (SELECT 1 FROM (" + candidates + ") AS f JOIN " + entity.name + " AS r ON r.id = f.id" +
              where_clause(conditions) + " LIMIT ?)";
    out.candidates_sql = "SELECT count(*) FROM (" + candidates + ")";
    out.candidates_args = {match, kCountCandidateCap};
  } else {
    FromWhere fw = build_from_where(entity, query, query.plan, true);
    out.sql = "SELECT count(*) FROM (SELECT 1 FROM " + fw.from + where_clause(fw.conditions) + " LIMIT ?)";
    out.args = fw.args;
  }
  out.args.push_back(kTotalCap + 1);
  return out;
}

namespace {

// Runs the page query, handing each row of the page to `on_row` (the extra row that proves a next page
// exists is not handed on), then sets next_cursor and the capped total on `page`.
Status run_page(Database& db, const EntityDef& entity, const ListQuery& query,
                const std::function<void(const Statement&)>& on_row, ListPage& page) {
  auto built = build_page_sql(entity, query);
  if (!built.ok()) return built.take_error();
  auto st = db.prepare(built->sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(built->args);
  const int sort_index = record_column_index(entity, query.sort_field);
  const bool integer_sort = is_integer_column(entity, query.sort_field);
  json last_value;
  int64_t last_id = 0;
  int rows = 0;
  for (;;) {
    auto r = (*st)->step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) break;
    const Statement& row = **st;
    if (++rows > query.limit) {  // one more than asked: there is a next page
      std::string sort_key = (query.descending ? "-" : "") + query.sort_field;
      page.next_cursor = encode_cursor(sort_key, last_value, last_id);
      break;
    }
    on_row(row);
    last_id = row.column_int(0);
    if (row.column_type(sort_index) == ColumnType::null) last_value = nullptr;
    else if (integer_sort) last_value = row.column_int(sort_index);
    else last_value = std::string(row.column_text(sort_index));
  }
  st->reset();

  auto count_sql = build_count_sql(entity, query);
  if (!count_sql.ok()) return count_sql.take_error();
  auto count = db.query_int(count_sql->sql, count_sql->args);
  if (!count.ok()) return count.take_error();
  page.total = count->value_or(0);
  if (!count_sql->candidates_sql.empty() && page.total <= kTotalCap) {
    auto candidates = db.query_int(count_sql->candidates_sql, count_sql->candidates_args);
    if (!candidates.ok()) return candidates.take_error();
    if (candidates->value_or(0) >= kCountCandidateCap) page.total_exact = false;  // counted among the first matches only
  }
  if (!page.total_exact && page.total < rows) page.total = rows;  // a floor, but never below what is shown
  if (page.total > kTotalCap) {
    page.total = kTotalCap;
    page.total_exact = false;
  }
  return ok_status();
}

}  // namespace

namespace {
// Page and count from one snapshot, so `total` describes the same data as `items`.
Status run_page_in_snapshot(Database& db, const EntityDef& entity, const ListQuery& query,
                            const std::function<void(const Statement&)>& on_row, ListPage& page) {
  auto snapshot = Transaction::begin(db, false);
  if (!snapshot.ok()) return snapshot.take_error();
  KEHU_TRY(run_page(db, entity, query, on_row, page));
  return (*snapshot)->commit();
}
}  // namespace

Result<ListPage> run_list_query(Database& db, const EntityDef& entity, const ListQuery& query) {
  ListPage page;
  KEHU_TRY(run_page_in_snapshot(db, entity, query,
                                [&](const Statement& row) { page.items.push_back(row_to_json(entity, row)); }, page));
  return page;
}

Result<std::string> run_list_query_json(Database& db, const EntityDef& entity, const ListQuery& query) {
  ListPage page;
  std::string items = "[";
  KEHU_TRY(run_page_in_snapshot(db, entity, query, [&](const Statement& row) {
    if (items.size() > 1) items += ',';
    append_row_json(entity, row, items);
  }, page));
  items += ']';
  std::string body = "{\"items\":" + items + ",\"next_cursor\":";
  if (page.next_cursor.empty()) body += "null";
  else append_json_string(body, page.next_cursor);
  body += ",\"total\":" + std::to_string(page.total) + ",\"total_exact\":" + (page.total_exact ? "true" : "false") + "}";
  return body;
}



}  // namespace kehu
