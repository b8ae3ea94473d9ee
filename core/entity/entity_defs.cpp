// entity_defs.cpp — the customer and contact descriptors (SPEC §4, GLOSSARY.md).
#include <algorithm>

#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"

namespace kehu {

const FieldDef* EntityDef::field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

Text value_label(const FieldDef& field, std::string_view value) {
  for (size_t i = 0; i < field.values.size() && i < field.value_labels.size(); ++i)
    if (field.values[i] == value) return field.value_labels[i];
  return {std::string(value), std::string(value)};
}

bool is_sortable_system_column(std::string_view name) {
  return name == "id" || name == "created_at" || name == "updated_at" || name == "rev";
}

namespace {

using namespace fields;

EntityDef make_customers() {
  EntityDef e;
  e.name = "customers";
  e.label = {"客户", "customer"};
  auto code = text("code", {"客户编号", "code"}, 32);
  code.format = TextFormat::code;
  code.searchable = code.filterable = code.sortable = true;
  auto name = text("name", {"客户名称", "name"}, 200);
  name.required = name.searchable = name.filterable = name.sortable = true;
  auto phone = text("phone", {"电话", "phone"}, 40);
  phone.format = TextFormat::phone;
  auto email = text("email", {"邮箱", "email"}, 254);
  email.format = TextFormat::email;
  auto website = text("website", {"网址", "website"}, 500);
  website.format = TextFormat::url;
  auto region = text("region", {"地区", "region"}, 100);
  region.filterable = region.sortable = true;
  auto industry = text("industry", {"所属行业", "industry"}, 100);
  industry.filterable = industry.sortable = true;
  auto owner = typed("owner_id", {"负责人", "owner"}, FieldType::reference);
  owner.ref_table = "users";
  owner.filterable = owner.sortable = true;
  auto tags = typed("tags", {"标签", "tags"}, FieldType::string_list);
  tags.max_len = 50;
  tags.searchable = true;
  auto last_contact = typed("last_contact_at", {"最近联系", "last contact"}, FieldType::datetime);
  last_contact.writable = false;
  last_contact.sortable = last_contact.filterable = true;
  auto last_order = typed("last_order_at", {"最近成交", "last order"}, FieldType::datetime);
  last_order.writable = false;
  last_order.sortable = last_order.filterable = true;
  e.fields = {
      searchable(code),
      name,
      enumerated("type", {"客户类型", "type"},
                 {{"enterprise", {"企业", "Enterprise"}},
                  {"individual", {"个人", "Individual"}},
                  {"government", {"政府/事业单位", "Government"}},
                  {"partner", {"合作伙伴", "Partner"}},
                  {"other", {"其他", "Other"}}}),
      enumerated("source", {"客户来源", "source"},
                 {{"referral", {"客户介绍", "Referral"}},
                  {"website", {"网站", "Website"}},
                  {"exhibition", {"展会", "Exhibition"}},
                  {"cold_call", {"电话开发", "Cold call"}},
                  {"advertising", {"广告", "Advertising"}},
                  {"social_media", {"社交媒体", "Social media"}},
                  {"partner", {"合作伙伴", "Partner"}},
                  {"other", {"其他", "Other"}}}),
      enumerated("level", {"客户级别", "level"},
                 {{"A", {"A 重要客户", "A key"}},
                  {"B", {"B 普通客户", "B regular"}},
                  {"C", {"C 一般客户", "C general"}},
                  {"D", {"D 低价值客户", "D low value"}}}),
      enumerated("status", {"客户状态", "status"},
                 {{"prospect", {"潜在客户", "Prospect"}},
                  {"active", {"成交客户", "Active"}},
                  {"dormant", {"休眠客户", "Dormant"}},
                  {"lost", {"流失客户", "Lost"}}}),
      searchable(industry),
      searchable(phone),
      searchable(email),
      searchable(text("address", {"联系地址", "address"}, 300)),
      searchable(region),
      searchable(website),
      owner,
      tags,
      searchable(text("notes", {"备注", "notes"}, 5000)),
      typed("custom", {"自定义字段", "custom fields"}, FieldType::object),
      last_contact,
      last_order,
  };
  return e;
}

EntityDef make_contacts() {
  EntityDef e;
  e.name = "contacts";
  e.label = {"联系人", "contact"};
  e.scope_via = "customer_id";
  auto customer = typed("customer_id", {"客户", "customer"}, FieldType::reference);
  customer.ref_table = "customers";
  customer.required = customer.filterable = customer.sortable = true;
  customer.cascade_delete = true;  // a contact is part of its customer
  auto name = text("name", {"姓名", "name"}, 100);
  name.required = name.searchable = name.filterable = name.sortable = true;
  auto phone = text("phone", {"电话", "phone"}, 40);
  phone.format = TextFormat::phone;
  auto mobile = text("mobile", {"手机", "mobile"}, 40);
  mobile.format = TextFormat::phone;
  auto email = text("email", {"邮箱", "email"}, 254);
  email.format = TextFormat::email;
  auto birthday = typed("birthday", {"生日", "birthday"}, FieldType::date);
  birthday.filterable = birthday.sortable = true;
  auto primary = typed("is_primary", {"主要联系人", "primary contact"}, FieldType::boolean);
  primary.filterable = true;
  auto dne = typed("do_not_email", {"拒收邮件", "do not email"}, FieldType::boolean);
  dne.filterable = true;
  auto title = text("title", {"职务", "title"}, 100);
  title.filterable = title.sortable = true;
  auto department = text("department", {"部门", "department"}, 100);
  department.filterable = department.sortable = true;
  e.fields = {
      customer,
      name,
      enumerated("gender", {"性别", "gender"}, {{"male", {"男", "Male"}}, {"female", {"女", "Female"}}, {"other", {"其他", "Other"}}}),
      searchable(title),
      searchable(department),
      searchable(phone),
      searchable(mobile),
      searchable(email),
      searchable(text("im", {"微信/QQ", "WeChat/QQ"}, 100)),
      searchable(text("address", {"联系地址", "address"}, 300)),
      birthday,
      primary,
      dne,
      searchable(text("notes", {"备注", "notes"}, 5000)),
  };
  return e;
}

}  // namespace

const EntityDef& customers_def() {
  static const EntityDef kDef = make_customers();
  return kDef;
}

const EntityDef& contacts_def() {
  static const EntityDef kDef = make_contacts();
  return kDef;
}

const std::vector<const EntityDef*>& record_entities() {
  // Parents before the records that refer to them, so a client applying a batch in order never holds a
  // reference to a row it has not received yet when both arrive together.
  static const std::vector<const EntityDef*> kAll = {
      &customers_def(), &contacts_def(),      &products_def(),   &campaigns_def(),     &opportunities_def(),
      &contracts_def(), &orders_def(),        &activities_def(), &tickets_def(),       &emails_def(),
      &announcements_def()};
  return kAll;
}

const std::vector<const EntityDef*>& served_entities() {
  static const std::vector<const EntityDef*> kAll = [] {
    std::vector<const EntityDef*> all = record_entities();
    all.insert(all.end(), {&users_def(), &teams_def(), &views_def()});
    return all;
  }();
  return kAll;
}

const EntityDef* find_entity(std::string_view name) {
  for (const auto* e : record_entities())
    if (e->name == name) return e;
  return nullptr;
}

}  // namespace kehu
