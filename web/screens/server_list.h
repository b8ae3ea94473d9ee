// server_list.h — a list read from the server rather than the cache, for what the sync does not bring
// (a ticket's progress log, the users, the audit log): asked for when wanted, kept while a new answer is
// on its way, and asked for again after a change or when the network comes back. One request at a time.
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class ServerList {
 public:
  // What a 200 answer holds: a list {items}, or one document (an object, e.g. the settings).
  enum class Shape { items, document };
  explicit ServerList(Shape shape = Shape::items)
      : shape_(shape), items_(shape == Shape::document ? nlohmann::json() : nlohmann::json::array()) {}

  // Whether to ask now: never asked, or marked stale, and no answer awaited.
  bool wants() const { return stale_ && !loading_; }
  // A request goes out; returns the generation its answer must name.
  int asking() {
    loading_ = true;
    stale_ = false;
    return generation_;
  }
  // The answer: {items} from a 200 (the whole object for a document) replaces the items; anything else
  // keeps them and says why (error()).
  // After no answer at all it is asked for again once marked stale (the client does so whenever the sync
  // reports a change, coming back online included). An answer to a request made before clear() is dropped.
  void answered(int generation, const Ui& ui, const HttpResponse& answer);
  void mark_stale() { stale_ = true; }
  // Forgets the items and any answer on its way (another ticket's log must never show under this one).
  void clear();

  const nlohmann::json& items() const { return items_; }
  // A document's object (null until read).
  const nlohmann::json& document() const { return items_; }
  // Whether the items changed since the caller last asked (a document's editor starts over from it).
  bool take_new_answer() { return std::exchange(new_answer_, false); }
  const std::string& error() const { return error_; }
  bool loading() const { return loading_; }

 private:
  Shape shape_;
  bool stale_ = true, loading_ = false, new_answer_ = false;
  int generation_ = 0;
  nlohmann::json items_;
  std::string error_;
};

// A text field of a row the server sent ("" when absent, null or not text): rows are shown as they come.
inline std::string row_text(const nlohmann::json& row, const char* field) {
  auto it = row.find(field);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace kehu::client
