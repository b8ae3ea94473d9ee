#include "core/settings/field_options.h"

#include <algorithm>
#include <set>

namespace kehu {

using nlohmann::json;

namespace {

// The settings' option list of `entity`.`field`, or null.
const json* option_list(const json& settings, const EntityDef& entity, const FieldDef& field) {
  if (!settings.is_object()) return nullptr;
  auto lists = settings.find("option_lists");
  if (lists == settings.end() || !lists->is_object()) return nullptr;
  auto it = lists->find(entity.name + "." + field.name);
  return it != lists->end() && it->is_array() ? &*it : nullptr;
}

Text label_of(const json& item, const std::string& value) {
  return {item.value("zh", value), item.value("en", value)};
}

}  // namespace

bool option_values_fixed(std::string_view key) {
  static const std::set<std::string, std::less<>> kFixed = {"contracts.status", "tickets.status", "orders.status",
                                                            "opportunities.stage", "emails.direction", "emails.status",
                                                            "users.role"};
  return kFixed.count(key) > 0;
}

std::vector<FieldOption> field_options(const json& settings, const EntityDef& entity, const FieldDef& field) {
  std::vector<FieldOption> out;
  if (const json* list = option_list(settings, entity, field)) {
    for (const auto& item : *list) {
      if (!item.is_object() || !item.value("value", json()).is_string()) continue;
      const std::string value = item["value"];
      out.push_back({value, label_of(item, value), item.value("retired", json(false)) == json(true)});
    }
    if (!out.empty()) {
      // A built-in value the list drops is retired: old records keep it and lists still filter by it.
      for (const auto& v : field.values)
        if (std::none_of(out.begin(), out.end(), [&v](const FieldOption& o) { return o.value == v; }))
          out.push_back({v, value_label(field, v), true});
      return out;
    }
  }
  for (const auto& v : field.values) out.push_back({v, value_label(field, v), false});
  return out;
}

Text option_label(const json& settings, const EntityDef& entity, const FieldDef& field, std::string_view value) {
  if (const json* list = option_list(settings, entity, field))
    for (const auto& item : *list)
      if (item.is_object() && item.value("value", json()) == value) return label_of(item, std::string(value));
  return value_label(field, value);
}

std::vector<CustomField> custom_fields_of(const json& settings, const EntityDef& entity) {
  std::vector<CustomField> out;
  if (!entity.field("custom") || !settings.is_object()) return out;
  auto all = settings.find("custom_fields");
  if (all == settings.end() || !all->is_object()) return out;
  auto defs = all->find(entity.name);
  if (defs == all->end() || !defs->is_array()) return out;
  static const std::pair<const char*, CustomType> kTypes[] = {{"text", CustomType::text},
                                                               {"number", CustomType::number},
                                                               {"date", CustomType::date},
                                                               {"boolean", CustomType::boolean},
                                                               {"option", CustomType::option}};
  for (const auto& d : *defs) {
    if (!d.is_object() || !d.value("key", json()).is_string()) continue;
    CustomField f;
    f.key = d["key"];
    f.label = {d.value("zh", f.key), d.value("en", f.key)};
    const json type = d.value("type", json());
    for (const auto& [name, t] : kTypes)
      if (type == name) f.type = t;
    for (const auto& o : d.value("options", json::array()))
      if (o.is_string()) f.options.push_back(o);
    f.required = d.value("required", json(false)) == json(true);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<OptionListField> option_list_fields() {
  std::vector<OptionListField> out;
  for (const EntityDef* e : served_entities()) {
    if (e->name == "views") continue;  // a saved view's resource is not a business choice
    for (const auto& f : e->fields)
      if (f.type == FieldType::enumerated) out.push_back({e, &f, option_values_fixed(e->name + "." + f.name)});
  }
  return out;
}

std::vector<const EntityDef*> custom_field_entities() {
  std::vector<const EntityDef*> out;
  for (const EntityDef* e : served_entities())
    if (e->field("custom")) out.push_back(e);
  return out;
}

}  // namespace kehu
