// record_detail_screen.h — one record of any module: every field, then the records that refer to it
// (a customer's contacts, opportunities, contracts, orders, activities and tickets), each row opening
// that record. All from the cache, so it shows offline too.
//
// Actions: delete (confirmed first), a contract's or ticket's next steps from its state machine
// (core/rules/workflows.h; one that needs a reason, a resolution or an assignee asks for it), claiming
// a customer from the pool, and assigning a record to another owner (or a customer back to the pool).
//
// Test ids: record.back, record.edit, record.delete, record.title, record.field.{field},
// action.{to} / action.claim, action.input, action.assignee, action.confirm, action.cancel,
// action.assign, assign.owner (a combo; its last choice is the pool for customers), assign.confirm, assign.cancel,
// delete.confirm, delete.cancel, related.{entity}.new, related.{entity}.row.{id}; related sections are
// found from the descriptors (every reference field pointing at this entity), so a new module's records
// show up here without code.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "web/cache/local_cache.h"
#include "web/screens/record_picker.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct DetailIntent {
  enum Kind { back, edit, open, create, remove, act, assign, merge } kind = back;
  const EntityDef* entity = nullptr;  // open, create: the related record's module
  int64_t id = 0;                     // open: the related record
  nlohmann::json preset;              // create: the reference to this record ({"customer_id": 12}); act: the body;
                                      // assign: {"owner_id": id or null (the pool)};
                                      // merge: {"keep_id": this customer, "merge_id": its duplicate}
  std::string action;                 // act: "transition" or "claim"
};

// What the signed-in user may do here (core/users/role_rights.h).
struct DetailRights {
  std::string role;
  bool update = false, remove = false;
  std::function<bool(const EntityDef&)> create;  // which related modules get a "new" button
  bool busy = false;  // an action or delete of this record waits in the outbox: no second one yet
  std::function<void()> extra;  // draws a section after the fields (a ticket's progress log), or null
  bool assign = false;  // may hand the record to another owner (managers, admins: SPEC §3)
};

class RecordDetailScreen {
 public:
  std::optional<DetailIntent> draw(Ui& ui, LocalCache& cache, const EntityDef& entity, int64_t id, const DetailRights& rights);
  // The user left the page: its dialogs close.
  void leave() {
    shown_id_ = 0;
    confirm_delete_ = false;
    move_to_.clear();
    assigning_ = false;
    merging_ = false;
  }

 private:
  std::optional<DetailIntent> draw_actions(Ui& ui, LocalCache& cache, const EntityDef& entity, const nlohmann::json& record,
                                           const DetailRights& rights);
  int64_t shown_id_ = 0;           // the record the dialogs below belong to
  bool confirm_delete_ = false;
  std::string move_to_;            // the move asking for its input ("" none)
  std::string move_text_;          // its reason / resolution / note
  int move_assignee_ = -1;         // its assignee: index into the directory
  bool assigning_ = false;         // the assign dialog is open
  int assign_to_ = -1;             // its choice: index into the directory (one past: the pool)
  bool merging_ = false;           // the merge dialog is open (a customer's duplicate, found in the cache)
  RecordPicker merge_picker_;
  nlohmann::json merge_id_;        // the duplicate picked (id or null)
};

}  // namespace kehu::client
