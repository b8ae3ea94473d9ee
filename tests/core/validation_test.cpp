#include <doctest/doctest.h>

#include "core/entity/validation.h"

using namespace kehu;
using nlohmann::json;

TEST_CASE("a valid customer is normalized") {
  auto r = validate_input(customers_def(),
                          json{{"name", "  北京华夏科技有限公司 "}, {"type", "enterprise"}, {"tags", {"重点", "重点", "华北"}},
                               {"phone", "010-6552 1234"}, {"email", "info@huaxia.cn"}, {"notes", ""}},
                          WriteMode::create);
  REQUIRE(r.ok());
  CHECK(r.value()["name"] == "北京华夏科技有限公司");
  CHECK(r.value()["tags"] == json({"重点", "华北"}));
  CHECK(r.value()["notes"].is_null());  // empty optional text is stored as null
}

TEST_CASE("every bad field is named, in both languages") {
  json bad = {{"name", ""},
              {"type", "company"},
              {"phone", "call me"},
              {"email", "not-an-email"},
              {"website", "javascript:alert(1)"},
              {"level", 3},
              {"owner_id", -4},
              {"tags", {"ok", ""}},
              {"custom", {{"Bad Key", 1}}},
              {"bogus", 1},
              {"id", 7},
              {"last_contact_at", "2025-01-01T00:00:00Z"}};
  auto r = validate_input(customers_def(), bad, WriteMode::create);
  REQUIRE_FALSE(r.ok());
  const Error& e = r.error();
  CHECK(e.code == ErrorCode::validation);
  for (const char* f : {"name", "type", "phone", "email", "website", "level", "owner_id", "tags", "custom", "bogus", "id",
                        "last_contact_at"}) {
    INFO(f);
    REQUIRE(e.fields.count(f) == 1);
    CHECK_FALSE(e.fields.at(f).zh.empty());
    CHECK_FALSE(e.fields.at(f).en.empty());
  }
  CHECK(e.fields.at("name").zh == "客户名称不能为空");
  CHECK(e.fields.at("name").en == "name is required");
  CHECK(e.fields.at("type").en.find("enterprise") != std::string::npos);
}

TEST_CASE("required fields on create, optional on update") {
  auto missing = validate_input(contacts_def(), json{{"title", "经理"}}, WriteMode::create);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().fields.count("name") == 1);
  CHECK(missing.error().fields.count("customer_id") == 1);
  CHECK(validate_input(contacts_def(), json{{"title", "经理"}}, WriteMode::update).ok());
  auto blank = validate_input(contacts_def(), json{{"name", "   "}}, WriteMode::update);
  CHECK_FALSE(blank.ok());
}

TEST_CASE("lengths count characters, not bytes") {
  std::string name200, name201;
  for (int i = 0; i < 200; ++i) name200 += "鑫";
  name201 = name200 + "鑫";
  CHECK(validate_input(customers_def(), json{{"name", name200}}, WriteMode::create).ok());
  auto r = validate_input(customers_def(), json{{"name", name201}}, WriteMode::create);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.at("name").en == "name may have at most 200 characters");
  std::string huge(10000, 'x');
  CHECK_FALSE(validate_input(customers_def(), json{{"name", huge}}, WriteMode::create).ok());
}

TEST_CASE("formats: phones, e-mails, dates, booleans") {
  CHECK(is_valid_phone("+86 138-0013-8000"));
  CHECK(is_valid_phone("010-12345678#123"));
  CHECK_FALSE(is_valid_phone("1234"));
  CHECK_FALSE(is_valid_phone("138'; DROP TABLE customers;--"));
  CHECK(is_valid_email("zhang.san@例子.中国"));
  CHECK_FALSE(is_valid_email("a@b"));
  CHECK_FALSE(is_valid_email("a b@c.com"));
  CHECK_FALSE(is_valid_email("a@@c.com"));
  auto r = validate_input(contacts_def(), json{{"birthday", "1990-02-30"}, {"is_primary", "yes"}}, WriteMode::update);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.count("birthday") == 1);
  CHECK(r.error().fields.count("is_primary") == 1);
}

TEST_CASE("a body that is not an object is a bad request") {
  auto r = validate_input(customers_def(), json::array({1, 2}), WriteMode::create);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_request);
}
