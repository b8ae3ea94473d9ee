// pipeline_board.h — opportunities as a board (销售漏斗看板): a column per stage, a card per opportunity
// (title, customer, amount), moved to another stage by dragging it there. Won and lost are final, so a
// drop there asks first — lost with its reason (输单原因). From the cache, like every list.
//
// Test ids: board.column.{stage} (its label carries the count), board.card.{id}, board.confirm,
// board.reason, board.cancel.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct BoardIntent {
  enum Kind { open, move } kind = open;
  int64_t id = 0;
  int64_t rev = 0;         // move: the version the user dragged
  nlohmann::json change;   // move: {stage, lost_reason?}
};

class PipelineBoard {
 public:
  // `may_move`: the user may change opportunities (else the cards do not drag).
  std::optional<BoardIntent> draw(Ui& ui, LocalCache& cache, bool may_move);
  void mark_stale() { stale_ = true; }

 private:
  void requery(LocalCache& cache);
  std::optional<BoardIntent> draw_confirm(Ui& ui);

  bool stale_ = true;
  std::map<std::string, std::vector<nlohmann::json>> cards_;  // stage -> its opportunities, newest first
  std::map<std::string, int64_t> counts_;
  // A drop on won or lost waiting for the user's word.
  std::optional<nlohmann::json> dropped_;
  std::string dropped_stage_;
  std::string reason_;
};

}  // namespace kehu::client
