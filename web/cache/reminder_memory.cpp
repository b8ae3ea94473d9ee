#include "web/cache/reminder_memory.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace kehu::client {

using nlohmann::json;

namespace {
constexpr const char* kMetaKey = "reminders";  // {"dismissed": {id: remind_at}, "snoozed": {id: until_ms}}
}

void ReminderMemory::load(LocalCache& cache) {
  if (loaded_from_ == &cache) return;
  loaded_from_ = &cache;
  dismissed_.clear();
  snoozed_.clear();
  auto text = cache.meta(kMetaKey);
  const json stored = text.ok() ? json::parse(*text, nullptr, false) : json();
  if (!stored.is_object()) return;  // nothing yet, or unreadable: every due reminder asks
  // Named first: items() of a temporary would outlive it.
  const json dismissed = stored.value("dismissed", json::object());
  const json snoozed = stored.value("snoozed", json::object());
  for (const auto& [id, at] : dismissed.items())
    if (at.is_string()) dismissed_[std::atoll(id.c_str())] = at.get<std::string>();
  for (const auto& [id, until] : snoozed.items())
    if (until.is_number_integer()) snoozed_[std::atoll(id.c_str())] = until.get<int64_t>();
}

bool ReminderMemory::hidden(int64_t id, const std::string& remind_at, int64_t now_ms) const {
  if (auto d = dismissed_.find(id); d != dismissed_.end() && d->second == remind_at) return true;
  auto s = snoozed_.find(id);
  return s != snoozed_.end() && now_ms < s->second;
}

Status ReminderMemory::dismiss(LocalCache& cache, int64_t id, const std::string& remind_at) {
  dismissed_[id] = remind_at;
  snoozed_.erase(id);
  return save(cache);
}

Status ReminderMemory::snooze(LocalCache& cache, int64_t id, int64_t until_ms) {
  snoozed_[id] = until_ms;
  return save(cache);
}

Status ReminderMemory::save(LocalCache& cache) {
  json stored = {{"dismissed", json::object()}, {"snoozed", json::object()}};
  for (const auto& [id, at] : dismissed_) stored["dismissed"][std::to_string(id)] = at;
  for (const auto& [id, until] : snoozed_) stored["snoozed"][std::to_string(id)] = until;
  return cache.set_meta(kMetaKey, stored.dump());
}

}  // namespace kehu::client
