// field_merge.h — an edit the server refused as a conflict (409: the record changed since the edit began),
// merged field by field against the server's row (SPEC §6).
//
// Three versions: `base`, the row as it was when the edit began (the outbox keeps it); `mine`, the fields
// the edit changed (a PATCH body); `theirs`, the server's row now (the 409's body). A field only this edit
// changed takes mine; one only the server changed keeps theirs (it is not sent); one both changed to the
// same value is settled; one both changed to different values is a conflict the user settles (mine or
// theirs). Custom fields merge key by key ("custom.{key}"); any other value (an order's lines) is one
// field. Without a base (a cache that lost it) nothing is known to be unchanged: every field that differs
// from theirs is a conflict, so no one's change is taken without a person seeing it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kehu {

struct FieldConflict {
  std::string field;  // a field name, or "custom.{key}"
  nlohmann::json base, mine, theirs;  // null where the row had no value
};

struct FieldMerge {
  // What to send again: every field of `mine` that merged, with "rev" set to theirs. Holds no field but
  // rev when nothing is left to change.
  nlohmann::json patch = nlohmann::json::object();
  std::vector<FieldConflict> conflicts;  // in the order of `mine`'s fields
  nlohmann::json theirs_row;             // the server's row merged against (settle() builds on it)
  bool settled() const { return conflicts.empty(); }
};

FieldMerge merge_fields(const nlohmann::json& base, const nlohmann::json& mine, const nlohmann::json& theirs);

// The patch to send once the user chose, for each conflict, mine (true) or theirs (false); a conflict
// with no choice keeps theirs. Fields that end up equal to theirs are left out.
nlohmann::json settle(const FieldMerge& merge, const std::map<std::string, bool>& take_mine);

// Whether `patch` (from merge_fields or settle) changes anything: false when it holds only "rev".
bool changes_anything(const nlohmann::json& patch);

}  // namespace kehu
