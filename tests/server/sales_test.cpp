// sales_test.cpp — products, opportunities, contracts and orders over HTTP (SPEC §4): codes, the
// contract state machine and who may move it, stock that never goes below zero and an order that is
// written whole or not at all, final opportunity stages, and the customer's last order time.
#include <doctest/doctest.h>

#include <thread>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {


struct Shop {
  TestServer& s;
  std::string admin, sales, other_sales, manager, contract_clerk, service;
  int64_t sales_id = 0;
  json customer, product_a, product_b;

  explicit Shop(TestServer& server) : s(server) {
    admin = s.admin_token();
    auto team = s.request("POST", "/api/v1/teams", admin, {{"name", "华东销售部"}});
    sales_id = s.add_user("zhang.wei", "sales");
    s.add_user("li.na", "sales");
    int64_t manager_id = s.add_user("chen.jing", "manager");
    for (int64_t id : {sales_id, manager_id}) {
      auto u = s.request("GET", "/api/v1/users/" + std::to_string(id), admin);
      REQUIRE(s.request("PATCH", "/api/v1/users/" + std::to_string(id), admin, {{"rev", u.body["rev"]}, {"team_id", team.body["id"]}}).status == 200);
    }
    s.add_user("he.min", "contract");
    s.add_user("sun.li", "service");
    sales = s.login("zhang.wei");
    other_sales = s.login("li.na");
    manager = s.login("chen.jing");
    contract_clerk = s.login("he.min");
    service = s.login("sun.li");
    customer = s.request("POST", "/api/v1/customers", sales, {{"name", "北京华夏科技有限公司"}}).body;
    product_a = s.request("POST", "/api/v1/products", admin, {{"sku", "P-100"}, {"name", "服务器"}, {"price", 1250000}, {"stock", 10}}).body;
    product_b = s.request("POST", "/api/v1/products", admin, {{"sku", "P-200"}, {"name", "交换机"}, {"price", 300000}, {"stock", 2}}).body;
    REQUIRE(customer["id"].is_number_integer());
    REQUIRE(product_a["id"].is_number_integer());
    REQUIRE(product_b["id"].is_number_integer());
  }

  int64_t stock(const json& product) { return s.count("SELECT stock FROM products WHERE id = " + std::to_string(product["id"].get<int64_t>())); }
};

}  // namespace

TEST_CASE("products: admin and manager write them, everyone on staff reads them, SKUs are unique") {
  TestServer s;
  Shop shop(s);
  CHECK(shop.product_a["active"] == true);
  CHECK(shop.product_a["stock"] == 10);
  CHECK(s.request("POST", "/api/v1/products", shop.sales, {{"sku", "X-1"}, {"name", "私货"}}).status == 403);
  CHECK(s.request("POST", "/api/v1/products", shop.manager, {{"sku", "M-1"}, {"name", "经理加的"}}).status == 201);
  auto dup = s.request("POST", "/api/v1/products", shop.admin, {{"sku", "P-100"}, {"name", "重复"}});
  CHECK(dup.status == 422);
  CHECK(dup.body["error"]["fields"].contains("sku"));
  auto negative = s.request("POST", "/api/v1/products", shop.admin, {{"sku", "N-1"}, {"name", "负库存"}, {"stock", -1}, {"price", -5}});
  CHECK(negative.status == 422);
  CHECK(negative.body["error"]["fields"].contains("stock"));
  CHECK(negative.body["error"]["fields"].contains("price"));
  auto found = s.request("GET", "/api/v1/products?q=" + httplib::detail::encode_query_param("服务"), shop.service);
  REQUIRE(found.status == 200);
  CHECK(found.body["items"].size() == 1);
}

