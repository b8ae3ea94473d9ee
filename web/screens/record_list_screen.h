// record_list_screen.h — the list of one module (customers, opportunities, tickets, ...): search as you
// type, a filter per option field, sort, and every row scrollable.
//
// Everything is derived from the entity's descriptor (core/entity): the columns are its code, its title
// and the fields it lists by; the filters are its option fields; the sorts are its sortable fields. The
// list holds the ids of every match (LocalCache::find_ids, core's list query on the cache) and reads only
// the rows on screen (ImGuiListClipper), so 100k rows scroll as smoothly as 100. It queries again when
// the search, a filter or the sort changes. When the cache changed (mark_stale(): a pull, an edit) it
// asks the cache's journal what changed (record_journal.h): with no search or filter and an order by
// id, only a record added or removed can change which ids the list holds, so otherwise it re-reads just
// the changed rows — a live update of three customers costs three row reads, not a query of 100k.
//
// The user's saved views of the list (saved_views.h) sit beside the search.
//
// Test ids: {entity}.search, {entity}.filter.{field}, {entity}.sort, {entity}.new, {entity}.count,
// {entity}.row.{id}; a row's menu {entity}.menu.open|edit|copy_title|copy_{phone field}; the views' ids
// in saved_views.h.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/screens/saved_views.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct ListIntent {
  enum Kind { open, edit, create, view } kind = open;
  int64_t id = 0;
  ViewChange change;  // view: a saved view to send
};

class RecordListScreen {
 public:
  // `views`: the user's saved views of every list, read once for all of them (saved_views.h).
  RecordListScreen(const EntityDef& entity, ServerList& views);

  // `may_create`, `may_update`: the user's role may create this module's records (the "new" button
  // shows), and edit them (a row's menu offers it); `online`: saved views can be saved and deleted.
  std::optional<ListIntent> draw(Ui& ui, LocalCache& cache, bool may_create, bool may_update, bool online);
  SavedViews& views() { return views_; }
  void mark_stale() { stale_ = true; }
  const EntityDef& entity() const { return entity_; }
  double last_query_ms() const { return last_query_ms_; }

 private:
  struct Sort {
    std::string param;
    Text label;
  };
  void requery(Ui& ui, LocalCache& cache);
  // The cache changed: re-reads the changed rows, or everything when the ids or their order may have moved.
  void refresh(Ui& ui, LocalCache& cache);
  // No search, no filter and an order by id: only a record added or removed moves the list's ids.
  bool order_is_fixed() const;
  // A row's context menu (right click, or a long press): open, edit, copy its name or a number.
  std::optional<ListIntent> draw_row_menu(Ui& ui, const nlohmann::json& row, bool may_update);
  // Makes sure rows [first, end) of ids_ are loaded, reading ahead of the scroll (see the definition).
  void load_rows_around(Ui& ui, LocalCache& cache, int first, int end,
                        const std::function<std::string(int64_t, const nlohmann::json&, int)>& cell_text);
  std::multimap<std::string, std::string> params() const;
  // What the list shows as a saved view's state ({filters: {field: value, q}, sort}), and back.
  nlohmann::json view_state() const;
  void apply_view(const nlohmann::json& state);

  const EntityDef& entity_;
  std::vector<std::string> columns_;          // field or system column names, in order
  std::vector<const FieldDef*> filters_;      // option fields, each a combo
  std::vector<Sort> sorts_;
  bool searchable_ = false;

  std::string search_;
  std::map<std::string, std::string> filter_value_;  // field -> the value it filters by ("": all)
  int sort_ = 0;
  bool query_due_ = true;  // the search, a filter or the sort changed
  bool stale_ = false;     // the cache changed since the last query or refresh
  uint64_t journal_mark_ = 0;  // the cache journal's position when ids_ and rows_ were read
  std::vector<int64_t> ids_;
  std::map<int64_t, nlohmann::json> rows_;    // the rows last drawn, by id
  std::string error_;
  double last_query_ms_ = 0;
  SavedViews views_;
};

}  // namespace kehu::client
