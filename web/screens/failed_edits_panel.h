// failed_edits_panel.h — 待处理的修改: the edits the server refused, where the user settles each one
// (SPEC §6: no edit is ever dropped silently).
//
// A conflict (someone changed the record since the edit began) that could not merge by itself lists the
// fields both sides changed, each with the user's value and the other side's (who changed it and when),
// to keep one or the other; what did merge is kept either way. Any other refusal (a rule the server
// checks, a permission) shows the server's words, and the edit can be fixed in its form, sent again, or
// discarded (after a confirmation); an edit of a record someone deleted meanwhile can instead make the
// record again, as the user last saw it with their edit. The panel is a modal window over the current screen.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "web/cache/local_cache.h"
#include "web/sync/outbox.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct FailedEditIntent {
  enum Kind { merge, discard, retry, fix, recreate, close } kind = close;
  int64_t seq = 0;
  std::map<std::string, bool> take_mine;  // merge: per conflicting field, the user's value (true) or theirs
};

class FailedEditsPanel {
 public:
  void open() { open_ = true; }
  void close() { open_ = false; }
  bool is_open() const { return open_; }
  // Draws the panel while open; `failed` is Outbox::failed_entries(). Closes itself when nothing is left.
  std::optional<FailedEditIntent> draw(Ui& ui, LocalCache& cache, const std::vector<Outbox::Failed>& failed);

 private:
  void draw_conflicts(Ui& ui, LocalCache& cache, const Outbox::Failed& f, const nlohmann::json& merge,
                      std::optional<FailedEditIntent>& intent);
  bool open_ = false;
  std::map<int64_t, std::map<std::string, bool>> take_mine_;  // the choices made so far, per entry
  int64_t confirming_discard_ = 0;                            // the entry whose discard asks "really?"
};

}  // namespace kehu::client