TEST_CASE("contracts: numbered HT…, status only through transitions, approval by the right roles") {
  TestServer s;
  Shop shop(s);
  auto c = s.request("POST", "/api/v1/contracts", shop.sales, {{"customer_id", shop.customer["id"]}, {"title", "年度维保合同"}, {"amount", 5000000}});
  REQUIRE(c.status == 201);
  CHECK(c.body["code"] == "HT000001");
  CHECK(c.body["status"] == "draft");
  CHECK(c.body["currency"] == "CNY");
  CHECK(c.body["owner_id"] == shop.sales_id);

  // No contract without a customer on file, nor with one the rep cannot see.
  auto orphan = s.request("POST", "/api/v1/contracts", shop.sales, {{"title", "无客户"}});
  CHECK(orphan.status == 422);
  CHECK(orphan.body["error"]["fields"].contains("customer_id"));
  auto hidden = s.request("POST", "/api/v1/customers", shop.other_sales, {{"name", "别人的客户"}});
  auto foreign = s.request("POST", "/api/v1/contracts", shop.sales, {{"customer_id", hidden.body["id"]}, {"title", "越权"}});
  CHECK(foreign.status == 422);
  CHECK(foreign.body["error"]["fields"].contains("customer_id"));

  auto patched = s.request("PATCH", record_path("contracts", c.body["id"]), shop.sales, {{"rev", c.body["rev"]}, {"status", "signed"}});
  CHECK(patched.status == 422);
  CHECK(patched.body["error"]["fields"].contains("status"));

  auto go = [&](const std::string& token, const std::string& to, const json& reason = nullptr) {
    json body = {{"to", to}};
    if (!reason.is_null()) body["reason"] = reason;
    return s.request("POST", record_path("contracts", c.body["id"], "/transition"), token, body, {{"Accept-Language", "en"}});
  };
  auto jump = go(shop.manager, "executing");
  CHECK(jump.status == 422);
  CHECK(jump.body["error"]["code"] == "invalid_transition");
  CHECK(jump.body["error"]["message"].get<std::string>().find("Draft") != std::string::npos);
  CHECK(go(shop.other_sales, "pending_approval").status == 404);  // not theirs: not even there
  CHECK(go(shop.sales, "pending_approval").status == 200);
  CHECK(go(shop.sales, "signed").status == 403);  // sales draft and submit, never approve
  CHECK(go(shop.service, "signed").status == 403);
  auto rejected_without_reason = go(shop.manager, "draft");
  CHECK(rejected_without_reason.status == 422);
  CHECK(rejected_without_reason.body["error"]["fields"].contains("reason"));
  auto rejected = go(shop.manager, "draft", "金额需复核");
  REQUIRE(rejected.status == 200);
  CHECK(rejected.body["status"] == "draft");
  CHECK(rejected.body["reject_reason"] == "金额需复核");
  CHECK(go(shop.sales, "pending_approval").status == 200);
  auto signed_ = go(shop.contract_clerk, "signed");
  REQUIRE(signed_.status == 200);
  CHECK(signed_.body["status"] == "signed");
  CHECK(signed_.body["approved_by"].is_number_integer());
  CHECK(signed_.body["approved_at"].is_string());
  CHECK(signed_.body["signed_date"].is_string());
  CHECK(signed_.body["reject_reason"].is_null());
  // Once submitted, the rep neither edits, deletes nor moves it on; approvers do.
  CHECK(s.request("PATCH", record_path("contracts", c.body["id"]), shop.sales, {{"rev", signed_.body["rev"]}, {"amount", 1}}).status == 403);
  CHECK(s.request("DELETE", record_path("contracts", c.body["id"]), shop.sales).status == 403);
  CHECK(go(shop.sales, "executing").status == 403);
  CHECK(go(shop.contract_clerk, "executing").status == 200);
  CHECK(go(shop.manager, "terminated").status == 422);  // a reason is required
  CHECK(go(shop.manager, "completed").status == 200);
  CHECK(go(shop.manager, "terminated", "客户违约").body["error"]["code"] == "invalid_transition");
  CHECK(go(shop.manager, "nonsense").status == 422);
  CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'contracts' AND action = 'update' AND entity_id = " +
                std::to_string(c.body["id"].get<int64_t>()) + " AND changes LIKE '%\"status\"%'") == 6);

  // Codes stay unique when reps create at once.
  std::vector<std::thread> reps;
  std::vector<std::string> codes(6);
  for (int i = 0; i < 6; ++i)
    reps.emplace_back([&, i] {
      codes[i] = s.request("POST", "/api/v1/contracts", shop.sales, {{"customer_id", shop.customer["id"]}, {"title", "并发合同"}}).body.value("code", "");
    });
  for (auto& t : reps) t.join();
  std::sort(codes.begin(), codes.end());
  CHECK(std::unique(codes.begin(), codes.end()) == codes.end());
  CHECK(codes.front() == "HT000002");
  CHECK(codes.back() == "HT000007");
}

