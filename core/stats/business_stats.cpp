#include "core/stats/business_stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace kehu {

using nlohmann::json;

namespace {

// The source of an owner-kept figure: `table` within the viewer's reach, narrowed by the owner_id and
// team_id filters every such figure takes (each named when bad).
Result<StatSource> filtered_source(const StatParamMap& params, const std::string& table, Reach reach, const Viewer& viewer) {
  auto owner = stat_id(params, "owner_id");
  if (!owner.ok()) return owner.take_error();
  auto team = stat_id(params, "team_id");
  if (!team.ok()) return team.take_error();
  return stat_source(table, reach, viewer, *owner, *team);
}

// `sql` is "SELECT ... FROM {table} AS s WHERE {where}..." with the source's table and condition put in.
std::string with_source(std::string sql, const StatSource& source) {
  for (const auto& [mark, value] : {std::pair<std::string, const std::string*>{"{table}", &source.table}, {"{where}", &source.where}})
    sql.replace(sql.find(mark), mark.size(), *value);
  return sql;
}

std::vector<SqlValue> args_then(std::vector<SqlValue> first, const StatSource& source) {
  first.insert(first.end(), source.args.begin(), source.args.end());
  return first;
}

json text_or_null(Statement& s, int column) {
  return s.column_type(column) == ColumnType::null ? json() : json(std::string(s.column_text(column)));
}

// A ratio rounded to two decimals (averages shown to people), null when nothing to divide by.
json ratio(int64_t part, int64_t whole, double scale = 1.0) {
  if (whole == 0) return nullptr;
  return std::round(static_cast<double>(part) / static_cast<double>(whole) / scale * 100.0) / 100.0;
}

// A breakdown {value: count} as [{<key>: value, <counter>: count}], largest first.
json breakdown(const std::map<std::string, int64_t>& counts, const char* key, const char* counter) {
  std::vector<std::pair<std::string, int64_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  json out = json::array();
  for (const auto& [value, n] : rows) out.push_back({{key, value}, {counter, n}});
  return out;
}

const std::vector<std::string>& pipeline_order() {
  static const std::vector<std::string> kStages = {"lead", "qualified", "proposal", "negotiation", "won", "lost"};
  return kStages;
}

}  // namespace

Result<json> contract_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::contracts);
  if (reach == Reach::none) return no_statistics();
  auto range = stat_range(params, "month", today);
  if (!range.ok()) return range.take_error();
  auto filtered = filtered_source(params, "stat_contracts", reach, viewer);
  if (!filtered.ok()) return filtered.take_error();
  StatSource source = std::move(*filtered);

  json by_status = json::array();
  std::map<std::string, std::array<int64_t, 2>> totals;
  KEHU_TRY(for_each_row(db,
                        with_source("SELECT s.status, s.currency, sum(s.contracts), sum(s.amount) FROM {table} AS s WHERE {where}"
                                    " GROUP BY s.status, s.currency ORDER BY s.status, s.currency",
                                    source),
                        source.args, [&](Statement& s) {
                          by_status.push_back({{"status", std::string(s.column_text(0))}, {"currency", std::string(s.column_text(1))},
                                               {"contracts", s.column_int(2)}, {"amount", s.column_int(3)}});
                          auto& t = totals[std::string(s.column_text(1))];
                          t[0] += s.column_int(2), t[1] += s.column_int(3);
                        }));
  std::map<std::pair<std::string, std::string>, std::array<int64_t, 2>> found;
  std::set<std::string> currencies;
  KEHU_TRY(for_each_row(db,
                        with_source("SELECT s.month, s.currency, sum(s.contracts), sum(s.amount) FROM {table} AS s"
                                    " WHERE s.month BETWEEN ? AND ? AND s.status IN ('signed', 'executing', 'completed')"
                                    " AND {where} GROUP BY s.month, s.currency",
                                    source),
                        args_then({range->from_month(), range->to_month()}, source), [&](Statement& s) {
                          currencies.insert(std::string(s.column_text(1)));
                          found[{std::string(s.column_text(0)), std::string(s.column_text(1))}] = {s.column_int(2), s.column_int(3)};
                        }));
  if (currencies.empty()) currencies.insert("CNY");
  json by_month = json::array();
  for (const auto& label : stat_periods("month", *range))
    for (const auto& currency : currencies) {
      auto it = found.find({label, currency});
      const std::array<int64_t, 2> v = it == found.end() ? std::array<int64_t, 2>{0, 0} : it->second;
      by_month.push_back({{"period", label}, {"currency", currency}, {"contracts", v[0]}, {"amount", v[1]}});
    }
  json total = json::array();
  for (const auto& [currency, t] : totals) total.push_back({{"currency", currency}, {"contracts", t[0]}, {"amount", t[1]}});
  return json{{"from", range->from}, {"to", range->to}, {"by_status", std::move(by_status)}, {"by_month", std::move(by_month)},
              {"total", std::move(total)}};
}

