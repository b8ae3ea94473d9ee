// field_builders.h — short constructors for the FieldDef lists of the *_defs.cpp files.
//
// Each returns a plain FieldDef that the caller adjusts (required, filterable, ...); they exist so an
// entity's description reads as a list of its fields and their GLOSSARY.md words.
#pragma once

#include <utility>
#include <vector>

#include "core/entity/entity_def.h"

namespace kehu::fields {

inline FieldDef text(std::string name, Text label, size_t max_len = 200) {
  FieldDef f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.max_len = max_len;
  return f;
}

inline FieldDef typed(std::string name, Text label, FieldType type) {
  FieldDef f = text(std::move(name), std::move(label));
  f.type = type;
  return f;
}

// `values` pairs each stored value with its GLOSSARY.md label. Filterable and sortable.
inline FieldDef enumerated(std::string name, Text label, std::vector<std::pair<std::string, Text>> values) {
  FieldDef f = typed(std::move(name), std::move(label), FieldType::enumerated);
  for (auto& [value, value_text] : values) {
    f.values.push_back(value);
    f.value_labels.push_back(value_text);
  }
  f.filterable = f.sortable = true;
  return f;
}

// A whole number within [min_value, max_value]. Filterable and sortable.
inline FieldDef integer(std::string name, Text label, int64_t min_value, int64_t max_value) {
  FieldDef f = typed(std::move(name), std::move(label), FieldType::integer);
  f.min_value = min_value;
  f.max_value = max_value;
  f.filterable = f.sortable = true;
  return f;
}

// The id of a row of `table`. Filterable and sortable.
inline FieldDef reference(std::string name, Text label, std::string table, bool required = false) {
  FieldDef f = typed(std::move(name), std::move(label), FieldType::reference);
  f.ref_table = std::move(table);
  f.required = required;
  f.filterable = f.sortable = true;
  return f;
}

// A date or time a list filters (_from/_to) and sorts by.
inline FieldDef when(std::string name, Text label, FieldType type) {
  FieldDef f = typed(std::move(name), std::move(label), type);
  f.filterable = f.sortable = true;
  return f;
}

// Maintained by the server: input naming it is refused.
inline FieldDef server_set(FieldDef f) {
  f.writable = false;
  return f;
}

inline FieldDef searchable(FieldDef f) {
  f.searchable = true;
  return f;
}

inline FieldDef required(FieldDef f) {
  f.required = true;
  return f;
}

inline FieldDef listed(FieldDef f) {  // filterable and sortable
  f.filterable = f.sortable = true;
  return f;
}

// Money in minor units (fen/cents), never negative (SPEC §4).
inline FieldDef money(std::string name, Text label) {
  FieldDef f = integer(std::move(name), std::move(label), 0, kMostMoney);
  f.format = TextFormat::money;
  return f;
}

// A three-letter ISO 4217 currency; CNY when left empty (record_rules.h).
inline FieldDef currency() {
  FieldDef f = text("currency", {"币种", "currency"}, 3);
  f.format = TextFormat::currency;
  f.filterable = true;
  return f;
}

// The user a record belongs to (SPEC §3 "own").
inline FieldDef owner() { return reference("owner_id", {"负责人", "owner"}, "users"); }

inline FieldDef notes(std::string name = "notes", Text label = {"备注", "notes"}) {
  return searchable(text(std::move(name), std::move(label), 5000));
}

}  // namespace kehu::fields
