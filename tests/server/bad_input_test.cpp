// Bad input, as an attacker or a tired user sends it: a clear 4xx naming what is wrong, nothing written,
// the server unharmed (checked after every case through /healthz and the row counts).
#include <doctest/doctest.h>

#include "server/http/json_body.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {
void check_unharmed(TestServer& s, int64_t customers) {
  CHECK(s.request("GET", "/healthz").status == 200);
  CHECK(s.count("SELECT count(*) FROM customers") == customers);
}
}  // namespace

TEST_CASE("malformed bodies are 400 and write nothing") {
  TestServer s;
  std::string t = s.admin_token();
  httplib::Headers auth = {{"Authorization", "Bearer " + t}};
  struct Case {
    std::string body, type;
  };
  std::string deep(5000, '[');
  for (const Case& c : std::vector<Case>{{"{\"name\": \"未闭合", "application/json"},
                                        {"[1,2,3]", "application/json"},
                                        {"\"just a string\"", "application/json"},
                                        {"", "application/json"},
                                        {"name=x", "application/x-www-form-urlencoded"},
                                        {"{\"name\": \"\xff\xfe\"}", "application/json"},
                                        {"{\"name\": \"a\xC0\xAF\"}", "application/json"},
                                        {"{\"a\":" + deep, "application/json"},
                                        {"{\"name\": \"x\"} trailing", "application/json"}}) {
    INFO(c.body.substr(0, 40));
    auto r = s.raw_request("POST", "/api/v1/customers", c.body, c.type, auth);
    CHECK(r.status == 400);
    CHECK(r.body["error"]["code"] == "bad_request");
    CHECK_FALSE(r.body["error"]["message"].get<std::string>().empty());
  }
  check_unharmed(s, 0);
}

// nlohmann's parser takes a NUL byte for the end of its input, so a body "{...}\0anything" would pass as
// the object before the NUL and whatever follows would be ignored. JSON text never holds a raw NUL (in a
// string it is written \u0000): a body with one is not JSON, refused whole with 400.
TEST_CASE("a NUL byte in a JSON body is refused, not taken as the body's end") {
  const std::string nul(1, '\0'), object = "{\"name\": \"甲\"}";
  for (const std::string& body : {"{}" + nul, object + nul + "junk", object + nul + "{\"name\": \"乙\"}",
                                  "{\"name\": \"a" + nul + "b\"}"}) {
    const std::string shown = json(body).dump();  // the NUL as \u0000
    CAPTURE(shown);
    auto parsed = server::parse_json_object("application/json", body);
    CHECK_FALSE(parsed.ok());
    if (!parsed.ok()) CHECK(parsed.error().code == ErrorCode::bad_request);
  }
  // Written as an escape, a NUL is a character like any other.
  auto escaped = server::parse_json_object("application/json", "{\"name\": \"a\\u0000b\"}");
  REQUIRE(escaped.ok());
  CHECK((*escaped)["name"] == "a" + nul + "b");

  TestServer s;
  httplib::Headers auth = {{"Authorization", "Bearer " + s.admin_token()}};
  auto r = s.raw_request("POST", "/api/v1/customers", object + nul + "junk", "application/json", auth);
  CHECK(r.status == 400);
  CHECK(r.body["error"]["code"] == "bad_request");
  check_unharmed(s, 0);
}

TEST_CASE("wrong types, unknown fields and huge values are 422 naming each field") {
  TestServer s;
  std::string t = s.admin_token();
  auto r = s.request("POST", "/api/v1/customers", t,
                     {{"name", 42}, {"level", true}, {"tags", "not-a-list"}, {"owner_id", "1"}, {"isAdmin", true}, {"rev", 3}});
  CHECK(r.status == 422);
  for (const char* f : {"name", "level", "tags", "owner_id", "isAdmin", "rev"}) CHECK(r.body["error"]["fields"].contains(f));
  auto huge = s.request("POST", "/api/v1/customers", t, {{"name", std::string(10000, 'x')}});
  CHECK(huge.status == 422);
  CHECK(huge.body["error"]["fields"].contains("name"));
  auto patch_types = s.request("PATCH", "/api/v1/customers/1", t, {{"rev", "1"}});
  CHECK(patch_types.status == 422);
  check_unharmed(s, 0);
}

