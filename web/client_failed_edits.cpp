// client_failed_edits.cpp — ClientState's side of the edits the server refused (client_state.h,
// web/screens/failed_edits_panel.h): the panel opens by itself when a conflict needs the user, and what the
// user chose there is carried out on the outbox (merge, send again, discard) or in a form (fix).
#include "web/client_state.h"

#include "core/users/role_rights.h"

namespace kehu::client {

using nlohmann::json;

void ClientState::check_new_conflicts() {
  if (!outbox_) return;
  int conflicts = 0;
  for (const auto& f : outbox_->failed_entries())
    if (f.error.is_object() && f.error.contains("merge")) ++conflicts;
  if (conflicts > conflicts_seen_) failed_panel_.open();
  conflicts_seen_ = conflicts;
}

void ClientState::draw_failed_edits() {
  if (!outbox_ || !cache_ || !failed_panel_.is_open()) return;
  auto intent = failed_panel_.draw(ui_, *cache_, outbox_->failed_entries());
  if (!intent || intent->kind == FailedEditIntent::close) return;
  Status done = ok_status();
  switch (intent->kind) {
    case FailedEditIntent::merge: done = outbox_->settle_conflict(intent->seq, intent->take_mine); break;
    case FailedEditIntent::discard: done = outbox_->withdraw(intent->seq); break;
    case FailedEditIntent::retry: done = outbox_->retry(intent->seq); break;
    case FailedEditIntent::fix: done = fix_failed_edit(intent->seq); break;
    case FailedEditIntent::recreate: {
      auto made = outbox_->recreate(intent->seq, now_text(), user_.value("id", int64_t{0}));
      if (!made.ok()) done = made.take_error();
      break;
    }
    case FailedEditIntent::close: break;
  }
  if (!done.ok()) notice_ = ui_.tr(done.error().message);
  check_new_conflicts();
  platform_.persist_cache();
  mark_lists_stale();
  if (engine_) engine_->tick();  // online, what was settled is sent at once
  redraw();
}

Status ClientState::fix_failed_edit(int64_t seq) {
  for (const auto& f : outbox_->failed_entries()) {
    if (f.entry.seq != seq) continue;
    const EntityDef* entity = find_entity(f.entry.entity);
    if (!entity) return Error::make(ErrorCode::not_found, {"这项修改的记录类型已不存在", "this edit's record type no longer exists"});
    // The server's words, at the fields they name.
    std::string message = ui_.tr("服务器未接受这项修改", "The server did not accept this edit");
    std::map<std::string, std::string> fields;
    if (f.error.is_object() && f.error.contains("error") && f.error["error"].is_object()) {
      message = f.error["error"].value("message", message);
      if (f.error["error"].contains("fields") && f.error["error"]["fields"].is_object())
        for (const auto& [k, v] : f.error["error"]["fields"].items())
          if (v.is_string()) fields[k] = v.get<std::string>();
    }
    json edits = f.entry.body.is_object() ? f.entry.body : json::object();
    edits.erase("rev");
    edits.erase("force");
    // The refused entry stays until the corrected one is queued (save_form): leaving the form keeps it.
    failed_panel_.close();
    if (f.entry.method == "POST") {
      form_.open_new(ui_, *cache_, *entity, edits);
      go(Place{Screen::form, entity, 0});
    } else {
      json base = outbox_->base_row(seq);
      if (!base.is_object()) {
        auto row = cache_->record(*entity, f.entry.record_id);
        if (!row.ok()) return row.take_error();
        if (!row->has_value())
          return Error::make(ErrorCode::not_found, {"找不到该" + entity->label.zh + "，可能已被删除", "no such " + entity->label.en + "; it may have been deleted"});
        base = **row;
      }
      form_.open_edit_over(ui_, *cache_, *entity, base, edits);
      go(Place{Screen::form, entity, f.entry.record_id});
    }
    fixing_seq_ = seq;
    // A duplicate (撞单) offers what the form's own save would: the other customer, or saving anyway.
    const bool duplicate = f.error.is_object() && f.error.contains("error") && f.error["error"].is_object() &&
                           f.error["error"].value("code", "") == "duplicate";
    if (duplicate) form_.show_duplicate(message, role_may_override(user_.value("role", std::string())), duplicate_in_cache());
    else form_.show_error(message, fields);
    return ok_status();
  }
  return Error::make(ErrorCode::not_found, {"这项修改已不在待处理列表中", "this edit is no longer waiting"});
}

}  // namespace kehu::client