Result<json> funnel_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto range = stat_range(params, "month", today);
  if (!range.ok()) return range.take_error();
  auto filtered = filtered_source(params, "stat_funnel_day", reach, viewer);
  if (!filtered.ok()) return filtered.take_error();
  StatSource source = std::move(*filtered);
  struct Stage {
    int64_t opportunities = 0, closed = 0, days = 0;
    std::map<std::string, int64_t> amounts;
  };
  std::map<std::string, Stage> stages;
  KEHU_TRY(for_each_row(db,
                        with_source("SELECT s.stage, s.currency, sum(s.opportunities), sum(s.amount), sum(s.closed),"
                                    " sum(s.days_to_close) FROM {table} AS s WHERE s.day BETWEEN ? AND ? AND {where}"
                                    " GROUP BY s.stage, s.currency",
                                    source),
                        args_then({range->from, range->to}, source), [&](Statement& s) {
                          Stage& st = stages[std::string(s.column_text(0))];
                          st.opportunities += s.column_int(2);
                          st.amounts[std::string(s.column_text(1))] += s.column_int(3);
                          st.closed += s.column_int(4), st.days += s.column_int(5);
                        }));
  std::vector<std::string> order;
  for (const auto& stage : pipeline_order()) order.push_back(stage);
  for (const auto& [stage, _] : stages)
    if (std::find(order.begin(), order.end(), stage) == order.end()) order.insert(order.end() - 2, stage);
  json out = json::array();
  for (const auto& name : order) {
    const Stage& st = stages[name];
    json amounts = json::array();
    for (const auto& [currency, amount] : st.amounts) amounts.push_back({{"currency", currency}, {"amount", amount}});
    out.push_back({{"stage", name}, {"opportunities", st.opportunities}, {"amounts", std::move(amounts)}});
  }
  const int64_t won = stages["won"].opportunities, lost = stages["lost"].opportunities;
  return json{{"from", range->from},
              {"to", range->to},
              {"stages", std::move(out)},
              {"won", won},
              {"lost", lost},
              {"win_rate", won + lost ? json(static_cast<double>(won) / static_cast<double>(won + lost)) : json()},
              {"average_days_to_close", ratio(stages["won"].days, stages["won"].closed)}};
}

Result<json> forecast_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto from = stat_text(params, "from");
  auto to = stat_text(params, "to");
  if (!from.ok()) return from.take_error();
  if (!to.ok()) return to.take_error();
  auto filtered = filtered_source(params, "stat_forecast_month", reach, viewer);
  if (!filtered.ok()) return filtered.take_error();
  StatSource source = std::move(*filtered);
  if (!from->empty() || !to->empty()) {
    auto range = stat_range(params, "month", today);
    if (!range.ok()) return range.take_error();
    source.also("s.month BETWEEN ? AND ?", {range->from_month(), range->to_month()});
  }
  json months = json::array();
  std::map<std::string, std::array<int64_t, 3>> totals;
  KEHU_TRY(for_each_row(db,
                        with_source("SELECT s.month, s.currency, sum(s.opportunities), sum(s.amount), sum(s.weighted_x100)"
                                    " FROM {table} AS s WHERE {where} GROUP BY s.month, s.currency"
                                    " ORDER BY s.month = '', s.month, s.currency",
                                    source),
                        source.args, [&](Statement& s) {
                          const std::string month(s.column_text(0));
                          const int64_t weighted = (s.column_int(4) + 50) / 100;
                          months.push_back({{"period", month.empty() ? json() : json(month)},
                                            {"currency", std::string(s.column_text(1))},
                                            {"opportunities", s.column_int(2)},
                                            {"amount", s.column_int(3)},
                                            {"weighted", weighted}});
                          auto& t = totals[std::string(s.column_text(1))];
                          t[0] += s.column_int(2), t[1] += s.column_int(3), t[2] += s.column_int(4);
                        }));
  json total = json::array();
  for (const auto& [currency, t] : totals)
    total.push_back({{"currency", currency}, {"opportunities", t[0]}, {"amount", t[1]}, {"weighted", (t[2] + 50) / 100}});
  return json{{"months", std::move(months)}, {"total", std::move(total)}};
}

