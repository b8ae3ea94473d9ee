// server_list.h — a list read from the server rather than the cache, for what the sync does not bring
// (a ticket's progress log, the users, the audit log): asked for when wanted, kept while a new answer is
// on its way, and asked for again after a change or when the network comes back. One request at a time.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class ServerList {
 public:
  // Whether to ask now: never asked, or marked stale, and no answer awaited.
  bool wants() const { return stale_ && !loading_; }
  // A request goes out; returns the generation its answer must name.
  int asking() {
    loading_ = true;
    stale_ = false;
    return generation_;
  }
  // The answer: {items} from a 200 replaces the items; anything else keeps them and says why (error()).
  // After no answer at all it is asked for again once marked stale (the client does so whenever the sync
  // reports a change, coming back online included). An answer to a request made before clear() is dropped.
  void answered(int generation, const Ui& ui, const HttpResponse& answer);
  void mark_stale() { stale_ = true; }
  // Forgets the items and any answer on its way (another ticket's log must never show under this one).
  void clear();

  const nlohmann::json& items() const { return items_; }
  const std::string& error() const { return error_; }
  bool loading() const { return loading_; }

 private:
  bool stale_ = true, loading_ = false;
  int generation_ = 0;
  nlohmann::json items_ = nlohmann::json::array();
  std::string error_;
};

}  // namespace kehu::client
