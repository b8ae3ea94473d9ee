// client_bench_hook.cpp — ClientState's side of what benches drive in the page (client_state.h): edits
// queued in bulk the way the form's save queues one, so the outbox's replay can be measured in the browser
// (bench/browser/client_bench.mjs, through window.kehuTest with ?test=1).
#include <algorithm>

#include "web/client_state.h"

namespace kehu::client {

int ClientState::queue_notes_edits(int count, const std::string& notes) {
  if (!cache_ || !outbox_) return 0;
  auto ids = cache_->find_ids(customers_def(), {{"sort", "id"}}, static_cast<size_t>(std::max(0, count)));
  if (!ids.ok()) return 0;
  auto rows = cache_->records(customers_def(), *ids);
  if (!rows.ok()) return 0;
  const std::string now = now_text();
  const int64_t user_id = user_.value("id", int64_t{0});
  int queued = 0;
  for (const auto& [id, row] : *rows)
    if (outbox_->update(customers_def(), id, {{"notes", notes}}, row.value("rev", int64_t{0}), now, user_id).ok()) ++queued;
  platform_.persist_cache();
  mark_lists_stale();
  return queued;
}

}  // namespace kehu::client
