// global_search.h — Ctrl+K: one search box over every module the user reads (customers, contacts,
// opportunities, contracts, ...), answered from the cache as they type, the first few matches of each
// module listed under its name. Enter opens the first match, a click any; Esc closes.
//
// Test ids: search.input, search.group.{module}, search.result.{module}.{id}, search.none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct SearchPick {
  const EntityDef* module = nullptr;
  int64_t id = 0;
};

class GlobalSearch {
 public:
  void open();
  bool is_open() const { return open_; }
  // Draws the search window while open; returns the record the user picked (and closes).
  std::optional<SearchPick> draw(Ui& ui, LocalCache& cache, const std::vector<const EntityDef*>& modules);

 private:
  struct Group {
    const EntityDef* module;
    std::vector<std::pair<int64_t, std::string>> hits;  // (id, title)
  };
  void search(LocalCache& cache, const std::vector<const EntityDef*>& modules);

  bool open_ = false;
  bool focus_ = false;
  std::string query_;
  std::vector<Group> groups_;
};

}  // namespace kehu::client