TEST_CASE("orders: totals from the server, stock taken and returned, never below zero, nothing partial") {
  TestServer s;
  Shop shop(s);
  auto line = [](const json& product, int64_t qty) { return json{{"product_id", product["id"]}, {"quantity", qty}}; };
  auto order = s.request("POST", "/api/v1/orders", shop.sales,
                         {{"customer_id", shop.customer["id"]}, {"order_date", "2026-11-20"},
                          {"items", {line(shop.product_a, 3), json{{"product_id", shop.product_b["id"]}, {"quantity", 1}, {"unit_price", 280000}}}},
                          {"total", 1}});
  CHECK(order.status == 422);  // the total is the server's
  CHECK(order.body["error"]["fields"].contains("total"));
  order = s.request("POST", "/api/v1/orders", shop.sales,
                    {{"customer_id", shop.customer["id"]}, {"order_date", "2026-11-20"},
                     {"items", {line(shop.product_a, 3), json{{"product_id", shop.product_b["id"]}, {"quantity", 1}, {"unit_price", 280000}}}}});
  REQUIRE(order.status == 201);
  CHECK(order.body["code"] == "DD000001");
  CHECK(order.body["status"] == "confirmed");
  CHECK(order.body["total"] == 3 * 1250000 + 280000);
  CHECK(order.body["items"][0]["unit_price"] == 1250000);  // the product's price when none is given
  CHECK(shop.stock(shop.product_a) == 7);
  CHECK(shop.stock(shop.product_b) == 1);
  auto customer = s.request("GET", record_path("customers", shop.customer["id"]), shop.sales);
  CHECK(customer.body["last_order_at"] == "2026-11-19T16:00:00.000Z");  // 2026-11-20 begins at 00:00 in Shanghai

  // The third line lacks stock: no order, no stock taken, the line named.
  const int64_t orders_before = s.count("SELECT count(*) FROM orders");
  const int64_t audit_before = s.count("SELECT count(*) FROM audit");
  auto short_stock = s.request("POST", "/api/v1/orders", shop.sales,
                               {{"customer_id", shop.customer["id"]}, {"items", {line(shop.product_a, 1), line(shop.product_a, 1), line(shop.product_b, 5)}}},
                               {{"Accept-Language", "en"}});
  CHECK(short_stock.status == 422);
  CHECK(short_stock.body["error"]["code"] == "insufficient_stock");
  CHECK(short_stock.body["error"]["fields"]["items"].get<std::string>().find("line 3") != std::string::npos);
  CHECK(s.count("SELECT count(*) FROM orders") == orders_before);
  CHECK(s.count("SELECT count(*) FROM audit") == audit_before);
  CHECK(shop.stock(shop.product_a) == 7);
  CHECK(shop.stock(shop.product_b) == 1);

  auto bad_lines = s.request("POST", "/api/v1/orders", shop.sales,
                             {{"customer_id", shop.customer["id"]}, {"items", {json{{"product_id", 999999}, {"quantity", 1}}}}});
  CHECK(bad_lines.status == 422);
  CHECK(s.request("POST", "/api/v1/orders", shop.sales, {{"customer_id", shop.customer["id"]}, {"items", json::array()}}).status == 422);
  CHECK(s.request("POST", "/api/v1/orders", shop.sales,
                  {{"customer_id", shop.customer["id"]}, {"items", {json{{"product_id", shop.product_a["id"]}, {"quantity", 0}}}}}).status == 422);

  // Changing the lines of a confirmed order takes or returns the difference; cancelling returns all.
  auto more = s.request("PATCH", record_path("orders", order.body["id"]), shop.sales,
                        {{"rev", order.body["rev"]}, {"items", {line(shop.product_a, 5)}}});
  REQUIRE(more.status == 200);
  CHECK(more.body["total"] == 5 * 1250000);
  CHECK(shop.stock(shop.product_a) == 5);
  CHECK(shop.stock(shop.product_b) == 2);
  auto cancelled = s.request("PATCH", record_path("orders", order.body["id"]), shop.sales, {{"rev", more.body["rev"]}, {"status", "cancelled"}});
  REQUIRE(cancelled.status == 200);
  CHECK(shop.stock(shop.product_a) == 10);
  // Confirming again needs the stock to be there.
  auto big = s.request("POST", "/api/v1/orders", shop.sales, {{"customer_id", shop.customer["id"]}, {"items", {line(shop.product_a, 8)}}});
  REQUIRE(big.status == 201);
  auto reconfirm = s.request("PATCH", record_path("orders", order.body["id"]), shop.sales, {{"rev", cancelled.body["rev"]}, {"status", "confirmed"}});
  CHECK(reconfirm.body["error"]["code"] == "insufficient_stock");
  CHECK(shop.stock(shop.product_a) == 2);
  // A deleted confirmed order gives its stock back.
  CHECK(s.request("DELETE", record_path("orders", big.body["id"]), shop.sales).status == 204);
  CHECK(shop.stock(shop.product_a) == 10);
  // Nobody else's: another rep neither sees nor changes the order; service reads it.
  CHECK(s.request("GET", record_path("orders", order.body["id"]), shop.other_sales).status == 404);
  CHECK(s.request("GET", record_path("orders", order.body["id"]), shop.service).status == 200);
  CHECK(s.request("PATCH", record_path("orders", order.body["id"]), shop.service, {{"rev", cancelled.body["rev"]}, {"notes", "x"}}).status == 403);
  // Nor a product that orders use: it is deactivated instead.
  auto product_in_use = s.request("DELETE", record_path("products", shop.product_a["id"]), shop.admin);
  CHECK(product_in_use.status == 409);
  CHECK(product_in_use.body["error"]["code"] == "in_use");
  // A customer with orders cannot be deleted out from under them.
  auto in_use = s.request("DELETE", record_path("customers", shop.customer["id"]), shop.sales);
  CHECK(in_use.status == 409);
  CHECK(in_use.body["error"]["code"] == "in_use");
}

