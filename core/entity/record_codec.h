// record_codec.h — entity rows <-> JSON records, driven by the EntityDef.
//
// Records on the wire and in core are nlohmann::json objects with the system columns (id, rev,
// created_at, updated_at, created_by, updated_by) followed by the entity's fields. Lists and objects
// are stored as JSON text, booleans as 0/1.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"

namespace kehu {

// "id, rev, ..., name, ..." — the select list for row_to_json(), optionally qualified ("r.").
std::string record_columns(const EntityDef& entity, const std::string& qualifier = "");
// Reads the current row of a statement selected with record_columns(), starting at `first_column`.
nlohmann::json row_to_json(const EntityDef& entity, const Statement& st, int first_column = 0);
// Appends the current row as JSON text: the same value row_to_json() builds (keys in column order), written
// straight from the statement. The list hot path uses it: no per-row json objects and no dump().
void append_row_json(const EntityDef& entity, const Statement& st, std::string& out, int first_column = 0);
// Appends `s` as a JSON string literal (ill-formed UTF-8 is replaced, as dump() would).
void append_json_string(std::string& out, std::string_view s);
// Index of `column` in record_columns(entity), or -1.
int record_column_index(const EntityDef& entity, const std::string& column);
// The SQL value a field's JSON value is stored as.
SqlValue field_to_sql(const FieldDef& field, const nlohmann::json& value);

}  // namespace kehu
