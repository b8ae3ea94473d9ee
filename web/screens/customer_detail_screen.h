// customer_detail_screen.h — one customer: every field, and its contacts (from the cache).
#pragma once

#include <optional>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct DetailIntent {
  enum Kind { back, edit } kind = back;
};

class CustomerDetailScreen {
 public:
  std::optional<DetailIntent> draw(Ui& ui, LocalCache& cache, int64_t id);
};

}  // namespace kehu::client