TEST_CASE("SQL metacharacters are stored and searched as plain text") {
  TestServer s;
  std::string t = s.admin_token();
  std::string evil = "Robert'); DROP TABLE customers;-- \"%_\\";
  auto r = s.request("POST", "/api/v1/customers", t, {{"name", evil}, {"notes", "' OR '1'='1"}});
  REQUIRE(r.status == 201);
  CHECK(r.body["name"] == evil);
  CHECK(s.request("GET", "/api/v1/customers?q=DROP%20TABLE", t).body["total"] == 1);
  CHECK(s.request("GET", "/api/v1/customers?name=x%27%20OR%201%3D1", t).body["total"] == 0);
  CHECK(s.request("GET", "/api/v1/customers?q=%22%20OR%20%22", t).status == 200);
  check_unharmed(s, 1);
}

TEST_CASE("bad query strings are 400 naming the parameter") {
  TestServer s;
  std::string t = s.admin_token();
  for (std::string q : {"limit=501", "limit=-1", "limit=abc", "sort=password_hash", "cursor=forged!!", "cursor=eyJ4IjoxfQ",
                        "type=spaceship", "owner_id=1;DROP", "created_at_from=tomorrow", "unknown=1"}) {
    INFO(q);
    auto r = s.request("GET", "/api/v1/customers?" + q, t);
    CHECK(r.status == 400);
    std::string name = q.substr(0, q.find('='));
    CHECK(r.body["error"]["fields"].contains(name));
  }
  for (std::string id : {"-1", "0", "abc", "1.5", "99999999999999999999", "1%20OR%201=1"}) {
    INFO(id);
    auto r = s.request("GET", "/api/v1/customers/" + id, t);
    CHECK(r.status == 400);
    CHECK(r.body["error"]["fields"].contains("id"));
  }
  CHECK(s.request("GET", "/api/v1/customers/424242", t).status == 404);
  CHECK(s.request("GET", "/api/v1/sync?since=-5", t).status == 400);
  CHECK(s.request("GET", "/api/v1/sync?limit=100000", t).status == 400);
  check_unharmed(s, 0);
}

TEST_CASE("an oversize body is refused with 413 before it is read") {
  TestServer s([](server::ServerConfig& c) { c.max_body_bytes = 64 * 1024; });
  std::string t = s.admin_token();
  json big = {{"name", "大"}, {"notes", std::string(100 * 1024, 'x')}};
  auto r = s.request("POST", "/api/v1/customers", t, big);
  CHECK(r.status == 413);
  CHECK(r.body["error"]["code"] == "too_large");
  check_unharmed(s, 0);
}

TEST_CASE("oversize headers and unknown routes get clear errors") {
  TestServer s;
  std::string t = s.admin_token();
  auto big_header = s.request("GET", "/api/v1/me", t, nullptr, {{"X-Junk", std::string(20000, 'h')}});
  CHECK(big_header.status >= 400);
  CHECK(big_header.status < 500);
  httplib::Headers many;
  for (int i = 0; i < 150; ++i) many.emplace("X-H" + std::to_string(i), "v");
  auto too_many = s.request("GET", "/api/v1/me", t, nullptr, many);
  CHECK(too_many.status >= 400);
  CHECK(too_many.status < 500);
  auto nowhere = s.request("GET", "/api/v1/spaceships", t);
  CHECK(nowhere.status == 404);
  CHECK(nowhere.body["error"]["code"] == "not_found");
  CHECK(s.request("PUT", "/api/v1/customers/1", t, {{"name", "x"}}).status == 404);
  check_unharmed(s, 0);
}

