// field_options.h — what the administrator's settings (settings.h) make of a record's fields on screen:
// the choices of an enumerated field with their labels, and the custom fields a record type grows. The
// server checks writes with settings.h; forms, lists and record pages read the same document from the
// synced cache through these, so a relabelled option or a new custom field shows everywhere at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"

namespace kehu {

struct FieldOption {
  std::string value;
  Text label;
  bool retired = false;  // kept for old records, refused on new writes
};

// The choices of `field` (enumerated) of `entity`: the settings' option list when it has one, in its order
// (a built-in value it leaves out follows, retired), else the built-in values with their GLOSSARY.md labels.
std::vector<FieldOption> field_options(const nlohmann::json& settings, const EntityDef& entity, const FieldDef& field);

// The label of `value`: the settings' label, else the built-in one, else the value itself.
Text option_label(const nlohmann::json& settings, const EntityDef& entity, const FieldDef& field, std::string_view value);

enum class CustomType { text, number, date, boolean, option };

// One custom field the settings define for a record type (kept in the record's `custom` object).
struct CustomField {
  std::string key;
  Text label;
  CustomType type = CustomType::text;
  std::vector<std::string> options;  // option: the values, which are also their labels
  bool required = false;
};

// The custom fields of `entity`, in the administrator's order (none for a type without `custom`).
std::vector<CustomField> custom_fields_of(const nlohmann::json& settings, const EntityDef& entity);

// Whether the option list "entity.field" may only relabel and reorder the built-in values (they drive a
// workflow or a rule), never add or retire one.
bool option_values_fixed(std::string_view key);

// The enumerated fields whose option lists an administrator may edit ("customers.source"), and whether only
// the labels and order may change (the values drive a workflow).
struct OptionListField {
  const EntityDef* entity;
  const FieldDef* field;
  bool fixed_values;
};
std::vector<OptionListField> option_list_fields();

// The record types that take custom fields.
std::vector<const EntityDef*> custom_field_entities();

}  // namespace kehu
