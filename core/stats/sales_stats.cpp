#include "core/stats/sales_stats.h"

#include "core/stats/customer_ranking.h"

#include <array>
#include <set>

namespace kehu {

using nlohmann::json;

namespace {

using Sums = std::array<int64_t, 3>;  // orders, quantity, amount

json sums_json(const Sums& s) { return {{"orders", s[0]}, {"quantity", s[1]}, {"amount", s[2]}}; }

void add_sums(Sums& to, const Sums& more) {
  for (size_t i = 0; i < to.size(); ++i) to[i] += more[i];
}

Sums sums_at(Statement& s, int first) { return {s.column_int(first), s.column_int(first + 1), s.column_int(first + 2)}; }

const char* kSums = "sum(s.orders), sum(s.quantity), sum(s.amount)";

}  // namespace

Result<json> sales_statistics(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto group = stat_group(params, {"day", "month", "year"}, "month");
  if (!group.ok()) return group.take_error();
  auto range = stat_range(params, *group, today);
  if (!range.ok()) return range.take_error();
  std::optional<int64_t> ids[4];
  const char* id_names[4] = {"customer_id", "owner_id", "team_id", "product_id"};
  for (int i = 0; i < 4; ++i) {
    auto id = stat_id(params, id_names[i]);
    if (!id.ok()) return id.take_error();
    ids[i] = *id;
  }
  const auto& [customer, owner, team, product] = ids;
  if (customer && product)
    return bad_stat_param("product_id", {"不能同时按客户和产品统计", "cannot be combined with customer_id"});

  // The table that answers with fewest rows: per customer or product when asked, else the company's (or
  // its per-owner twin when the reach or a filter narrows to owners); by day or by month.
  const bool daily = *group == "day";
  const std::string period = daily ? "day" : "month";
  StatSource source = customer ? owned_source("stat_sales_customer_" + period, reach, viewer, owner, team)
                      : product ? owned_source("stat_sales_product_" + period, reach, viewer, owner, team)
                                : stat_source("stat_sales_" + period, reach, viewer, owner, team);
  std::vector<SqlValue> args = {daily ? range->from : range->from_month(), daily ? range->to : range->to_month()};
  std::string where = "s." + period + " BETWEEN ? AND ?";
  if (customer) where += " AND s.customer_id = ?", args.emplace_back(*customer);
  if (product) where += " AND s.product_id = ?", args.emplace_back(*product);
  args.insert(args.end(), source.args.begin(), source.args.end());
  const size_t label_length = daily ? 10 : *group == "month" ? 7 : 4;
  std::map<std::pair<std::string, std::string>, Sums> found;
  std::set<std::string> currencies;
  KEHU_TRY(for_each_row(db,
                        "SELECT substr(s." + period + ", 1, " + std::to_string(label_length) + ") AS period, s.currency, " +
                            kSums + " FROM " + source.table + " AS s WHERE " + where + " AND " + source.where +
                            " GROUP BY period, s.currency",
                        args, [&](Statement& s) {
                          std::string currency(s.column_text(1));
                          currencies.insert(currency);
                          found[{std::string(s.column_text(0)), currency}] = sums_at(s, 2);
                        }));
  if (currencies.empty()) currencies.insert("CNY");

  json series = json::array();
  std::map<std::string, Sums> totals;
  for (const auto& label : stat_periods(*group, *range)) {
    for (const auto& currency : currencies) {
      Sums sums{0, 0, 0};
      if (auto it = found.find({label, currency}); it != found.end()) sums = it->second;
      json point = sums_json(sums);
      point["period"] = label, point["currency"] = currency;
      series.push_back(std::move(point));
      add_sums(totals[currency], sums);
    }
  }
  json total = json::array();
  for (const auto& [currency, t] : totals) {
    json line = sums_json(t);
    line["currency"] = currency;
    total.push_back(std::move(line));
  }
  return json{{"group", *group}, {"from", range->from}, {"to", range->to}, {"series", std::move(series)}, {"total", std::move(total)}};
}

Result<json> sales_by_customer(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto group = stat_group(params, {"month", "year"}, "month");
  if (!group.ok()) return group.take_error();
  auto range = stat_range(params, *group, today);
  if (!range.ok()) return range.take_error();
  if (!params.count("from") && !params.count("to")) *range = StatRange{today.substr(0, 4) + "-01-01", today.substr(0, 4) + "-12-31"};
  auto limit = stat_number(params, "limit", 20, 1, 100);
  if (!limit.ok()) return limit.take_error();
  auto offset = stat_number(params, "offset", 0, 0, 1000000);
  if (!offset.ok()) return offset.take_error();

  auto owner = stat_id(params, "owner_id");
  if (!owner.ok()) return owner.take_error();
  auto team = stat_id(params, "team_id");
  if (!team.ok()) return team.take_error();

  const StatSource source = owned_source("stat_sales_customer_month", reach, viewer, *owner, *team);
  auto ranked = rank_customers(db, range->from_month(), range->to_month(), source, static_cast<size_t>(*offset),
                               static_cast<size_t>(*limit + 1));
  if (!ranked.ok()) return ranked.take_error();
  json customers = json::array();
  for (const auto& c : *ranked) {
    json row = sums_json({c.orders, c.quantity, c.amount});
    row["customer_id"] = c.customer_id;
    row["currency"] = c.currency;
    row["name"] = nullptr;  // read below for the listed customers only, not for every customer ranked
    row["series"] = json::array();
    customers.push_back(std::move(row));
  }
  std::vector<SqlValue> args = {range->from_month(), range->to_month()};
  args.insert(args.end(), source.args.begin(), source.args.end());
  const std::string where = " FROM stat_sales_customer_month AS s WHERE s.month BETWEEN ? AND ? AND " + source.where;
  const bool more = static_cast<int64_t>(customers.size()) > *limit;
  if (more) customers.erase(customers.size() - 1);
  if (customers.empty())
    return json{{"group", *group}, {"from", range->from}, {"to", range->to}, {"more", false}, {"customers", customers}};

  // Each listed customer's periods, zero-filled.
  std::map<std::pair<int64_t, std::string>, size_t> row_of;  // (customer, currency) -> index in customers
  std::string ids;
  for (size_t i = 0; i < customers.size(); ++i) {
    const int64_t id = customers[i]["customer_id"].get<int64_t>();
    row_of[{id, customers[i]["currency"].get<std::string>()}] = i;
    ids += (i ? "," : "") + std::to_string(id);
  }
  args.push_back(id_list(ids));  // after the range and the reach: the series' customers
  KEHU_TRY(for_each_row(db, "SELECT id, name FROM customers WHERE id" + std::string(kInIdList), {id_list(ids)}, [&](Statement& s) {
    for (auto& row : customers)
      if (row["customer_id"] == s.column_int(0)) row["name"] = std::string(s.column_text(1));
  }));
  const size_t label_length = *group == "month" ? 7 : 4;
  std::map<std::pair<size_t, std::string>, Sums> found;
  KEHU_TRY(for_each_row(db,
                        "SELECT s.customer_id, s.currency, substr(s.month, 1, " + std::to_string(label_length) + ") AS period, " +
                            kSums + where + " AND s.customer_id" + kInIdList + " GROUP BY s.customer_id, s.currency, period",
                        args, [&](Statement& s) {
                          auto it = row_of.find({s.column_int(0), std::string(s.column_text(1))});
                          if (it != row_of.end()) found[{it->second, std::string(s.column_text(2))}] = sums_at(s, 3);
                        }));
  const auto labels = stat_periods(*group, *range);
  for (size_t i = 0; i < customers.size(); ++i) {
    for (const auto& label : labels) {
      auto it = found.find({i, label});
      json point = sums_json(it == found.end() ? Sums{0, 0, 0} : it->second);
      point["period"] = label;
      customers[i]["series"].push_back(std::move(point));
    }
  }
  return json{{"group", *group}, {"from", range->from}, {"to", range->to}, {"more", more}, {"customers", std::move(customers)}};
}

Result<json> sales_by_team(Database& db, const Viewer& viewer, const StatParamMap& params, const std::string& today) {
  const Reach reach = stat_reach(viewer, StatDomain::sales);
  if (reach == Reach::none) return no_statistics();
  auto range = stat_range(params, "month", today);
  if (!range.ok()) return range.take_error();
  StatSource source = owned_source("stat_sales_month_owner", reach, viewer);
  std::vector<SqlValue> args = {range->from_month(), range->to_month()};
  args.insert(args.end(), source.args.begin(), source.args.end());
  struct Member {
    int64_t owner;
    json name;
    Sums sums;
  };
  struct Team {
    json name;
    Sums sums{0, 0, 0};
    std::vector<Member> members;
  };
  std::map<std::pair<int64_t, std::string>, Team> teams;  // (team id, 0: none; currency)
  KEHU_TRY(for_each_row(db,
                        "SELECT s.owner_id, s.currency, " + std::string(kSums) +
                            ", u.display_name, t.id, t.name FROM stat_sales_month_owner AS s"
                            " LEFT JOIN users AS u ON u.id = s.owner_id LEFT JOIN teams AS t ON t.id = u.team_id"
                            " WHERE s.month BETWEEN ? AND ? AND " + source.where + " GROUP BY s.owner_id, s.currency",
                        args, [&](Statement& s) {
                          const int64_t team = s.column_type(6) == ColumnType::null ? 0 : s.column_int(6);
                          Team& t = teams[{team, std::string(s.column_text(1))}];
                          if (team) t.name = std::string(s.column_text(7));
                          Member m{s.column_int(0), s.column_type(5) == ColumnType::null ? json() : json(std::string(s.column_text(5))),
                                   sums_at(s, 2)};
                          add_sums(t.sums, m.sums);
                          t.members.push_back(std::move(m));
                        }));
  std::vector<std::pair<const std::pair<int64_t, std::string>*, Team*>> order;
  for (auto& [key, team] : teams) order.push_back({&key, &team});
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second->sums[2] > b.second->sums[2]; });
  json out = json::array();
  for (auto& [key, team] : order) {
    std::stable_sort(team->members.begin(), team->members.end(), [](const Member& a, const Member& b) { return a.sums[2] > b.sums[2]; });
    json members = json::array();
    for (const auto& m : team->members) {
      json line = sums_json(m.sums);
      line["owner_id"] = m.owner ? json(m.owner) : json();
      line["name"] = m.name;
      members.push_back(std::move(line));
    }
    json line = sums_json(team->sums);
    line["team_id"] = key->first ? json(key->first) : json();
    line["name"] = team->name;
    line["currency"] = key->second;
    line["members"] = std::move(members);
    out.push_back(std::move(line));
  }
  return json{{"from", range->from}, {"to", range->to}, {"teams", std::move(out)}};
}

}  // namespace kehu