TEST_CASE("the domain's endpoints answer wrong shapes with a 4xx naming the part, and write nothing") {
  TestServer s;
  std::string admin = s.admin_token();
  auto customer = s.request("POST", "/api/v1/customers", admin, {{"name", "坏输入测试公司"}});
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "B-1"}, {"name", "产品"}, {"price", 100}, {"stock", 5}});
  auto contract = s.request("POST", "/api/v1/contracts", admin, {{"customer_id", customer.body["id"]}, {"title", "合同"}});
  auto ticket = s.request("POST", "/api/v1/tickets", admin, {{"customer_id", customer.body["id"]}, {"subject", "工单"}, {"type", "inquiry"}});
  auto campaign = s.request("POST", "/api/v1/campaigns", admin, {{"name", "活动"}});
  REQUIRE(contract.status == 201);
  REQUIRE(ticket.status == 201);
  REQUIRE(campaign.status == 201);
  const std::string cid = std::to_string(customer.body["id"].get<int64_t>());
  const std::string k = std::to_string(contract.body["id"].get<int64_t>());
  const std::string t = std::to_string(ticket.body["id"].get<int64_t>());
  const std::string m = std::to_string(campaign.body["id"].get<int64_t>());
  const int64_t audit = s.count("SELECT count(*) FROM audit");
  struct Case {
    std::string method, path;
    json body;
  };
  const json big = std::string(100000, 'x');
  for (const Case& c : std::vector<Case>{
           {"POST", "/api/v1/orders", {{"customer_id", customer.body["id"]}, {"items", "three servers"}}},
           {"POST", "/api/v1/orders", {{"customer_id", customer.body["id"]}, {"items", {{{"product_id", "1"}, {"quantity", 1}}}}}},
           {"POST", "/api/v1/orders", {{"customer_id", customer.body["id"]}, {"items", {{{"product_id", product.body["id"]}, {"quantity", 1e300}}}}}},
           {"POST", "/api/v1/orders", {{"customer_id", customer.body["id"]}, {"items", {{{"product_id", product.body["id"]}, {"quantity", -1}}}}}},
           {"POST", "/api/v1/orders", {{"customer_id", customer.body["id"]}, {"items", {{{"product_id", product.body["id"]}, {"quantity", 1}, {"unit_price", 9223372036854775807LL}}, {{"product_id", product.body["id"]}, {"quantity", 1000}, {"unit_price", 999999999999999999LL}}}}}},
           {"POST", "/api/v1/opportunities", {{"customer_id", customer.body["id"]}, {"title", "x"}, {"probability", "high"}}},
           {"POST", "/api/v1/contracts/" + k + "/transition", {{"to", 5}}},
           {"POST", "/api/v1/contracts/" + k + "/transition", {{"to", "signed"}, {"reason", json::array()}}},
           {"POST", "/api/v1/contracts/" + k + "/transition", {{"reason", "x"}}},
           {"POST", "/api/v1/contracts/abc/transition", {{"to", "pending_approval"}}},
           {"POST", "/api/v1/tickets/" + t + "/transition", {{"to", "assigned"}, {"assignee_id", "me"}}},
           {"POST", "/api/v1/tickets/" + t + "/transition", {{"to", "assigned"}, {"note", big}}},
           {"POST", "/api/v1/tickets/" + t + "/notes", {{"text", 42}}},
           {"POST", "/api/v1/tickets/" + t + "/notes", {{"body", "x"}}},
           {"POST", "/api/v1/campaigns/" + m + "/members", {{"customer_id", "1"}}},
           {"POST", "/api/v1/campaigns/" + m + "/members", {{"customer_id", 999999}}},
           {"POST", "/api/v1/campaigns/" + m + "/members", {{"customer_id", customer.body["id"]}, {"status", 3}}},
           {"DELETE", "/api/v1/campaigns/" + m + "/members?customer_id=x", nullptr},
           {"DELETE", "/api/v1/campaigns/" + m + "/members", nullptr},
           {"GET", "/api/v1/customers/" + cid + "/timeline?limit=9999", nullptr},
           {"GET", "/api/v1/customers/" + cid + "/timeline?since=1", nullptr},
           {"PUT", "/api/v1/admin/settings", {{"custom_fields", {{"customers", {{{"key", "k"}, {"zh", "甲"}, {"en", "a"}, {"type", "option"}, {"options", json::array()}}}}}}}},
           {"PUT", "/api/v1/admin/settings", {{"menus", "all"}}},
           {"PUT", "/api/v1/admin/settings", {{"option_lists", {{"customers.level", {{{"value", "A"}, {"zh", "甲"}, {"en", "a"}}, {{"value", "A"}, {"zh", "乙"}, {"en", "b"}}}}}}}},
           {"POST", "/api/v1/views", {{"name", "v"}, {"resource", "customers"}, {"filters", "level=A"}}},
       }) {
    INFO(c.method << " " << c.path << " " << c.body.dump().substr(0, 120));
    auto r = s.request(c.method, c.path, admin, c.body);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(r.body["error"]["message"].is_string());
    if (r.status == 422) CHECK_FALSE(r.body["error"]["fields"].empty());
  }
  CHECK(s.count("SELECT count(*) FROM audit") == audit);
  CHECK(s.count("SELECT stock FROM products") == 5);
  CHECK(s.count("SELECT count(*) FROM orders") == 0);
  CHECK(s.count("SELECT count(*) FROM ticket_notes") == 0);
  CHECK(s.count("SELECT count(*) FROM campaign_members") == 0);
  CHECK(s.count("SELECT count(*) FROM settings") == 0);
  CHECK(s.request("GET", "/healthz").status == 200);
}

