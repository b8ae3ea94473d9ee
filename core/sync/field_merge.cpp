#include "core/sync/field_merge.h"

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

FieldMerge merge_fields(const json& base, const json& mine, const json& theirs) {
  FieldMerge out;
  const bool have_base = base.is_object();
  if (!mine.is_object()) return out;
  for (auto it = mine.begin(); it != mine.end(); ++it) {
    const std::string& field = it.key();
    if (field == "rev" || field == "id") continue;
    if (field == "custom" && it->is_object()) {
      const json& base_custom = value_of(base, "custom");
      const json& their_custom = value_of(theirs, "custom");
      json merged = json::object();
      for (auto c = it->begin(); c != it->end(); ++c)
        merge_one("custom." + c.key(), value_of(base_custom, c.key()), have_base, *c, value_of(their_custom, c.key()), out, merged, c.key());
      if (!merged.empty()) out.patch["custom"] = std::move(merged);
      continue;
    }
    merge_one(field, value_of(base, field), have_base, *it, value_of(theirs, field), out, out.patch, field);
  }
  out.patch["rev"] = value_of(theirs, "rev");
  return out;
}

json settle(const FieldMerge& merge, const std::map<std::string, bool>& take_mine) {
  json patch = merge.patch;
  for (const auto& c : merge.conflicts) {
    auto chosen = take_mine.find(c.field);
    if (chosen == take_mine.end() || !chosen->second) continue;  // theirs: already the server's value
    if (c.field.rfind("custom.", 0) == 0) patch["custom"][c.field.substr(7)] = c.mine;
    else patch[c.field] = c.mine;
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
