// customer_list_screen.h — the customer list: search as you type, filters, sort, every row scrollable.
//
// The list holds the ids of every match (LocalCache::find_ids, core's list query on the cache) and reads
// only the rows on screen (ImGuiListClipper), so 100k rows scroll as smoothly as 100. It queries again when
// the search, a filter or the sort changes, or when the cache changed (mark_stale()).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct ListIntent {
  enum Kind { open, create } kind = open;
  int64_t id = 0;
};

class CustomerListScreen {
 public:
  std::optional<ListIntent> draw(Ui& ui, LocalCache& cache);
  void mark_stale() { stale_ = true; }
  double last_query_ms() const { return last_query_ms_; }

 private:
  void requery(Ui& ui, LocalCache& cache);
  std::multimap<std::string, std::string> params() const;

  std::string search_;
  int type_ = -1, level_ = -1, status_ = -1, source_ = -1, sort_ = 0;
  bool stale_ = true;
  std::vector<int64_t> ids_;
  std::map<int64_t, nlohmann::json> rows_;  // the rows last drawn, by id
  std::string error_;
  double last_query_ms_ = 0;
};

}  // namespace kehu::client