TEST_CASE("money above 10,000,000,000.00 is refused naming the field; the largest amount is taken and counted") {
  TestServer s;
  std::string admin = s.admin_token();
  const int64_t most = 1'000'000'000'000;  // 10,000,000,000.00 in minor units
  auto customer = s.request("POST", "/api/v1/customers", admin, {{"name", "大额测试公司"}});
  REQUIRE(customer.status == 201);
  auto too_dear = s.request("POST", "/api/v1/products", admin, {{"sku", "M-1"}, {"name", "产品"}, {"price", most + 1}, {"stock", 5}});
  CHECK(too_dear.status == 422);
  CHECK(too_dear.body["error"]["fields"]["price"].get<std::string>().find("10,000,000,000.00") != std::string::npos);
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "M-2"}, {"name", "产品"}, {"price", most}, {"stock", 5}});
  REQUIRE(product.status == 201);
  const json id = product.body["id"];
  for (const json& items : {json{{{"product_id", id}, {"quantity", 2}}}, json{{{"product_id", id}, {"quantity", 1}, {"unit_price", most + 1}}},
                            json{{{"product_id", id}, {"quantity", 1}}, {{"product_id", id}, {"quantity", 1}, {"unit_price", 1}}}}) {
    INFO(items.dump());
    auto r = s.request("POST", "/api/v1/orders", admin, {{"customer_id", customer.body["id"]}, {"items", items}});
    CHECK(r.status == 422);
    CHECK(r.body["error"]["fields"]["items"].get<std::string>().find("10,000,000,000.00") != std::string::npos);
  }
  CHECK(s.request("POST", "/api/v1/opportunities", admin, {{"customer_id", customer.body["id"]}, {"title", "x"}, {"amount", most + 1}})
            .body["error"]["fields"]
            .contains("amount"));
  CHECK(s.request("POST", "/api/v1/contracts", admin, {{"customer_id", customer.body["id"]}, {"title", "x"}, {"amount", most * 2}})
            .body["error"]["fields"]
            .contains("amount"));
  CHECK(s.count("SELECT count(*) FROM orders") == 0);
  CHECK(s.count("SELECT stock FROM products WHERE sku = 'M-2'") == 5);

  // The largest order there may be counts in full.
  auto order = s.request("POST", "/api/v1/orders", admin,
                         {{"customer_id", customer.body["id"]}, {"order_date", "2026-03-02"}, {"items", {{{"product_id", id}, {"quantity", 1}}}}});
  REQUIRE(order.status == 201);
  CHECK(order.body["total"] == most);
  auto sales = s.request("GET", "/api/v1/stats/sales/by-customer?from=2026-03-01&to=2026-03-31", admin);
  REQUIRE(sales.status == 200);
  REQUIRE(sales.body["customers"].size() == 1);
  CHECK(sales.body["customers"][0]["amount"] == most);
}
