// record_text.h — how a record's field reads on screen: option labels in the user's language, owners by
// name, dates without seconds, tags joined.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/settings/field_options.h"
#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// The display text of `field` ("created_at" and other system columns too) of `record`.
std::string field_text(const Ui& ui, LocalCache& cache, const EntityDef& entity, const std::string& field,
                       const nlohmann::json& record);

// The display text of a custom field (core/settings/field_options.h) of `record` ("" when unset).
std::string custom_field_text(const Ui& ui, const CustomField& field, const nlohmann::json& record);

// The field that names a record of `entity` (name, title, subject, display name or user name), or null.
const FieldDef* title_field(const EntityDef& entity);

// What names a record in a list, a picker or a title: its name, title, subject, code or display name,
// whichever the entity has first ("#id" when none is set).
std::string record_title(const EntityDef& entity, const nlohmann::json& record);

// A stored RFC 3339 time as the user's local "YYYY-MM-DD HH:MM" (the text itself if it is not one).
std::string local_time_text(const Ui& ui, const std::string& rfc3339);

// Money in minor units as people read it: 1250000 -> "12,500.00".
std::string money_text(int64_t minor);

// The text a form edits for a field's stored value, and back (an empty text is null). A time is edited
// as local "YYYY-MM-DD HH:MM" (`utc_offset_minutes` ahead of UTC) and stored as RFC 3339 UTC; a full
// RFC 3339 time typed with its own offset is taken as it is.
std::string value_to_edit_text(const FieldDef& field, const nlohmann::json& value, int utc_offset_minutes);
nlohmann::json edit_text_to_value(const FieldDef& field, const std::string& text, int utc_offset_minutes);

}  // namespace kehu::client
