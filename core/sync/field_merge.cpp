#include "core/sync/field_merge.h"

#include <string>
#include <vector>

namespace kehu {

using nlohmann::json;

namespace {

const json& value_of(const json& row, const std::string& field) {
  static const json kNull;
  if (!row.is_object()) return kNull;
  auto it = row.find(field);
  return it == row.end() ? kNull : *it;
}

// One field, three ways; `have_base`: whether `base` is known.
void merge_one(const std::string& field, const json& base, bool have_base, const json& mine, const json& theirs, FieldMerge& out,
               json& target, const std::string& key) {
  if (mine == theirs) return;                    // the same on both sides: nothing to send
  if (have_base && theirs == base) {             // only this edit changed it
    target[key] = mine;
    return;
  }
  if (have_base && mine == base) return;         // only the server changed it (mine is the old value)
  out.conflicts.push_back(FieldConflict{field, have_base ? base : json(), mine, theirs});
}

}  // namespace

namespace {

// Custom fields travel as one object that replaces the stored one (record_store), so a patch carrying any
// custom key carries all of them: theirs, with `keys` written over it.
json whole_custom(const json& theirs, const json& keys) {
  json custom = value_of(theirs, "custom").is_object() ? value_of(theirs, "custom") : json::object();
  for (auto it = keys.begin(); it != keys.end(); ++it) {
    if (it->is_null()) custom.erase(it.key());
    else custom[it.key()] = *it;
  }
  return custom;
}

}  // namespace

FieldMerge merge_fields(const json& base, const json& mine, const json& theirs) {
  FieldMerge out;
  out.theirs_row = theirs;
  const bool have_base = base.is_object();
  if (!mine.is_object()) return out;
  for (auto it = mine.begin(); it != mine.end(); ++it) {
    const std::string& field = it.key();
    if (field == "rev" || field == "id") continue;
    if (field == "custom" && it->is_object()) {
      // Key by key, over every key either this edit or the row it began from has: a form sends the whole
      // object, so a key it no longer has was cleared.
      const json& base_custom = value_of(base, "custom");
      const json& their_custom = value_of(theirs, "custom");
      std::vector<std::string> keys;
      for (auto c = it->begin(); c != it->end(); ++c) keys.push_back(c.key());
      if (base_custom.is_object())
        for (auto c = base_custom.begin(); c != base_custom.end(); ++c)
          if (!it->contains(c.key())) keys.push_back(c.key());
      json merged = json::object();
      for (const auto& key : keys)
        merge_one("custom." + key, value_of(base_custom, key), have_base, value_of(*it, key), value_of(their_custom, key), out, merged, key);
      if (!merged.empty()) out.patch["custom"] = whole_custom(theirs, merged);
      continue;
    }
    merge_one(field, value_of(base, field), have_base, *it, value_of(theirs, field), out, out.patch, field);
  }
  out.patch["rev"] = value_of(theirs, "rev");
  return out;
}

json settle(const FieldMerge& merge, const std::map<std::string, bool>& take_mine) {
  json patch = merge.patch;
  json custom_mine = json::object();
  for (const auto& c : merge.conflicts) {
    auto chosen = take_mine.find(c.field);
    if (chosen == take_mine.end() || !chosen->second) continue;  // theirs: already the server's value
    if (c.field.rfind("custom.", 0) == 0) custom_mine[c.field.substr(7)] = c.mine;
    else patch[c.field] = c.mine;
  }
  if (!custom_mine.empty()) {
    // Over the whole object the patch already carries, or theirs when no custom key merged by itself.
    const json start = patch.contains("custom") ? json{{"custom", patch["custom"]}} : merge.theirs_row;
    patch["custom"] = whole_custom(start, custom_mine);
  }
  return patch;
}

bool changes_anything(const json& patch) {
  if (!patch.is_object()) return false;
  for (auto it = patch.begin(); it != patch.end(); ++it)
    if (it.key() != "rev") return true;
  return false;
}

}  // namespace kehu
