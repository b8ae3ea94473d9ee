// record_picker.h — the input of a reference field (a contract's customer, a ticket's contact): type a
// few characters of the record's name, code or phone and pick one of the first matches from the cache.
// Works offline, and at a million customers, because it asks the cache for the first few matches only.
//
// Test ids: {id} (the input), {id}.match.{n} (the n-th match), {id}.clear.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class RecordPicker {
 public:
  // Shows `value` (an id, or null) of a field referring to `target`.
  void reset(LocalCache& cache, const EntityDef& target, const nlohmann::json& value);
  // Draws the picker; returns true when the user picked or cleared a record (`value` holds the new id or null).
  bool draw(Ui& ui, LocalCache& cache, const std::string& id, nlohmann::json& value, float width);

 private:
  void search(LocalCache& cache);

  const EntityDef* target_ = nullptr;
  std::string text_;                                      // what the input shows: the picked record's title, or the search
  std::vector<std::pair<int64_t, std::string>> matches_;  // (id, title), shown while the user is searching
  bool searching_ = false;
};

}  // namespace kehu::client