TEST_CASE("opportunities: need a customer, won and lost are final and set closed_at") {
  TestServer s;
  Shop shop(s);
  CHECK(s.request("POST", "/api/v1/opportunities", shop.sales, {{"title", "无客户商机"}}).status == 422);
  auto bad = s.request("POST", "/api/v1/opportunities", shop.sales,
                       {{"customer_id", shop.customer["id"]}, {"title", "x"}, {"probability", 101}, {"currency", "rmb"}});
  CHECK(bad.status == 422);
  CHECK(bad.body["error"]["fields"].contains("probability"));
  CHECK(bad.body["error"]["fields"].contains("currency"));
  auto opp = s.request("POST", "/api/v1/opportunities", shop.sales,
                       {{"customer_id", shop.customer["id"]}, {"title", "机房扩容"}, {"amount", 800000}, {"probability", 40}});
  REQUIRE(opp.status == 201);
  CHECK(opp.body["stage"] == "lead");
  CHECK(opp.body["closed_at"].is_null());
  auto won = s.request("PATCH", record_path("opportunities", opp.body["id"]), shop.sales, {{"rev", opp.body["rev"]}, {"stage", "won"}});
  REQUIRE(won.status == 200);
  CHECK(won.body["closed_at"].is_string());
  CHECK(won.body["probability"] == 100);
  auto reopen = s.request("PATCH", record_path("opportunities", opp.body["id"]), shop.sales, {{"rev", won.body["rev"]}, {"stage", "negotiation"}});
  CHECK(reopen.status == 422);
  CHECK(reopen.body["error"]["fields"].contains("stage"));
  CHECK(s.request("PATCH", record_path("opportunities", opp.body["id"]), shop.manager, {{"rev", won.body["rev"]}, {"amount", 1}}).status == 422);
  // A contact of another customer is refused.
  auto other = s.request("POST", "/api/v1/customers", shop.sales, {{"name", "上海另一家公司"}});
  auto contact = s.request("POST", "/api/v1/contacts", shop.sales, {{"customer_id", other.body["id"]}, {"name", "赵六"}});
  auto mixed = s.request("POST", "/api/v1/opportunities", shop.sales,
                         {{"customer_id", shop.customer["id"]}, {"contact_id", contact.body["id"]}, {"title", "错配"}});
  CHECK(mixed.status == 422);
  CHECK(mixed.body["error"]["fields"].contains("contact_id"));
}

