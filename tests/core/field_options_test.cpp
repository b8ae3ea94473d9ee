#include <doctest/doctest.h>

#include <algorithm>

#include "core/settings/field_options.h"
#include "core/settings/settings.h"
#include "test_db.h"

using namespace kehu;
using nlohmann::json;

namespace {

const FieldDef& field_of(const EntityDef& e, const char* name) {
  const FieldDef* f = e.field(name);
  REQUIRE(f != nullptr);
  return *f;
}

}  // namespace

TEST_CASE("without settings an enumerated field offers its built-in values with their labels") {
  const auto& source = field_of(customers_def(), "source");
  auto options = field_options(json::object(), customers_def(), source);
  REQUIRE(options.size() == source.values.size());
  CHECK(options[0].value == "referral");
  CHECK(options[0].label.zh == "客户介绍");
  CHECK(options[0].label.en == "Referral");
  CHECK(std::none_of(options.begin(), options.end(), [](const FieldOption& o) { return o.retired; }));
  CHECK(option_label(json(nullptr), customers_def(), source, "website").zh == "网站");
  CHECK(option_label(json::object(), customers_def(), source, "no_such").en == "no_such");
}

TEST_CASE("an option list relabels, reorders, adds and retires; dropped built-ins come last, retired") {
  const auto& source = field_of(customers_def(), "source");
  json settings = {{"option_lists",
                    {{"customers.source",
                      {{{"value", "wechat"}, {"zh", "微信"}, {"en", "WeChat"}},
                       {{"value", "website"}, {"zh", "官网"}, {"en", "Our site"}},
                       {{"value", "exhibition"}, {"zh", "展会"}, {"en", "Fair"}, {"retired", true}}}}}}};
  auto options = field_options(settings, customers_def(), source);
  REQUIRE(options.size() == 1 + source.values.size());  // wechat + every built-in, each once
  CHECK(options[0].value == "wechat");
  CHECK_FALSE(options[0].retired);
  CHECK(options[1].value == "website");
  CHECK(options[1].label.en == "Our site");
  CHECK(options[2].value == "exhibition");
  CHECK(options[2].retired);
  for (size_t i = 3; i < options.size(); ++i) {
    INFO(options[i].value);
    CHECK(options[i].retired);                   // left out of the list: kept for old records only
    CHECK_FALSE(options[i].label.zh.empty());    // with its built-in label
  }
  CHECK(option_label(settings, customers_def(), source, "wechat").zh == "微信");
  CHECK(option_label(settings, customers_def(), source, "referral").zh == "客户介绍");
  // The list of another field is not this one's.
  CHECK(field_options(settings, customers_def(), field_of(customers_def(), "level")).size() == 4);
}

TEST_CASE("custom fields come in the administrator's order with their type, options and requiredness") {
  json settings = {{"custom_fields",
                    {{"customers",
                      {{{"key", "scale"}, {"zh", "规模"}, {"en", "Scale"}, {"type", "option"},
                        {"options", {"小", "中", "大"}}, {"required", true}},
                       {{"key", "founded"}, {"zh", "成立日期"}, {"en", "Founded"}, {"type", "date"}},
                       {{"key", "listed"}, {"type", "boolean"}},
                       {{"zh", "没有键"}}}}}}};
  auto fields = custom_fields_of(settings, customers_def());
  REQUIRE(fields.size() == 3);  // the entry without a key is not a field
  CHECK(fields[0].key == "scale");
  CHECK(fields[0].type == CustomType::option);
  CHECK(fields[0].options == std::vector<std::string>{"小", "中", "大"});
  CHECK(fields[0].required);
  CHECK(fields[1].type == CustomType::date);
  CHECK(fields[1].label.en == "Founded");
  CHECK_FALSE(fields[1].required);
  CHECK(fields[2].type == CustomType::boolean);
  CHECK(fields[2].label.zh == "listed");  // no label: the key stands in
  CHECK(custom_fields_of(settings, contacts_def()).empty());
  CHECK(custom_fields_of(json::array(), customers_def()).empty());
}

TEST_CASE("the editable option lists and the record types with custom fields") {
  auto lists = option_list_fields();
  auto find = [&lists](const std::string& key) {
    return std::find_if(lists.begin(), lists.end(), [&key](const OptionListField& f) {
      return f.entity->name + "." + f.field->name == key;
    });
  };
  REQUIRE(find("customers.source") != lists.end());
  CHECK_FALSE(find("customers.source")->fixed_values);
  REQUIRE(find("contracts.status") != lists.end());
  CHECK(find("contracts.status")->fixed_values);  // a workflow's states: relabel only
  CHECK(find("views.resource") == lists.end());
  for (const auto& f : lists) CHECK(f.field->type == FieldType::enumerated);

  auto types = custom_field_entities();
  CHECK(std::find(types.begin(), types.end(), &customers_def()) != types.end());
  for (const EntityDef* e : types) CHECK(e->field("custom") != nullptr);
}

// What validate_settings returns is what is stored and read back; validating it again (an administrator's
// client sending back the settings it read, key_set in place of the key) must give the same document, or
// a PUT that changes nothing stores a new rev and audits a changed secret. The backup key is copied from
// the stored settings only when there is one: none is never written as "key": null.
TEST_CASE("settings validated again stay as they were: no backup key appears where none was set") {
  test::TestDb t;
  auto stored = read_settings(t.db());  // a new database: the defaults
  REQUIRE(stored.ok());
  for (const json& sent : {*stored, admin_settings(*stored)}) {
    auto again = validate_settings(sent, *stored);
    REQUIRE(again.ok());
    CHECK(*again == *stored);
    CHECK_FALSE((*again)["backup"].contains("key"));
  }
  json daily = (*stored)["backup"];
  daily["schedule"] = "daily";
  auto changed = validate_settings({{"backup", daily}}, *stored);
  REQUIRE(changed.ok());
  CHECK((*changed)["backup"] == daily);
  auto changed_again = validate_settings(*changed, *changed);
  REQUIRE(changed_again.ok());
  CHECK(*changed_again == *changed);

  // Sending back what was read stores nothing: no settings row, no audit entry.
  t.put_settings(admin_settings(*stored));
  CHECK(t.count("SELECT count(*) FROM settings") == 0);
  CHECK(t.count("SELECT count(*) FROM audit") == 0);

  // A key that is set is kept when left out, and validated again it stays.
  daily["key"] = "correct horse battery staple";
  t.put_settings({{"backup", daily}});
  auto keyed = read_settings(t.db());
  REQUIRE(keyed.ok());
  CHECK((*keyed)["backup"]["key"] == "correct horse battery staple");
  for (const json& sent : {*keyed, admin_settings(*keyed)}) {
    auto again = validate_settings(sent, *keyed);
    REQUIRE(again.ok());
    CHECK(*again == *keyed);
  }
  // null removes it, stored as no key at all; validated again, it stays removed.
  daily["key"] = nullptr;
  auto removed = validate_settings({{"backup", daily}}, *keyed);
  REQUIRE(removed.ok());
  CHECK_FALSE((*removed)["backup"].contains("key"));
  CHECK_FALSE(admin_settings(*removed)["backup"]["key_set"].get<bool>());
  auto removed_again = validate_settings(admin_settings(*removed), *removed);
  REQUIRE(removed_again.ok());
  CHECK(*removed_again == *removed);
}
