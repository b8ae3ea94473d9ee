#include "core/stats/stat_facts.h"

#include <algorithm>

#include "core/clock.h"
#include "core/time_zone.h"

namespace kehu {

using nlohmann::json;

namespace {

const StatTable& table_named(const std::string& name) {
  for (const auto& t : stat_tables())
    if (t.name == name) return t;
  std::abort();  // a typo in this file, found by the first test that counts an order
}

int64_t int_or(const json& record, const char* field, int64_t fallback) {
  auto it = record.find(field);
  return it != record.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string text_or(const json& record, const char* field, const std::string& fallback) {
  auto it = record.find(field);
  return it != record.end() && it->is_string() && !it->get_ref<const std::string&>().empty() ? it->get<std::string>() : fallback;
}

void add(StatFacts& facts, const char* table, std::vector<SqlValue> key, const StatCounters& counters, int sign) {
  StatCounters& sum = facts[StatKey{&table_named(table), std::move(key)}];
  if (sum.empty()) sum.assign(counters.size(), 0);
  for (size_t i = 0; i < counters.size(); ++i) sum[i] += sign * counters[i];
}

// The day an order counts on: its order date, else the day it was created in the company time zone.
std::string order_day(const json& order, const std::string& zone) {
  std::string day = text_or(order, "order_date", "");
  if (!day.empty()) return day;
  std::string created = text_or(order, "created_at", "");
  int64_t at = parse_rfc3339_ms(created);
  if (at >= 0)
    if (auto local = local_date(zone, at)) return *local;
  return created.substr(0, 10);
}

void add_order_facts(StatFacts& facts, const json& order, const std::string& zone, int sign) {
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
  add(facts, "stat_sales_day", {day, owner, currency}, whole, sign);
  add(facts, "stat_sales_month", {month, owner, currency}, whole, sign);
  add(facts, "stat_sales_customer_day", {customer, day, owner, currency}, whole, sign);
  add(facts, "stat_sales_customer_month", {customer, month, owner, currency}, whole, sign);
  for (const auto& [product, sums] : products) {
    const StatCounters part = {1, sums.first, sums.second};
    add(facts, "stat_sales_product_day", {product, day, owner, currency}, part, sign);
    add(facts, "stat_sales_product_month", {product, month, owner, currency}, part, sign);
  }
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

const std::vector<StatTable>& stat_tables() {
  static const std::vector<StatTable> kTables = {
      {"stat_sales_day", {"day", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
      {"stat_sales_month", {"month", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
      {"stat_sales_customer_day", {"customer_id", "day", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
      {"stat_sales_customer_month", {"customer_id", "month", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
      {"stat_sales_product_day", {"product_id", "day", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
      {"stat_sales_product_month", {"product_id", "month", "owner_id", "currency"}, {"orders", "quantity", "amount"}},
  };
  return kTables;
}

bool counts_in_statistics(const std::string& entity) { return entity == "orders"; }

void add_facts(StatFacts& facts, const std::string& entity, const json& record, const std::string& zone, int sign) {
  if (record.is_null()) return;
  if (entity == "orders") add_order_facts(facts, record, zone, sign);
}

}  // namespace kehu