TEST_CASE("Idempotency-Key on action POSTs: a retried transition or member add replays the first answer") {
  TestServer s;
  Shop shop(s);
  auto c = s.request("POST", "/api/v1/contracts", shop.sales, {{"customer_id", shop.customer["id"]}, {"title", "重试合同"}, {"amount", 100}});
  REQUIRE(c.status == 201);
  const std::string submit = record_path("contracts", c.body["id"], "/transition");
  httplib::Headers key = {{"Idempotency-Key", "outbox-submit-1"}};
  auto first = s.request("POST", submit, shop.sales, {{"to", "pending_approval"}}, key);
  REQUIRE(first.status == 200);
  CHECK(first.body["status"] == "pending_approval");
  // The response was lost and the outbox sends it again: same answer, no second move, one audit row.
  auto again = s.request("POST", submit, shop.sales, {{"to", "pending_approval"}}, key);
  CHECK(again.status == 200);
  CHECK(again.header("Idempotency-Replayed") == "true");
  CHECK(again.body == first.body);
  CHECK(s.count("SELECT count(*) FROM audit WHERE entity = 'contracts' AND action = 'update'") == 1);
  // Without the key the same request is a new one, refused: the submitted contract is the approvers' now.
  CHECK(s.request("POST", submit, shop.sales, {{"to", "pending_approval"}}).status == 403);
  // The key belongs to that request: another body or another path under it is refused, nothing changes.
  CHECK(s.request("POST", submit, shop.sales, {{"to", "draft"}}, key).body["error"]["fields"].contains("Idempotency-Key"));
  CHECK(s.request("POST", record_path("customers", shop.customer["id"], "/claim"), shop.sales, nullptr, key).status == 422);
  CHECK(s.request("GET", record_path("contracts", c.body["id"]), shop.sales).body["status"] == "pending_approval");
  // A failed action stores nothing: its key works once the request is fixed.
  httplib::Headers key2 = {{"Idempotency-Key", "outbox-reject-1"}};
  CHECK(s.request("POST", submit, shop.manager, {{"to", "draft"}}, key2).status == 422);  // a reject needs a reason
  auto rejected = s.request("POST", submit, shop.manager, {{"to", "draft"}, {"reason", "金额有误"}}, key2);
  CHECK(rejected.status == 200);
  CHECK(rejected.header("Idempotency-Replayed").empty());
  CHECK(rejected.body["reject_reason"] == "金额有误");
  CHECK(s.request("POST", submit, shop.manager, {{"to", "draft"}}, {{"Idempotency-Key", std::string(201, 'k')}}).status == 400);

  auto campaign = s.request("POST", "/api/v1/campaigns", shop.admin, {{"name", "双十一"}, {"type", "event"}});
  REQUIRE(campaign.status == 201);
  const std::string members = record_path("campaigns", campaign.body["id"], "/members");
  httplib::Headers key4 = {{"Idempotency-Key", "member-add-1"}};
  auto added = s.request("POST", members, shop.admin, {{"customer_id", shop.customer["id"]}, {"status", "responded"}}, key4);
  REQUIRE(added.status == 200);
  // Meanwhile the member moved on; the retried add replays its first answer instead of undoing that.
  REQUIRE(s.request("POST", members, shop.admin, {{"customer_id", shop.customer["id"]}, {"status", "converted"}}).status == 200);
  auto retried = s.request("POST", members, shop.admin, {{"customer_id", shop.customer["id"]}, {"status", "responded"}}, key4);
  CHECK(retried.body == added.body);
  CHECK(retried.header("Idempotency-Replayed") == "true");
  CHECK(s.request("GET", members, shop.admin).body["items"][0]["status"] == "converted");
}
