#include "web/cache/record_journal.h"

#include <algorithm>
#include <atomic>
#include <unordered_map>

namespace kehu::client {

RecordJournal::RecordJournal() {
  static std::atomic<uint64_t> journals{0};  // tests run several clients on their own threads
  next_seq_ = known_from_ = (++journals) << 40;
}

void RecordJournal::note(std::string_view table, Database::RowOp op, int64_t id) {
  if (table == "users" || table == "settings") {
    names_written_ = next_seq_++;
    return;
  }
  const EntityDef* entity = find_entity(table);
  if (!entity) return;
  if (entries_.size() >= kMaxEntries) {
    // Drop the older half at once (not one per write): readers that far behind read everything again.
    const auto keep = entries_.begin() + static_cast<std::ptrdiff_t>(entries_.size() / 2);
    known_from_ = keep->seq;
    entries_.erase(entries_.begin(), keep);
  }
  entries_.push_back({next_seq_++, entity, op, id});
}

void RecordJournal::forget_all() {
  entries_.clear();
  known_from_ = ++next_seq_;  // every mark handed out so far is now below it
}

RecordChanges RecordJournal::changes_since(const EntityDef& entity, uint64_t mark) const {
  RecordChanges answer;
  if (blind_ || mark < known_from_) {
    answer.complete = false;
    return answer;
  }
  answer.names_changed = names_written_ >= mark;
  // Per record, its first and last write since the mark: a record first inserted was not there before
  // (a cache replaces a row by deleting and inserting it, so "deleted, then inserted" is a change in
  // place), one last deleted is not there now.
  struct Span {
    Database::RowOp first, last;
  };
  std::unordered_map<int64_t, Span> spans;
  std::vector<int64_t> order;
  auto from = std::lower_bound(entries_.begin(), entries_.end(), mark, [](const Entry& e, uint64_t m) { return e.seq < m; });
  for (auto it = from; it != entries_.end(); ++it) {
    if (it->entity != &entity) continue;
    auto [span, fresh] = spans.try_emplace(it->id, Span{it->op, it->op});
    if (fresh) order.push_back(it->id);
    else span->second.last = it->op;
  }
  for (int64_t id : order) {
    const Span& s = spans.at(id);
    if (s.first == Database::RowOp::inserted || s.last == Database::RowOp::deleted) answer.added_or_removed = true;
    else answer.changed.push_back(id);
  }
  return answer;
}

}  // namespace kehu::client
