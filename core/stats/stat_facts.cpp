#include "core/stats/stat_facts.h"

#include <algorithm>

#include "core/clock.h"
#include "core/time_zone.h"

namespace kehu {

using nlohmann::json;

namespace {

int64_t int_or(const json& record, const char* field, int64_t fallback) {
  auto it = record.find(field);
  return it != record.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string text_or(const json& record, const char* field, const std::string& fallback) {
  auto it = record.find(field);
  return it != record.end() && it->is_string() && !it->get_ref<const std::string&>().empty() ? it->get<std::string>() : fallback;
}

void add(StatFacts& facts, const char* table, std::vector<SqlValue> key, const StatCounters& counters, int sign) {
  StatCounters& sum = facts[StatKey{&stat_table(table), std::move(key)}];
  if (sum.empty()) sum.assign(counters.size(), 0);
  for (size_t i = 0; i < counters.size(); ++i) sum[i] += sign * counters[i];
}

// Adds to a company table and to its "_owner" twin (the same key behind the owner).
void add_scoped(StatFacts& facts, const std::string& table, int64_t owner, const std::vector<SqlValue>& key,
                const StatCounters& counters, int sign) {
  add(facts, table.c_str(), key, counters, sign);
  std::vector<SqlValue> owned = {owner};
  owned.insert(owned.end(), key.begin(), key.end());
  add(facts, (table + "_owner").c_str(), std::move(owned), counters, sign);
}

// The local day of an RFC 3339 timestamp field ("" when absent or unreadable). A zone this process does
// not know counts in UTC: never on a server, whose settings refuse such a zone, but a host without a
// time zone database still counts every record.
std::string local_day_of(const json& record, const char* field, const std::string& zone) {
  int64_t at = parse_rfc3339_ms(text_or(record, field, ""));
  if (at < 0) return "";
  if (auto local = local_date(zone, at)) return *local;
  return format_rfc3339_ms(at).substr(0, 10);
}

// The day an order counts on: its order date, else the day it was created in the company time zone.
std::string order_day(const json& order, const std::string& zone) {
  std::string day = text_or(order, "order_date", "");
  return day.empty() ? local_day_of(order, "created_at", zone) : day;
}

// "2026-Q2" for a day or the month of April, May or June 2026.
std::string quarter_of(const std::string& day) {
  return day.substr(0, 4) + "-Q" + std::to_string((std::stoi(day.substr(5, 2)) + 2) / 3);
}

// The periods a month's sales are ranked in: its year, its quarter, itself and all time.
std::vector<std::string> ranking_periods(const std::string& month) {
  return {month.substr(0, 4), quarter_of(month), month, std::string(kAllTime)};
}

void add_order_facts(StatFacts& facts, const json& order, const std::string& zone, int sign, const TeamOf& team_of) {
  if (text_or(order, "status", "") != "confirmed") return;
  const std::string day = order_day(order, zone);
  if (day.size() != 10) return;
  const std::string month = day.substr(0, 7);
  const int64_t owner = int_or(order, "owner_id", 0);
  const int64_t customer = int_or(order, "customer_id", 0);
  const std::string currency = text_or(order, "currency", "CNY");
  // Per product: quantity and amount of its lines (a product on two lines counts one order).
  std::map<int64_t, std::pair<int64_t, int64_t>> products;
  int64_t quantity = 0;
  if (auto items = order.find("items"); items != order.end() && items->is_array()) {
    for (const auto& line : *items) {
      if (!line.is_object()) continue;
      const int64_t q = int_or(line, "quantity", 0);
      quantity += q;
      auto& p = products[int_or(line, "product_id", 0)];
      p.first += q;
      p.second += q * int_or(line, "unit_price", 0);
    }
  }
  const StatCounters whole = {1, quantity, int_or(order, "total", 0)};
  add_scoped(facts, "stat_sales_day", owner, {day, currency}, whole, sign);
  add_scoped(facts, "stat_sales_month", owner, {month, currency}, whole, sign);
  add(facts, "stat_sales_customer_day", {customer, day, owner, currency}, whole, sign);
  add(facts, "stat_sales_customer_month", {customer, month, owner, currency}, whole, sign);
  for (const std::string& period : ranking_periods(month)) add(facts, "stat_sales_customer_period", {period, customer, currency}, whole, sign);
  if (const int64_t team = team_of(owner)) add_team_ranking_facts(facts, team, month, customer, currency, whole, sign);
  for (const auto& [product, sums] : products) {
    const StatCounters part = {1, sums.first, sums.second};
    add(facts, "stat_sales_product_day", {product, day, owner, currency}, part, sign);
    add(facts, "stat_sales_product_month", {product, month, owner, currency}, part, sign);
  }
}

void add_contract_facts(StatFacts& facts, const json& contract, int sign) {
  const std::string signed_date = text_or(contract, "signed_date", "");
  const std::string month = signed_date.size() >= 7 ? signed_date.substr(0, 7) : "";
  add_scoped(facts, "stat_contracts", int_or(contract, "owner_id", 0),
             {text_or(contract, "status", ""), month, text_or(contract, "currency", "CNY")},
             {1, int_or(contract, "amount", 0)}, sign);
}

bool is_closed_stage(const std::string& stage) { return stage == "won" || stage == "lost"; }

void add_opportunity_facts(StatFacts& facts, const json& opportunity, const std::string& zone, int sign) {
  const std::string stage = text_or(opportunity, "stage", "");
  const std::string currency = text_or(opportunity, "currency", "CNY");
  const int64_t owner = int_or(opportunity, "owner_id", 0);
  const int64_t amount = int_or(opportunity, "amount", 0);
  const std::string created = local_day_of(opportunity, "created_at", zone);
  if (created.size() == 10) {
    // Days to close: from the local creation day to the local closing day, for closed opportunities.
    int64_t closed = 0, days = 0;
    const std::string closed_day = local_day_of(opportunity, "closed_at", zone);
    if (is_closed_stage(stage) && closed_day.size() == 10) {
      closed = 1;
      days = std::max<int64_t>(0, day_of_date(closed_day) - day_of_date(created));
    }
    add_scoped(facts, "stat_funnel_day", owner, {created, stage, currency}, {1, amount, closed, days}, sign);
  }
  if (!is_closed_stage(stage)) {
    const std::string expected = text_or(opportunity, "expected_close_date", "");
    add_scoped(facts, "stat_forecast_month", owner, {expected.size() >= 7 ? expected.substr(0, 7) : "", currency},
               {1, amount, amount * std::clamp<int64_t>(int_or(opportunity, "probability", 0), 0, 100)}, sign);
  }
  const int64_t campaign = int_or(opportunity, "campaign_id", 0);
  if (stage == "won" && campaign > 0) add(facts, "stat_campaign_revenue", {campaign, currency}, {1, amount}, sign);
}

void add_ticket_facts(StatFacts& facts, const json& ticket, const std::string& zone, int sign) {
  const std::string created = local_day_of(ticket, "created_at", zone);
  if (created.size() != 10) return;
  const int64_t opened_at = parse_rfc3339_ms(text_or(ticket, "created_at", ""));
  const int64_t resolved_at = parse_rfc3339_ms(text_or(ticket, "resolved_at", ""));
  const bool resolved = opened_at >= 0 && resolved_at >= 0;
  int64_t satisfaction = int_or(ticket, "satisfaction", 0);
  if (satisfaction < 1 || satisfaction > 5) satisfaction = 0;
  add(facts, "stat_tickets_day", {created, text_or(ticket, "status", ""), text_or(ticket, "type", ""), satisfaction},
      {1, resolved ? 1 : 0, resolved ? std::max<int64_t>(0, (resolved_at - opened_at) / 1000) : 0}, sign);
}

void add_customer_facts(StatFacts& facts, const json& customer, const std::string& zone, int sign) {
  const std::string created = local_day_of(customer, "created_at", zone);
  if (created.size() != 10) return;
  add_scoped(facts, "stat_customers_month", int_or(customer, "owner_id", 0),
             {created.substr(0, 7), text_or(customer, "type", ""), text_or(customer, "source", ""),
              text_or(customer, "level", ""), text_or(customer, "status", "")},
             {1}, sign);
}

// Key values are integers and text (never NULL: 0 stands for "none"), ordered by kind, then value.
bool less_value(const SqlValue& a, const SqlValue& b) {
  if (a.index() != b.index()) return a.index() < b.index();
  if (auto* i = std::get_if<int64_t>(&a)) return *i < std::get<int64_t>(b);
  if (auto* t = std::get_if<std::string>(&a)) return *t < std::get<std::string>(b);
  if (auto* d = std::get_if<double>(&a)) return *d < std::get<double>(b);
  return false;
}

}  // namespace

bool StatKey::operator<(const StatKey& o) const {
  if (table != o.table) return table->name < o.table->name;
  return std::lexicographical_compare(values.begin(), values.end(), o.values.begin(), o.values.end(), less_value);
}

namespace {

// A company table and its "_owner" twin keyed by the owner first.
void scoped(std::vector<StatTable>& out, const std::string& name, std::vector<std::string> keys, std::vector<std::string> counters) {
  out.push_back({name, keys, counters, {}});
  keys.insert(keys.begin(), "owner_id");
  out.push_back({name + "_owner", std::move(keys), std::move(counters), {}});
}

std::vector<StatTable> make_tables() {
  const std::vector<std::string> sales = {"orders", "quantity", "amount"};
  std::vector<StatTable> t;
  scoped(t, "stat_sales_day", {"day", "currency"}, sales);
  scoped(t, "stat_sales_month", {"month", "currency"}, sales);
  // Per customer: by day for the churn list (all customers' last weeks); by month and owner for a
  // customer's figures and a team's or rep's rankings (indexes covering the counters, so a range of
  // months is summed without a lookup per row); company-wide by period (a year "2026", a quarter
  // "2026-Q2", a month "2026-06", and every month ever, kAllTime), and so per team, indexed by amount,
  // so a period's best customers are the index's first (core/stats/customer_ranking.h).
  t.push_back({"stat_sales_customer_day", {"customer_id", "day", "owner_id", "currency"}, sales, {"day"}});
  t.push_back({"stat_sales_customer_month", {"customer_id", "month", "owner_id", "currency"}, sales,
               {"month, orders, quantity, amount", "owner_id, month, orders, quantity, amount"}});
  t.push_back({"stat_sales_customer_period", {"period", "customer_id", "currency"}, sales, {"period, amount, customer_id, currency"}});
  t.push_back({"stat_sales_customer_team_period", {"team_id", "period", "customer_id", "currency"}, sales,
               {"team_id, period, amount, customer_id, currency"}});
  t.push_back({"stat_sales_product_day", {"product_id", "day", "owner_id", "currency"}, sales, {}});
  t.push_back({"stat_sales_product_month", {"product_id", "month", "owner_id", "currency"}, sales, {}});
  scoped(t, "stat_contracts", {"status", "month", "currency"}, {"contracts", "amount"});
  scoped(t, "stat_funnel_day", {"day", "stage", "currency"}, {"opportunities", "amount", "closed", "days_to_close"});
  scoped(t, "stat_forecast_month", {"month", "currency"}, {"opportunities", "amount", "weighted_x100"});
  t.push_back({"stat_campaign_revenue", {"campaign_id", "currency"}, {"won", "amount"}, {}});
  t.push_back({"stat_tickets_day", {"day", "status", "type", "satisfaction"}, {"tickets", "resolved", "resolution_seconds"}, {}});
  scoped(t, "stat_customers_month", {"month", "type", "source", "level", "status"}, {"customers"});
  return t;
}

bool is_integer_key(const std::string& column) {
  return column.size() > 3 && column.compare(column.size() - 3, 3, "_id") == 0 ? true : column == "satisfaction";
}

}  // namespace

const std::vector<StatTable>& stat_tables() {
  static const std::vector<StatTable> kTables = make_tables();
  return kTables;
}

const StatTable& stat_table(const std::string& name) {
  for (const auto& t : stat_tables())
    if (t.name == name) return t;
  std::abort();  // a misspelt table in core/stats, found by the first test that counts anything
}

std::string stat_table_sql(const StatTable& table, const std::string& name) {
  std::string sql = "CREATE TABLE " + name + " (", key;
  for (const auto& k : table.keys) {
    sql += k + (is_integer_key(k) ? " INTEGER" : " TEXT") + " NOT NULL, ";
    key += (key.empty() ? "" : ", ") + k;
  }
  for (const auto& c : table.counters) sql += c + " INTEGER NOT NULL, ";
  return sql + "PRIMARY KEY (" + key + ")) WITHOUT ROWID";
}

const std::vector<std::string>& counted_entities() {
  static const std::vector<std::string> kEntities = {"orders", "contracts", "opportunities", "tickets", "customers"};
  return kEntities;
}

bool counts_in_statistics(const std::string& entity) {
  const auto& all = counted_entities();
  return std::find(all.begin(), all.end(), entity) != all.end();
}

void add_facts(StatFacts& facts, const std::string& entity, const json& record, const std::string& zone, int sign,
               const TeamOf& team_of) {
  if (record.is_null()) return;
  if (entity == "orders") add_order_facts(facts, record, zone, sign, team_of);
  else if (entity == "contracts") add_contract_facts(facts, record, sign);
  else if (entity == "opportunities") add_opportunity_facts(facts, record, zone, sign);
  else if (entity == "tickets") add_ticket_facts(facts, record, zone, sign);
  else if (entity == "customers") add_customer_facts(facts, record, zone, sign);
}

void add_team_ranking_facts(StatFacts& facts, int64_t team, const std::string& month, int64_t customer,
                            const std::string& currency, const StatCounters& sales, int sign) {
  for (const std::string& period : ranking_periods(month))
    add(facts, "stat_sales_customer_team_period", {team, period, customer, currency}, sales, sign);
}

}  // namespace kehu