Result<json> campaign_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  (void)today;
  if (stat_reach(viewer, StatDomain::campaigns) == Reach::none) return no_statistics();
  auto only = stat_id(params, "campaign_id");
  if (!only.ok()) return only.take_error();
  json campaigns = json::array();
  std::map<int64_t, size_t> index;
  std::string ids;
  KEHU_TRY(for_each_row(db,
                        "SELECT id, name, status, budget, actual_cost FROM campaigns" +
                            std::string(*only ? " WHERE id = ?" : "") + " ORDER BY id DESC LIMIT 200",
                        *only ? std::vector<SqlValue>{**only} : std::vector<SqlValue>{}, [&](Statement& s) {
                          index[s.column_int(0)] = campaigns.size();
                          ids += (ids.empty() ? "" : ",") + std::to_string(s.column_int(0));
                          campaigns.push_back({{"campaign_id", s.column_int(0)},
                                               {"name", std::string(s.column_text(1))},
                                               {"status", text_or_null(s, 2)},
                                               {"budget", s.column_type(3) == ColumnType::null ? json() : json(s.column_int(3))},
                                               {"actual_cost", s.column_type(4) == ColumnType::null ? json() : json(s.column_int(4))},
                                               {"members", {{"targeted", 0}, {"sent", 0}, {"opened", 0}, {"responded", 0}, {"converted", 0}}},
                                               {"won", 0},
                                               {"revenue", json::array()}});
                        }));
  if (campaigns.empty()) return json{{"campaigns", std::move(campaigns)}};
  KEHU_TRY(for_each_row(db,
                        "SELECT campaign_id, status, count(*) FROM campaign_members WHERE campaign_id" + std::string(kInIdList) +
                            " GROUP BY campaign_id, status",
                        {id_list(ids)}, [&](Statement& s) {
                          campaigns[index[s.column_int(0)]]["members"][std::string(s.column_text(1))] = s.column_int(2);
                        }));
  KEHU_TRY(for_each_row(db,
                        "SELECT campaign_id, currency, won, amount FROM stat_campaign_revenue WHERE campaign_id" + std::string(kInIdList) +
                            " ORDER BY campaign_id, currency",
                        {id_list(ids)}, [&](Statement& s) {
                          json& c = campaigns[index[s.column_int(0)]];
                          c["won"] = c["won"].get<int64_t>() + s.column_int(2);
                          c["revenue"].push_back({{"currency", std::string(s.column_text(1))}, {"amount", s.column_int(3)}});
                        }));
  for (auto& c : campaigns) {
    const int64_t responses = c["members"].value("responded", int64_t{0}) + c["members"].value("converted", int64_t{0});
    c["responses"] = responses;
    c["cost_per_response"] = c["actual_cost"].is_null() || responses == 0
                                 ? json()
                                 : json((c["actual_cost"].get<int64_t>() + responses / 2) / responses);
  }
  return json{{"campaigns", std::move(campaigns)}};
}

Result<json> ticket_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  if (stat_reach(viewer, StatDomain::tickets) == Reach::none) return no_statistics();
  auto range = stat_range(params, "month", today);
  if (!range.ok()) return range.take_error();
  std::map<std::string, int64_t> by_status, by_type;
  std::array<int64_t, 5> rated{0, 0, 0, 0, 0};
  int64_t tickets = 0, resolved = 0, seconds = 0;
  KEHU_TRY(for_each_row(db,
                        "SELECT status, type, satisfaction, sum(tickets), sum(resolved), sum(resolution_seconds)"
                        " FROM stat_tickets_day WHERE day BETWEEN ? AND ? GROUP BY status, type, satisfaction",
                        {range->from, range->to}, [&](Statement& s) {
                          const int64_t n = s.column_int(3);
                          by_status[std::string(s.column_text(0))] += n;
                          by_type[std::string(s.column_text(1))] += n;
                          if (int64_t sat = s.column_int(2); sat >= 1 && sat <= 5) rated[static_cast<size_t>(sat - 1)] += n;
                          tickets += n, resolved += s.column_int(4), seconds += s.column_int(5);
                        }));
  int64_t rated_count = 0, rated_sum = 0;
  for (size_t i = 0; i < rated.size(); ++i) rated_count += rated[i], rated_sum += rated[i] * static_cast<int64_t>(i + 1);
  return json{{"from", range->from},
              {"to", range->to},
              {"tickets", tickets},
              {"by_status", breakdown(by_status, "status", "tickets")},
              {"by_type", breakdown(by_type, "type", "tickets")},
              {"resolved", resolved},
              {"average_resolution_hours", ratio(seconds, resolved, 3600.0)},
              {"satisfaction", {{"rated", rated_count}, {"average", ratio(rated_sum, rated_count)}, {"counts", rated}}}};
}

Result<json> customer_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto range = stat_range(params, "month", today);
  if (!range.ok()) return range.take_error();
  auto filtered = filtered_source(params, "stat_customers_month", reach, viewer);
  if (!filtered.ok()) return filtered.take_error();
  StatSource source = std::move(*filtered);
  std::map<std::string, int64_t> per_month, splits[4];
  int64_t total = 0;
  KEHU_TRY(for_each_row(db,
                        with_source("SELECT s.month, s.type, s.source, s.level, s.status, sum(s.customers) FROM {table} AS s"
                                    " WHERE {where} GROUP BY s.month, s.type, s.source, s.level, s.status",
                                    source),
                        source.args, [&](Statement& s) {
                          const int64_t n = s.column_int(5);
                          total += n;
                          per_month[std::string(s.column_text(0))] += n;
                          for (int i = 0; i < 4; ++i) splits[i][std::string(s.column_text(i + 1))] += n;
                        }));
  json new_per_month = json::array();
  for (const auto& label : stat_periods("month", *range))
    new_per_month.push_back({{"period", label}, {"customers", per_month[label]}});
  return json{{"from", range->from},
              {"to", range->to},
              {"new_per_month", std::move(new_per_month)},
              {"total", total},
              {"by_type", breakdown(splits[0], "value", "customers")},
              {"by_source", breakdown(splits[1], "value", "customers")},
              {"by_level", breakdown(splits[2], "value", "customers")},
              {"by_status", breakdown(splits[3], "value", "customers")}};
}

}  // namespace kehu
