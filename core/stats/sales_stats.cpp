#include "core/stats/sales_stats.h"

#include <set>

#include "core/clock.h"

namespace kehu {

using nlohmann::json;

namespace {

Error bad_param(const std::string& name, Text why) {
  Error e = Error::make(ErrorCode::bad_request, {"统计参数有误：" + name, "invalid statistics parameter: " + name});
  e.fields[name] = std::move(why);
  return e;
}

// The one value of `name`, or "" when absent; a repeated parameter is refused.
Result<std::string> single(const std::multimap<std::string, std::string>& params, const std::string& name) {
  if (params.count(name) > 1) return bad_param(name, {"只能给一次", "may be given only once"});
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Result<std::optional<int64_t>> id_param(const std::multimap<std::string, std::string>& params, const std::string& name) {
  auto text = single(params, name);
  if (!text.ok()) return text.take_error();
  if (text->empty()) return std::optional<int64_t>();
  int64_t v = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || v > INT64_MAX / 10 - 9) return bad_param(name, {"应为正整数编号", "must be a positive whole-number id"});
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return bad_param(name, {"应为正整数编号", "must be a positive whole-number id"});
  return std::optional<int64_t>(v);
}

int64_t day_number(const std::string& date) {
  return day_of_civil(std::stoll(date.substr(0, 4)), static_cast<unsigned>(std::stoi(date.substr(5, 2))),
                      static_cast<unsigned>(std::stoi(date.substr(8, 2))));
}

// Every period label from `from` to `to` (dates) at `group`'s length.
std::vector<std::string> periods_between(const std::string& group, const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  if (group == "day") {
    for (int64_t d = day_number(from); d <= day_number(to); ++d) out.push_back(date_of_day(d));
    return out;
  }
  CivilDate at = civil_of_day(day_number(from)), end = civil_of_day(day_number(to));
  if (group == "year") {
    for (int64_t y = at.year; y <= end.year; ++y) out.push_back(date_of_day(day_of_civil(y, 1, 1)).substr(0, 4));
    return out;
  }
  for (int64_t y = at.year, m = at.month; y < end.year || (y == end.year && m <= end.month);) {
    out.push_back(date_of_day(day_of_civil(y, static_cast<unsigned>(m), 1)).substr(0, 7));
    if (++m > 12) m = 1, ++y;
  }
  return out;
}

// Periods a series may hold: a daily one a little over three years, a monthly one ninety years; years are
// never more than the calendar's 10,000. Bounds the answer whatever range is asked for.
constexpr int64_t kMaxPeriods = 1100;

}  // namespace

Reach sales_stats_reach(const Viewer& viewer) {
  if (viewer.is_system() || viewer.role == "admin") return Reach::all;
  if (viewer.role == "manager") return Reach::team;
  if (viewer.role == "sales") return Reach::own;
  return Reach::none;
}

Result<json> sales_statistics(Database& db, const Viewer& viewer, const std::multimap<std::string, std::string>& params,
                              const std::string& today) {
  const Reach reach = sales_stats_reach(viewer);
  if (reach == Reach::none) return Error::make(ErrorCode::not_found, {"找不到请求的内容", "nothing was found at this address"});
  auto group = single(params, "group");
  if (!group.ok()) return group.take_error();
  if (group->empty()) *group = "month";
  if (*group != "day" && *group != "month" && *group != "year")
    return bad_param("group", {"应为 day、month 或 year", "must be day, month or year"});
  auto from = single(params, "from");
  auto to = single(params, "to");
  if (!from.ok()) return from.take_error();
  if (!to.ok()) return to.take_error();
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"from", &*from}, {"to", &*to}})
    if (!value->empty() && !is_valid_date(*value)) return bad_param(name, {"应为日期，例如 2026-01-31", "must be a date such as 2026-01-31"});
  if (to->empty()) *to = today;
  if (from->empty()) {
    const CivilDate end = civil_of_day(day_number(*to));
    if (*group == "day") *from = date_of_day(day_number(*to) - 29);
    else if (*group == "month") *from = date_of_day(day_of_civil(end.year - (end.month < 12 ? 1 : 0), end.month % 12 + 1, 1));
    else *from = date_of_day(day_of_civil(end.year - 4, 1, 1));
  }
  if (*from > *to) return bad_param("to", {"不能早于开始日期", "cannot be before from"});
  if (*group == "day" && day_number(*to) - day_number(*from) >= kMaxPeriods)
    return bad_param("from", {"按日统计最多 1100 天，请按月统计", "a daily series spans at most 1100 days; group by month instead"});
  if (*group == "month") {
    const CivilDate a = civil_of_day(day_number(*from)), b = civil_of_day(day_number(*to));
    if ((b.year - a.year) * 12 + b.month - a.month >= kMaxPeriods)
      return bad_param("from", {"按月统计最多 1100 个月，请按年统计", "a monthly series spans at most 1100 months; group by year instead"});
  }

  std::optional<int64_t> ids[4];
  const char* id_names[4] = {"customer_id", "owner_id", "team_id", "product_id"};
  for (int i = 0; i < 4; ++i) {
    auto id = id_param(params, id_names[i]);
    if (!id.ok()) return id.take_error();
    ids[i] = *id;
  }
  const auto& [customer, owner, team, product] = ids;
  if (customer && product)
    return bad_param("product_id", {"不能同时按客户和产品统计", "cannot be combined with customer_id"});

  // The finest table that answers: per customer or product when asked, by day or by month.
  const bool daily = *group == "day";
  std::string table = customer ? "stat_sales_customer_" : product ? "stat_sales_product_" : "stat_sales_";
  table += daily ? "day" : "month";
  const std::string period_column = daily ? "day" : "month";
  const size_t label_length = *group == "day" ? 10 : *group == "month" ? 7 : 4;
  std::string sql = "SELECT substr(s." + period_column + ", 1, " + std::to_string(label_length) +
                    ") AS period, s.currency, sum(s.orders), sum(s.quantity), sum(s.amount) FROM " + table +
                    " AS s WHERE s." + period_column + " BETWEEN ? AND ?";
  std::vector<SqlValue> args = {daily ? *from : from->substr(0, 7), daily ? *to : to->substr(0, 7)};
  if (customer) sql += " AND s.customer_id = ?", args.emplace_back(*customer);
  if (product) sql += " AND s.product_id = ?", args.emplace_back(*product);
  if (owner) sql += " AND s.owner_id = ?", args.emplace_back(*owner);
  if (team) sql += " AND s.owner_id IN (SELECT id FROM users WHERE team_id = ?)", args.emplace_back(*team);
  ScopeCondition scope = owner_condition(reach, viewer, "s.owner_id");
  if (!scope.everything()) {
    sql += " AND " + scope.sql;
    args.insert(args.end(), scope.args.begin(), scope.args.end());
  }
  sql += " GROUP BY period, s.currency";

  auto rows = db.prepare(sql);
  if (!rows.ok()) return rows.take_error();
  (*rows)->bind_all(args);
  std::map<std::pair<std::string, std::string>, std::array<int64_t, 3>> found;
  std::set<std::string> currencies;
  for (;;) {
    auto row = (*rows)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    Statement& s = **rows;
    std::string currency(s.column_text(1));
    currencies.insert(currency);
    found[{std::string(s.column_text(0)), currency}] = {s.column_int(2), s.column_int(3), s.column_int(4)};
  }
  if (currencies.empty()) currencies.insert("CNY");

  json series = json::array();
  std::map<std::string, std::array<int64_t, 3>> totals;
  for (const auto& period : periods_between(*group, *from, *to)) {
    for (const auto& currency : currencies) {
      std::array<int64_t, 3> sums{0, 0, 0};
      if (auto it = found.find({period, currency}); it != found.end()) sums = it->second;
      series.push_back({{"period", period}, {"currency", currency}, {"orders", sums[0]}, {"quantity", sums[1]}, {"amount", sums[2]}});
      auto& t = totals[currency];
      for (int i = 0; i < 3; ++i) t[static_cast<size_t>(i)] += sums[static_cast<size_t>(i)];
    }
  }
  json total = json::array();
  for (const auto& [currency, t] : totals)
    total.push_back({{"currency", currency}, {"orders", t[0]}, {"quantity", t[1]}, {"amount", t[2]}});
  return json{{"group", *group}, {"from", *from}, {"to", *to}, {"series", std::move(series)}, {"total", std::move(total)}};
}

}  // namespace kehu
