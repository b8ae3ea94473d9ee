#include "core/stats/stat_query.h"

#include <algorithm>

#include "core/clock.h"

namespace kehu {

namespace {

// Periods a series may hold: a daily one a little over three years, a monthly one ninety years; years are
// never more than the calendar's 10,000.
constexpr int64_t kMaxPeriods = 1100;

int64_t months_between(const std::string& from, const std::string& to) {
  const CivilDate a = civil_of_day(day_of_date(from)), b = civil_of_day(day_of_date(to));
  return (b.year - a.year) * 12 + b.month - a.month;
}

}  // namespace

Error bad_stat_param(const std::string& name, Text why) {
  Error e = Error::make(ErrorCode::bad_request, {"统计参数有误：" + name, "invalid statistics parameter: " + name});
  e.fields[name] = std::move(why);
  return e;
}

Error no_statistics() { return Error::make(ErrorCode::not_found, {"找不到请求的内容", "nothing was found at this address"}); }

Result<std::string> stat_text(const StatParamMap& params, const std::string& name) {
  if (params.count(name) > 1) return bad_stat_param(name, {"只能给一次", "may be given only once"});
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Result<std::optional<int64_t>> stat_id(const StatParamMap& params, const std::string& name) {
  auto text = stat_text(params, name);
  if (!text.ok()) return text.take_error();
  if (text->empty()) return std::optional<int64_t>();
  int64_t v = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || v > INT64_MAX / 10 - 9) return bad_stat_param(name, {"应为正整数编号", "must be a positive whole-number id"});
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return bad_stat_param(name, {"应为正整数编号", "must be a positive whole-number id"});
  return std::optional<int64_t>(v);
}

Result<int64_t> stat_number(const StatParamMap& params, const std::string& name, int64_t fallback, int64_t min, int64_t max) {
  auto text = stat_text(params, name);
  if (!text.ok()) return text.take_error();
  if (text->empty()) return fallback;
  int64_t v = 0;
  bool ok = text->size() <= 12;
  for (char c : *text) ok = ok && c >= '0' && c <= '9', v = ok ? v * 10 + (c - '0') : v;
  if (!ok || v < min || v > max) {
    const std::string range = std::to_string(min) + "–" + std::to_string(max);
    return bad_stat_param(name, {"应为 " + range + " 之间的整数", "must be a whole number from " + range});
  }
  return v;
}

Result<std::string> stat_group(const StatParamMap& params, const std::vector<std::string>& allowed, const std::string& fallback) {
  auto group = stat_text(params, "group");
  if (!group.ok()) return group.take_error();
  if (group->empty()) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *group) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return bad_stat_param("group", {"应为 " + list + " 之一", "must be one of " + list});
  }
  return *group;
}

Result<StatRange> stat_range(const StatParamMap& params, const std::string& group, const std::string& today) {
  auto from = stat_text(params, "from");
  auto to = stat_text(params, "to");
  if (!from.ok()) return from.take_error();
  if (!to.ok()) return to.take_error();
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"from", &*from}, {"to", &*to}})
    if (!value->empty() && !is_valid_date(*value))
      return bad_stat_param(name, {"应为日期，例如 2026-01-31", "must be a date such as 2026-01-31"});
  StatRange r{*from, to->empty() ? today : *to};
  if (r.from.empty()) {
    const int64_t end = day_of_date(r.to);
    const CivilDate e = civil_of_day(end);
    if (group == "day") r.from = date_of_day(end - 29);
    else if (group == "month") r.from = date_of_day(day_of_civil(e.year - (e.month < 12 ? 1 : 0), e.month % 12 + 1, 1));
    else r.from = date_of_day(day_of_civil(e.year - 4, 1, 1));
  }
  if (r.from > r.to) return bad_stat_param("to", {"不能早于开始日期", "cannot be before from"});
  if (group == "day" && day_of_date(r.to) - day_of_date(r.from) >= kMaxPeriods)
    return bad_stat_param("from", {"按日统计最多 1100 天，请按月统计", "a daily series spans at most 1100 days; group by month instead"});
  if (group == "month" && months_between(r.from, r.to) >= kMaxPeriods)
    return bad_stat_param("from", {"按月统计最多 1100 个月，请按年统计", "a monthly series spans at most 1100 months; group by year instead"});
  return r;
}

