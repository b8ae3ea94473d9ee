// settings_test.cpp — the administrator's settings over HTTP (SPEC §5 Admin): validation that names the
// bad part, option lists that grow and retire values without breaking old records, custom fields that
// are validated, stored and filterable, write-only mail passwords, and the public part in every sync.
#include <doctest/doctest.h>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("settings: admin only, validated by path, public part for staff and in sync, passwords write-only") {
  TestServer s;
  std::string admin = s.admin_token();
  s.add_user("zhang.wei", "sales");
  s.add_user("lobby.tv", "viewer");
  std::string sales = s.login("zhang.wei"), kiosk = s.login("lobby.tv");
  auto pub = s.request("GET", "/api/v1/settings", sales);
  REQUIRE(pub.status == 200);
  CHECK(pub.body["time_zone"] == "Asia/Shanghai");
  CHECK(pub.body["churn_days"] == 90);
  CHECK_FALSE(pub.body.contains("smtp"));
  CHECK(s.request("GET", "/api/v1/settings", kiosk).status == 404);
  CHECK(s.request("GET", "/api/v1/admin/settings", sales).status == 404);
  CHECK(s.request("PUT", "/api/v1/admin/settings", sales, {{"churn_days", 30}}).status == 404);

  auto bad = s.request("PUT", "/api/v1/admin/settings", admin,
                       {{"churn_days", 0},
                        {"colour", "red"},
                        {"option_lists", {{"customers.nope", json::array()}, {"contracts.status", {{{"value", "draft"}, {"zh", "草稿"}, {"en", "Draft"}}}}}},
                        {"custom_fields", {{"customers", {{{"key", "Bad Key"}, {"zh", ""}, {"en", "x"}, {"type", "colour"}}}}}},
                        {"menus", {{"sales", {"customers", "nuclear"}}}},
                        {"smtp", {{"host", ""}, {"port", 70000}}},
                        {"backup", {{"schedule", "weekly"}, {"time", "25:00"}, {"folder", "relative/path"}, {"keep_daily", 0}, {"keep_monthly", 999}}}},
                       {{"Accept-Language", "en"}});
  CHECK(bad.status == 422);
  for (const char* path : {"churn_days", "colour", "option_lists.customers.nope", "option_lists.contracts.status",
                           "custom_fields.customers.0.key", "custom_fields.customers.0.zh", "custom_fields.customers.0.type",
                           "menus.sales", "smtp.host", "smtp.port", "backup.schedule", "backup.time", "backup.folder", "backup.keep_daily", "backup.keep_weekly", "backup.keep_monthly"})
    CHECK_MESSAGE(bad.body["error"]["fields"].contains(path), path);
  CHECK(s.count("SELECT count(*) FROM settings") == 0);  // nothing of a refused PUT is kept

  auto put = s.request("PUT", "/api/v1/admin/settings", admin,
                       {{"company", {{"name", "客户通科技"}}},
                        {"smtp", {{"host", "mail.example.com"}, {"port", 587}, {"username", "crm"}, {"password", "s3cret-pass"}, {"tls", "starttls"}}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["smtp"]["password_set"] == true);
  CHECK_FALSE(put.body["smtp"].contains("password"));
  CHECK(put.raw.find("s3cret-pass") == std::string::npos);
  // Left out, the password stays; the audit never holds it.
  auto again = s.request("PUT", "/api/v1/admin/settings", admin, {{"smtp", {{"host", "mail2.example.com"}, {"port", 465}, {"tls", "tls"}}}});
  REQUIRE(again.status == 200);
  CHECK(again.body["smtp"]["password_set"] == true);
  CHECK(s.count("SELECT count(*) FROM settings WHERE value LIKE '%s3cret-pass%'") == 1);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'settings'") == 2);
  CHECK(s.count("SELECT count(*) FROM audit WHERE changes LIKE '%s3cret%'") == 0);

  auto sync = s.request("GET", "/api/v1/sync?since=0", sales);
  REQUIRE(sync.status == 200);
  bool seen = false;
  for (const auto& c : sync.body["changes"])
    if (c["entity"] == "settings") {
      seen = true;
      CHECK(c["row"]["company"]["name"] == "客户通科技");
      CHECK_FALSE(c["row"].contains("smtp"));
    }
  CHECK(seen);
  CHECK(sync.raw.find("s3cret") == std::string::npos);
}

TEST_CASE("option lists and custom fields: new values and fields work at once, removed ones keep old records readable") {
  TestServer s;
  std::string admin = s.admin_token();
  auto old = s.request("POST", "/api/v1/customers", admin, {{"name", "展会老客户"}, {"source", "exhibition"}});
  REQUIRE(old.status == 201);
  CHECK(s.request("POST", "/api/v1/customers", admin, {{"name", "微信客户"}, {"source", "wechat"}}).status == 422);

  auto put = s.request("PUT", "/api/v1/admin/settings", admin,
                       {{"option_lists",
                         {{"customers.source",
                           {{{"value", "referral"}, {"zh", "老客户介绍"}, {"en", "Referral"}},
                            {{"value", "wechat"}, {"zh", "微信"}, {"en", "WeChat"}},
                            {{"value", "exhibition"}, {"zh", "展会"}, {"en", "Exhibition"}, {"retired", true}}}}}},
                        {"custom_fields",
                         {{"customers",
                           {{{"key", "budget"}, {"zh", "年度预算"}, {"en", "annual budget"}, {"type", "number"}, {"required", true}},
                            {{"key", "tier"}, {"zh", "会员等级"}, {"en", "tier"}, {"type", "option"}, {"options", {"金牌", "银牌"}}}}}}}});
  REQUIRE(put.status == 200);

  auto wechat = s.request("POST", "/api/v1/customers", admin, {{"name", "微信客户"}, {"source", "wechat"}, {"custom", {{"budget", 500000}, {"tier", "金牌"}}}});
  REQUIRE(wechat.status == 201);
  CHECK(wechat.body["custom"]["tier"] == "金牌");
  auto retired = s.request("POST", "/api/v1/customers", admin, {{"name", "新展会客户"}, {"source", "exhibition"}, {"custom", {{"budget", 1}}}});
  CHECK(retired.status == 422);
  CHECK(retired.body["error"]["fields"].contains("source"));
  auto missing = s.request("POST", "/api/v1/customers", admin, {{"name", "缺预算"}, {"custom", {{"tier", "铜牌"}, {"color", "red"}}}},
                           {{"Accept-Language", "en"}});
  CHECK(missing.status == 422);
  for (const char* f : {"custom.budget", "custom.tier", "custom.color"}) CHECK_MESSAGE(missing.body["error"]["fields"].contains(f), f);
  CHECK(s.request("POST", "/api/v1/customers", admin, {{"name", "预算错"}, {"custom", {{"budget", "很多"}}}}).status == 422);

  // Filters: the new value, the retired one (old records keep it), and a custom field.
  CHECK(s.request("GET", "/api/v1/customers?source=wechat", admin).body["total"] == 1);
  CHECK(s.request("GET", "/api/v1/customers?source=exhibition", admin).body["total"] == 1);
  CHECK(s.request("GET", "/api/v1/customers?source=spaceship", admin).status == 400);
  CHECK(s.request("GET", "/api/v1/customers?custom.tier=" + httplib::detail::encode_query_param("金牌"), admin).body["total"] == 1);
  // The old record is still read and still edited, its retired source untouched.
  auto edited = s.request("PATCH", "/api/v1/customers/" + std::to_string(old.body["id"].get<int64_t>()), admin,
                          {{"rev", old.body["rev"]}, {"level", "A"}});
  REQUIRE(edited.status == 200);
  CHECK(edited.body["source"] == "exhibition");

  // Removing a custom field keeps records that hold it readable and editable.
  REQUIRE(s.request("PUT", "/api/v1/admin/settings", admin, {{"custom_fields", {{"customers", json::array()}}}}).status == 200);
  auto still = s.request("GET", "/api/v1/customers/" + std::to_string(wechat.body["id"].get<int64_t>()), admin);
  CHECK(still.body["custom"]["tier"] == "金牌");
  CHECK(s.request("PATCH", "/api/v1/customers/" + std::to_string(wechat.body["id"].get<int64_t>()), admin,
                  {{"rev", still.body["rev"]}, {"notes", "仍可编辑"}}).status == 200);
}
