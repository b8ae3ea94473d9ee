#include "core/rules/order_rules.h"

#include <map>

#include "core/entity/validation.h"
#include "core/stats/stats_upkeep.h"
#include "core/store/record_store.h"
#include "core/time_zone.h"

namespace kehu {

using nlohmann::json;

namespace {

// product id -> quantity held out of stock by `order` (nothing unless it is confirmed).
std::map<int64_t, int64_t> held(const json& order) {
  std::map<int64_t, int64_t> out;
  if (order.is_null() || order.value("status", json()) != json("confirmed")) return out;
  for (const auto& line : order.value("items", json::array())) out[line["product_id"].get<int64_t>()] += line["quantity"].get<int64_t>();
  return out;
}

Text line_message(size_t line, const std::string& zh, const std::string& en) {
  return {"产品明细第 " + std::to_string(line) + " 行：" + zh, "items line " + std::to_string(line) + ": " + en};
}

}  // namespace

Status apply_order_rules(WriteTxn& txn, json& order, const json& before) {
  // status and currency have their defaults already (apply_record_defaults).
  const EntityDef& products = products_def();
  // A new order without a date was made today, in the company's time zone: the day statistics count it on.
  if (before.is_null() && (!order.contains("order_date") || order["order_date"].is_null())) {
    auto today = company_date(txn.db(), txn.now_ms());
    if (!today.ok()) return today.take_error();
    order["order_date"] = *today;
  }

  // Prices and the total, from the products as they are now.
  std::map<int64_t, json> product_rows;
  int64_t total = 0;
  json& items = order["items"];
  for (size_t i = 0; i < items.size(); ++i) {
    json& line = items[i];
    const int64_t product_id = line["product_id"].get<int64_t>();
    auto product = get_record(txn.db(), products, product_id);
    if (!product.ok()) {
      if (product.error().code != ErrorCode::not_found) return product.take_error();
      return validation_error({{"items", line_message(i + 1, "所选产品不存在", "the chosen product does not exist")}});
    }
    if (!line.contains("unit_price") || line["unit_price"].is_null()) {
      if (!(*product)["price"].is_number_integer())
        return validation_error({{"items", line_message(i + 1, "该产品没有单价，请填写单价", "the product has no price; enter a unit price")}});
      line["unit_price"] = (*product)["price"];
    }
    int64_t amount = 0;
    if (__builtin_mul_overflow(line["quantity"].get<int64_t>(), line["unit_price"].get<int64_t>(), &amount) ||
        __builtin_add_overflow(total, amount, &total) || total > kMostMoney)
      return validation_error({{"items", {std::string("订单合计不能超过 ") + kMostMoneyText, std::string("the order total may not exceed ") + kMostMoneyText}}});
    product_rows[product_id] = std::move(*product);
  }
  order["total"] = total;

  // Stock: take what the order now holds beyond what it held before, return the rest. Every line is
  // checked before any product is changed, so the error names the first line that cannot be served.
  auto now_held = held(order);
  auto was_held = held(before);
  std::map<int64_t, int64_t> change;  // product -> stock change (negative: taken)
  for (auto& [id, qty] : now_held) change[id] -= qty;
  for (auto& [id, qty] : was_held) change[id] += qty;
  for (size_t i = 0; i < items.size(); ++i) {
    const int64_t id = items[i]["product_id"].get<int64_t>();
    const json& product = product_rows[id];
    const int64_t stock = product["stock"].is_number_integer() ? product["stock"].get<int64_t>() : 0;
    if (stock + change[id] < 0) {
      const std::string name = product["name"].is_string() ? product["name"].get<std::string>() : "";
      const std::string left = std::to_string(stock);
      Error e = Error::make(ErrorCode::insufficient_stock, {"库存不足：" + name + " 仅剩 " + left, "not enough stock: " + name + " has only " + left + " left"});
      e.fields["items"] = line_message(i + 1, name + " 库存不足，仅剩 " + left, "not enough stock of " + name + ", only " + left + " left");
      return e;
    }
  }
  for (auto& [id, delta] : change) {
    if (delta == 0) continue;
    // A product dropped from the order was not looked up above.
    auto product = get_record(txn.db(), products, id);
    if (!product.ok()) {
      if (product.error().code == ErrorCode::not_found) continue;  // deleted since: nothing to return it to
      return product.take_error();
    }
    const int64_t stock = (*product)["stock"].is_number_integer() ? (*product)["stock"].get<int64_t>() : 0;
    auto updated = update_record(txn, products, id, json{{"stock", stock + delta}}, (*product)["rev"].get<int64_t>());
    if (!updated.ok()) return updated.take_error();
  }
  return ok_status();
}

}  // namespace kehu