std::vector<std::string> stat_periods(const std::string& group, const StatRange& range) {
  std::vector<std::string> out;
  if (group == "day") {
    for (int64_t d = day_of_date(range.from); d <= day_of_date(range.to); ++d) out.push_back(date_of_day(d));
    return out;
  }
  CivilDate at = civil_of_day(day_of_date(range.from)), end = civil_of_day(day_of_date(range.to));
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

std::optional<StatRange> previous_range(const std::string& group, const StatRange& range) {
  if (!is_valid_date(range.from) || !is_valid_date(range.to) || range.from > range.to) return std::nullopt;
  const int64_t first = day_of_date(range.from), last = day_of_date(range.to);
  StatRange before;
  if (group == "day") {
    before = {date_of_day(first - (last - first + 1)), date_of_day(first - 1)};
  } else {
    const CivilDate a = civil_of_day(first);
    const int64_t months = months_between(range.from, range.to) + 1;
    const int64_t start = a.year * 12 + (a.month - 1) - months;  // the first month before, counted from year 0
    if (start < 1000 * 12) return std::nullopt;
    // Whole months, as the figures count them: from the first month's 1st to the last day before this
    // range's first month.
    before = {date_of_day(day_of_civil(start / 12, static_cast<unsigned>(start % 12 + 1), 1)),
              date_of_day(day_of_civil(a.year, a.month, 1) - 1)};
  }
  if (before.from < "1000") return std::nullopt;
  return before;
}

Reach stat_reach(const Viewer& viewer, StatDomain domain) {
  // A kiosk display sees company-wide figures; its routes keep it to its dashboards' endpoints.
  if (viewer.is_system() || viewer.role == "admin" || viewer.role == "kiosk") return Reach::all;
  const std::string& role = viewer.role;
  switch (domain) {
    case StatDomain::sales:
      return role == "manager" ? Reach::team : role == "sales" ? Reach::own : Reach::none;
    case StatDomain::contracts:
      return role == "contract" ? Reach::all : role == "manager" ? Reach::team : role == "sales" ? Reach::own : Reach::none;
    case StatDomain::tickets:
      return role == "service" ? Reach::all : Reach::none;
    case StatDomain::campaigns:
      return role == "manager" ? Reach::all : Reach::none;
  }
  return Reach::none;
}

void StatSource::also(const std::string& condition, std::vector<SqlValue> more) {
  where += " AND " + condition;
  narrowed = true;
  args.insert(args.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

StatSource owned_source(const std::string& table, Reach reach, const Viewer& viewer, std::optional<int64_t> owner,
                        std::optional<int64_t> team) {
  StatSource source{table};
  if (owner) source.also("s.owner_id = ?", {*owner});
  if (team) source.also("s.owner_id IN (SELECT id FROM users WHERE team_id = ?)", {*team});
  ScopeCondition scope = owner_condition(reach, viewer, "s.owner_id");
  if (!scope.everything()) source.also(scope.sql, scope.args);
  // The team's members alone: the team asked for within everything, or the viewer's own team.
  if (!owner && team && reach == Reach::all) source.one_team = *team;
  if (!owner && reach == Reach::team && viewer.team_id && (!team || *team == *viewer.team_id)) source.one_team = *viewer.team_id;
  return source;
}

StatSource stat_source(const std::string& company_table, Reach reach, const Viewer& viewer, std::optional<int64_t> owner,
                       std::optional<int64_t> team) {
  if (reach == Reach::all && !owner && !team) return StatSource{company_table};
  return owned_source(company_table + "_owner", reach, viewer, owner, team);
}

Status for_each_row(Database& db, const std::string& sql, const std::vector<SqlValue>& args,
                    const std::function<void(Statement&)>& row) {
  auto st = db.prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  for (;;) {
    auto more = (*st)->step();
    if (!more.ok()) return more.take_error();
    if (!*more) return ok_status();
    row(**st);
  }
}

}  // namespace kehu
