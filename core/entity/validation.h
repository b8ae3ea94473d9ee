// validation.h — checks client input against an EntityDef before anything is written.
//
// The same code runs in the browser (shown next to the field before saving) and on the server (422 with
// every bad field named), so the two can never disagree. validate_input() returns the input normalized
// (text trimmed, tags de-duplicated) or an ErrorCode::validation Error whose `fields` names each problem.
// Existence of referenced rows needs the database and is checked by the record store.
#pragma once

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/result.h"

namespace kehu {

enum class WriteMode { create, update };

// `input` must be a JSON object of field -> value. Keys the caller handles itself (e.g. "rev", "force")
// must be removed before. Unknown fields, system columns and server-maintained fields are errors.
// `choices`: for enumerated fields whose option list the settings configure, the values accepted
// instead of the built-in ones (settings.h writable_choices).
using FieldChoices = std::map<std::string, std::vector<std::string>>;
Result<nlohmann::json> validate_input(const EntityDef& entity, const nlohmann::json& input, WriteMode mode,
                                      const FieldChoices* choices = nullptr);

// Single-field checks, also used by the client's forms as the user types. With `choices`, an enumerated
// field the settings configure is checked against those values instead of the built-in ones.
std::optional<Text> check_field(const FieldDef& field, const nlohmann::json& value);
std::optional<Text> check_field(const FieldDef& field, const nlohmann::json& value, const FieldChoices* choices);
bool is_valid_email(std::string_view email);
bool is_valid_phone(std::string_view phone);

// "客户名称不能为空" style messages, shared with other checks.
Text required_message(const FieldDef& field);
Text validation_summary();
// An ErrorCode::validation error (HTTP 422) with the usual summary and these field messages.
Error validation_error(std::map<std::string, Text> fields);

}  // namespace kehu
