// record_detail_screen.h — one record of any module: every field, then the records that refer to it
// (a customer's contacts, opportunities, contracts, orders, activities and tickets), each row opening
// that record. All from the cache, so it shows offline too.
//
// Test ids: record.back, record.edit, record.title, record.field.{field}, related.{entity}.new,
// related.{entity}.row.{id}; related sections are found from the descriptors (every reference field
// pointing at this entity), so a new module's records show up here without code.
#pragma once

#include <optional>
#include <string>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct DetailIntent {
  enum Kind { back, edit, open, create } kind = back;
  const EntityDef* entity = nullptr;  // open, create: the related record's module
  int64_t id = 0;                     // open: the related record
  nlohmann::json preset;              // create: the reference to this record ({"customer_id": 12})
};

class RecordDetailScreen {
 public:
  // `may_update` shows the edit button; `may_create` says which related modules get a "new" button.
  std::optional<DetailIntent> draw(Ui& ui, LocalCache& cache, const EntityDef& entity, int64_t id, bool may_update,
                                   const std::function<bool(const EntityDef&)>& may_create);
};

}  // namespace kehu::client
