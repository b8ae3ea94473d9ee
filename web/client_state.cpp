// client_state.cpp — see client_state.h. Places, addresses and the side bar are in client_places.cpp,
// requests outside the outbox in client_requests.cpp.
//
// [SECTION] session: start, sign in, open the user's cache, sign out
// [SECTION] saving forms through the outbox
// [SECTION] frame: top bar, screens, status bar, dialogs
#include "web/client_state.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/clock.h"
#include "core/rules/customer_rules.h"
#include "core/settings/settings.h"
#include "core/users/record_scope.h"
#include "web/screens/module_menu.h"
#include "web/ui/colors.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

ClientState::ClientState(Platform& platform, FontAtlas& fonts, TestHook& hook)
    : platform_(platform), hook_(hook), ui_(fonts, hook) {}

ClientState::~ClientState() { *alive_ = false; }

RecordListScreen& ClientState::list_of(const EntityDef& module) {
  auto& list = lists_[module.name];
  if (!list) list = std::make_unique<RecordListScreen>(module, views_);
  return *list;
}

bool ClientState::may(const EntityDef& module, Action action) const {
  return role_may(user_.value("role", std::string()), module.name, action);
}

void ClientState::mark_lists_stale() {
  for (auto& [name, list] : lists_) list->mark_stale();
  if (!views_.error().empty()) views_.mark_stale();  // views change only by this user: read again after a failure
  dashboard_.mark_stale();
  stats_.mark_stale();
  board_.mark_stale();
  calendar_.mark_stale();
  phone_book_.mark_stale();
  progress_.mark_stale();
  members_.members_of(members_.campaign()).mark_stale();
  users_.list().mark_stale();
  audit_.list().mark_stale();  // a change just made is in the log: shown when next drawn
  settings_.document().mark_stale();  // another admin's change shows unless a draft is open
  teams_.teams().mark_stale();
  teams_.users().mark_stale();
  kiosks_.list().mark_stale();
  account_.sessions().mark_stale();
  backups_.list().mark_stale();
  backups_.schedule_settings().mark_stale();  // the dialog's draft is its own: a re-read does not touch it
  menu_stale_ = true;
  if (cache_) cache_->settings_changed();
}

std::string ClientState::now_text() const { return format_rfc3339_ms(platform_.now_ms()); }

// ============================================================================================[SECTION] session

void ClientState::start() {
  ui_.set_lang(platform_.load_setting("lang") == "en" ? Lang::en : Lang::zh);
  dark_ = platform_.load_setting("theme") == "dark";
  json last = json::parse(platform_.load_setting("last_user"), nullptr, false);
  if (last.is_object() && last.value("id", json()).is_number_integer()) {
    login_.set_username(last.value("username", ""));
    open_session(last, true);
  }
}

void ClientState::set_language(Lang lang) {
  ui_.set_lang(lang);
  platform_.save_setting("lang", lang == Lang::zh ? "zh" : "en");
  if (engine_) engine_->set_language(accept_language());
  mark_lists_stale();
  redraw();
}

void ClientState::open_session(const json& user, bool verify) {
  user_ = user;
  std::string name = "kehu-user-" + std::to_string(user.value("id", int64_t{0}));
  if (cache_ && name == cache_name_) {  // the same user again: resume where the outbox stopped
    screen_ = place_.screen;
    engine_ = std::make_unique<SyncEngine>(platform_, *cache_, *outbox_, accept_language());
  } else {
    close_session(false);
    user_ = user;
    cache_name_ = name;
    screen_ = Screen::opening;
    lists_.clear();
    views_.clear();
    ++session_;  // answers still on their way to the lists just dropped go nowhere
    back_stack_.clear();
    menu_stale_ = true;
    place_ = Place{Screen::dashboard, nullptr, 0};
    pending_location_ = platform_.location();  // a reload or a link: that screen, once the cache is open
    entering_ = true;
    if (pending_location_.empty()) pending_location_ = "/";
  }
  if (engine_) {
    wire_engine();
    redraw();
    return;
  }
  auto alive = alive_;
  platform_.open_cache(cache_name_, [this, alive, name = cache_name_, verify](Result<std::unique_ptr<Database>> db) {
    if (*alive) cache_opened(name, std::move(db), verify);
  });
}

void ClientState::wire_engine() {
  engine_->on_changed = [this] {
    mark_lists_stale();
    check_new_conflicts();
    redraw();
  };
  engine_->on_signed_out = [this] { signed_out(); };
}

void ClientState::cache_opened(const std::string& name, Result<std::unique_ptr<Database>> db, bool verify) {
  // Unless another tab has it, the host holds the cache's lock for this tab now, opened or not.
  const bool held_elsewhere = !db.ok() && db.error().code == ErrorCode::busy;
  if (screen_ != Screen::opening || name != cache_name_) {
    // Wanted no more (signed out, another user) by the time it opened: let other tabs have it.
    if (db.ok()) db->reset();
    if (!held_elsewhere) platform_.release_cache(name);
    return;
  }
  redraw();
  if (held_elsewhere) return wait_for_other_tab(verify, true);
  if (!db.ok()) {
    notice_ = ui_.tr(db.error().message);
    screen_ = Screen::login;
    platform_.release_cache(name);
    return;
  }
  auto cache = LocalCache::attach(std::move(*db));
  if (!cache.ok()) {
    notice_ = ui_.tr(cache.error().message);
    screen_ = Screen::login;
    platform_.release_cache(name);
    return;
  }
  cache_ = std::move(*cache);
  outbox_ = std::make_unique<Outbox>(*cache_);
  engine_ = std::make_unique<SyncEngine>(platform_, *cache_, *outbox_, accept_language());
  wire_engine();
  auto next = cache_->meta("sync_next");
  screen_ = next.ok() && !next->empty() && *next != "0" ? place_.screen : Screen::syncing;
  mark_lists_stale();
  if (verify) verify_session();
}

void ClientState::verify_session() {
  auto alive = alive_;
  platform_.send({"GET", "/api/v1/me", "", {{"Accept-Language", accept_language()}}}, [this, alive](HttpResponse r) {
    if (!*alive) return;
    if (r.status == 401) signed_out();
    if (r.status == 200 && engine_) engine_->set_online(true);
    redraw();
  });
}

void ClientState::signed_out() {
  // The session ended (expired, revoked): sign in again. Cache and outbox stay for the same user.
  engine_.reset();
  login_.set_error(ui_.tr("登录已过期，请重新登录；未发送的修改会保留", "Your session has ended; sign in again. Unsent edits are kept."));
  login_.set_username(user_.value("username", ""));
  screen_ = Screen::login;
  redraw();
}

void ClientState::close_session(bool delete_cache) {
  engine_.reset();
  outbox_.reset();
  const bool had_cache = cache_ != nullptr;
  cache_.reset();
  if (delete_cache && !cache_name_.empty()) platform_.delete_cache(cache_name_);
  if (had_cache) platform_.release_cache(cache_name_);
  cache_name_.clear();
  user_ = nullptr;
  // Nothing of this session's screens shows to the next user; answers still on their way are dropped.
  progress_.log_of(0);
  members_.members_of(0);
  users_.reset();
  audit_.reset();
  stats_.reset();
  settings_.reset();
  teams_.reset();
  kiosks_.reset();
  account_.reset();
  backups_.reset();
  dashboard_ = DashboardScreen();  // its figures and remembered reminder answers were this user's
  calendar_ = ActivityCalendar();
  phone_book_ = PhoneBookScreen();  // its search and rows were the last user's
}

void ClientState::submit_login(const LoginIntent& intent) {
  login_busy_ = true;
  json body = {{"username", intent.username}, {"password", intent.password}};
  auto alive = alive_;
  platform_.send({"POST", "/api/v1/auth/login", body.dump(), {{"Accept-Language", accept_language()}}},
                 [this, alive](HttpResponse r) {
                   if (!*alive) return;
                   login_busy_ = false;
                   redraw();
                   json answer = json::parse(r.body, nullptr, false);
                   if (r.status != 200 || !answer.is_object() || !answer.contains("user")) {
                     login_.set_error(server_message(ui_, r));
                     return;
                   }
                   login_.clear_password();
                   login_.set_error("");
                   platform_.set_bearer_token(answer.value("token", ""));
                   json user = answer["user"];
                   json remembered = {{"id", user.value("id", int64_t{0})},
                                      {"username", user.value("username", "")},
                                      {"display_name", user.value("display_name", "")},
                                      {"role", user.value("role", "")}};
                   platform_.save_setting("last_user", remembered.dump());
                   open_session(remembered, false);
                 });
}

// ============================================================================================[SECTION] forms

void ClientState::save_form(const FormIntent& intent) {
  const std::string now = now_text();
  const int64_t user_id = user_.value("id", int64_t{0});
  const EntityDef& entity = *form_.entity();
  Result<Outbox::Queued> queued = form_.id() == 0
                                      ? outbox_->create(entity, intent.values, now, user_id, intent.force)
                                      : outbox_->update(entity, form_.id(), intent.values, form_.base_rev(), now, user_id, intent.force);
  if (!queued.ok()) {
    std::map<std::string, std::string> fields;
    for (const auto& [k, t] : queued.error().fields) fields[k] = ui_.tr(t);
    form_.show_error(ui_.tr(queued.error().message), fields);
    return;
  }
  if (fixing_seq_ != 0) {
    // The correction is queued: the refused edit it replaces goes (and the correction shows again over
    // the row the withdrawal put back).
    Status replaced = outbox_->withdraw(fixing_seq_);
    if (replaced.ok()) replaced = outbox_->reapply_pending();
    if (!replaced.ok()) notice_ = ui_.tr(replaced.error().message);
    fixing_seq_ = 0;
  }
  platform_.persist_cache();
  mark_lists_stale();
  const Place saved{Screen::detail, &entity, queued->row.value("id", int64_t{0})};
  if (engine_ && engine_->online()) {
    // Online: stay on the form until the server answers, so its per-field errors show where they belong.
    waiting_seq_ = queued->seq;
    waiting_place_ = saved;
    engine_->tick();
  } else {
    show_saved(saved);  // offline: the edit waits in the outbox; the screen already shows it
  }
}

bool ClientState::record_action(const DetailIntent& intent) {
  // Both go through the outbox: offline they wait like any edit, online they are sent at once.
  Status done = ok_status();
  if (intent.kind == DetailIntent::remove) {
    done = outbox_->remove(*intent.entity, intent.id);
  } else {
    auto queued = outbox_->act(*intent.entity, intent.id, intent.action, intent.preset);
    if (!queued.ok()) done = queued.take_error();
  }
  if (!queued_in_outbox(done)) return false;
  if (intent.kind == DetailIntent::remove) back();
  return true;
}

bool ClientState::queued_in_outbox(const Status& queued) {
  if (!queued.ok()) {
    notice_ = ui_.tr(queued.error().message);
    return false;
  }
  platform_.persist_cache();
  mark_lists_stale();
  if (engine_) engine_->tick();  // online, it is sent at once
  return true;
}

void ClientState::show_saved(const Place& saved) {
  const bool from_there = !back_stack_.empty() && back_stack_.back().screen == Screen::detail &&
                          back_stack_.back().module == saved.module && back_stack_.back().id == saved.id;
  if (from_there) return back();  // an edit opened from the record's page returns to it
  go(saved, History::replace);    // a new record's page takes the form's place in the history
}

void ClientState::check_form_result() {
  if (waiting_seq_ == 0 || !outbox_) return;
  json error;
  Outbox::State state = outbox_->state(waiting_seq_, &error);
  if (state == Outbox::State::pending) {
    if (engine_ && !engine_->online()) {  // went offline meanwhile: the edit stays queued
      waiting_seq_ = 0;
      show_saved(waiting_place_);
    }
    return;
  }
  if (state == Outbox::State::gone) {
    // Accepted: a created record now has the server's id; show the newest record that was ours.
    if (waiting_place_.id < 0) {
      auto ids = cache_->find_ids(*waiting_place_.module, {{"sort", "-updated_at"}}, 1);
      if (ids.ok() && !ids->empty()) waiting_place_.id = ids->front();
    }
    waiting_seq_ = 0;
    show_saved(waiting_place_);
    return;
  }
  // A conflict that needs the user: the edit stays (shown on the record's page) and the merge is asked.
  if (error.is_object() && error.contains("merge")) {
    waiting_seq_ = 0;
    show_saved(waiting_place_);
    check_new_conflicts();
    failed_panel_.open();
    return;
  }
  // Refused: take the edit back and show the server's words at the fields.
  std::map<std::string, std::string> fields;
  std::string message = ui_.tr("保存失败", "Could not save");
  bool duplicate = false;
  if (error.is_object() && error.contains("error") && error["error"].is_object()) {
    duplicate = error["error"].value("code", "") == "duplicate";
    message = error["error"].value("message", message);
    if (error["error"].contains("fields") && error["error"]["fields"].is_object())
      for (const auto& [k, v] : error["error"]["fields"].items())
        if (v.is_string()) fields[k] = v.get<std::string>();
  }
  Status withdrawn = outbox_->withdraw(waiting_seq_);
  if (!withdrawn.ok()) message += " / " + ui_.tr(withdrawn.error().message);
  waiting_seq_ = 0;
  platform_.persist_cache();
  mark_lists_stale();
  if (duplicate) form_.show_duplicate(message, role_may_override(user_.value("role", std::string())), duplicate_in_cache());
  else form_.show_error(message, fields);
}

DuplicateInCache ClientState::duplicate_in_cache() {
  // The same guard as the server's, over the customers this user sees (their cache).
  if (form_.entity() != &customers_def()) return {};
  Database& db = cache_->db();
  auto found = find_customer_duplicate(db, form_.record_now(), form_.id());
  if (!found.ok() || !*found) return {};
  auto other = cache_->record(customers_def(), (*found)->id);
  if (!other.ok() || !other->has_value()) return {};
  // Whether the user may change it (a rep sees the pool, but changes only their own): the server's rule,
  // over the directory in the cache.
  const int64_t user_id = user_.value("id", int64_t{0});
  auto team = db.query_int("SELECT team_id FROM users WHERE id = ?1", {user_id});
  const Viewer viewer{user_id, user_.value("role", std::string()), team.ok() ? *team : std::nullopt};
  auto may_change = row_in_reach(db, customers_def(), (*found)->id, viewer, Action::update);
  return {std::move(**other), may_change.ok() && *may_change && may(customers_def(), Action::update)};
}

// ============================================================================================[SECTION] frame

bool ClientState::wants_frame() const {
  if (frames_wanted_ > 0 || login_busy_ || screen_ == Screen::opening || waiting_seq_ != 0) return true;
  if (cache_ && at_place() && dashboard_.refresh_due(platform_.now_ms())) return true;  // a reminder may be due
  if (screen_ == Screen::backups && backups_.poll_due(platform_.now_ms())) return true;  // a backup's progress moves
  return engine_ && engine_->seconds_until_due() == 0;
}

void ClientState::on_online_changed(bool online) {
  if (engine_) engine_->set_online(online);
  redraw();
}

void ClientState::frame(float scale, bool redraw) {
  if (frames_wanted_ > 0 && !redraw) --frames_wanted_;
  if (scale != scale_) {
    scale_ = scale;
    ImGuiStyle fresh;
    if (dark_) ImGui::StyleColorsDark(&fresh);
    else ImGui::StyleColorsLight(&fresh);
    fresh.FrameRounding = fresh.GrabRounding = fresh.WindowRounding = 4;
    fresh.FramePadding = ImVec2(8, 5);
    fresh.ItemSpacing = ImVec2(10, 8);
    fresh.CellPadding = ImVec2(8, 4);
    fresh.ScaleAllSizes(scale);
    ImGui::GetStyle() = fresh;
  }
  ui_.set_scale(scale);
  ui_.set_utc_offset(platform_.utc_offset_minutes());
  hook_.begin_frame();
  if (!redraw) {
    if (engine_) engine_->tick();
    check_form_result();
  }
  if (!pending_location_.empty() && cache_ && at_place()) {
    follow_location(pending_location_);
    pending_location_.clear();
  }

  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##main", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (screen_ == Screen::login) {
    bool switch_lang = false;
    auto intent = login_.draw(ui_, login_busy_, switch_lang);
    if (switch_lang) set_language(ui_.lang() == Lang::zh ? Lang::en : Lang::zh);
    if (intent) submit_login(*intent);
    if (!notice_.empty()) ui_.text_colored("notice", notice_, kRed);
  } else {
    draw_top_bar();
    const float status_h = ImGui::GetFrameHeightWithSpacing() + ui_.px(6);
    ImGui::BeginChild("##content", ImVec2(0, -status_h));
    switch (screen_) {
      case Screen::opening:
        ui_.text("opening", ui_.tr("正在打开本地数据…", "Opening local data…"));
        break;
      case Screen::syncing:
        draw_syncing();
        break;
      case Screen::other_tab:
        draw_other_tab();
        break;
      case Screen::dashboard:
      case Screen::stats:
      case Screen::list:
      case Screen::detail:
      case Screen::form:
      case Screen::users:
      case Screen::audit:
      case Screen::settings:
      case Screen::teams:
      case Screen::kiosks:
      case Screen::backups:
      case Screen::account:
        if (!cache_) break;
        draw_side_bar();
        ImGui::SameLine();
        ImGui::BeginChild("##page");
        draw_place();
        ImGui::EndChild();
        break;
      case Screen::login:
        break;
    }
    ImGui::EndChild();
    draw_status_bar();
  }
  ImGui::End();
  if (logout_dialog_) draw_logout_dialog();
  draw_failed_edits();
  if (cache_ && at_place() && search_.is_open()) {
    if (auto pick = search_.draw(ui_, *cache_, menu_)) go(Place{Screen::detail, pick->module, pick->id});
  }

  hook_.set_screen(screen_name());
  hook_.set_status(ui_.lang() == Lang::zh ? "zh-CN" : "en", engine_ ? engine_->online() : platform_.online(),
                   outbox_ ? outbox_->pending_count() : 0);
}

void ClientState::draw_place() {
  // Reminders come due wherever the user is.
  dashboard_.refresh(ui_, *cache_, user_.value("id", int64_t{0}), user_.value("role", std::string()), platform_.now_ms());
  auto reminded = dashboard_.draw_reminders(ui_, *cache_, platform_.now_ms());
  if (reminded.remembered) platform_.persist_cache();
  if (reminded.open) go(Place{Screen::detail, reminded.open->module, reminded.open->id});
  if (screen_ == Screen::dashboard) {
    refresh_menu();
    if (auto intent = dashboard_.draw(ui_, menu_)) {
      go(intent->id != 0 ? Place{Screen::detail, intent->module, intent->id} : Place{Screen::list, intent->module, 0});
    }
    if (!search_.is_open() && ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_K)) search_.open();
    return;
  }
  if (screen_ == Screen::stats) return draw_stats();
  if (screen_ == Screen::users) return draw_users();
  if (screen_ == Screen::settings) return draw_settings();
  if (screen_ == Screen::teams) return draw_teams();
  if (screen_ == Screen::kiosks) return draw_kiosks();
  if (screen_ == Screen::backups) return draw_backups();
  if (screen_ == Screen::account) return draw_account();
  if (screen_ == Screen::audit) {
    const bool online = engine_ && engine_->online();
    if (online && audit_.list().wants()) fetch(audit_.list(), audit_.path());
    return audit_.draw(ui_, *cache_, online);
  }
  const EntityDef& module = *place_.module;
  // Keyboard: Ctrl+K searches everything, Ctrl+S saves a form, Esc leaves it (or a record's page). Read
  // before the widgets, so an Esc that ends typing in a field does not also leave the form.
  const bool keys_free = !search_.is_open() && !logout_dialog_ && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (keys_free && ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_K)) search_.open();
  const bool escape = keys_free && !ImGui::IsAnyItemActive() && ImGui::IsKeyPressed(ImGuiKey_Escape, false);
  const bool save = keys_free && screen_ == Screen::form && waiting_seq_ == 0 && ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_S);
  if (escape && (screen_ == Screen::detail || screen_ == Screen::form)) return back();
  if (save) {
    if (auto intent = form_.submit(ui_)) save_form(*intent);
  }
  switch (screen_) {
    case Screen::list:
      draw_list(module);
      break;
    case Screen::detail: {
      DetailRights rights{user_.value("role", std::string()), may(module, Action::update), may(module, Action::remove),
                          [this](const EntityDef& e) { return may(e, Action::create); },
                          outbox_->has_pending_action(module, place_.id), nullptr,
                          may(module, Action::update) && role_may_assign(user_.value("role", std::string()))};
      std::optional<DetailIntent> note;
      if (&module == &tickets_def()) {
        const bool online = engine_ && engine_->online();
        ServerList& log = progress_.log_of(place_.id);
        if (online && log.wants()) fetch(log, "/api/v1/tickets/" + std::to_string(place_.id) + "/notes");
        rights.extra = [&] {
          if (auto text = progress_.draw(ui_, *cache_, online, may(module, Action::update)))
            note = DetailIntent{DetailIntent::act, &module, place_.id, json{{"text", *text}}, "notes"};
        };
      }
      if (&module == &campaigns_def()) {
        const bool online = engine_ && engine_->online();
        ServerList& members = members_.members_of(place_.id);
        if (online && members.wants()) fetch(members, "/api/v1/campaigns/" + std::to_string(place_.id) + "/members");
        rights.extra = [&] {
          if (auto change = members_.draw(ui_, *cache_, online, may(module, Action::update))) send_member_change(*change);
        };
      }
      auto intent = detail_.draw(ui_, *cache_, module, place_.id, rights);
      if (note) {
        if (record_action(*note)) progress_.note_queued(note->preset.value("text", ""));
        break;
      }
      if (!intent) break;
      if (intent->kind == DetailIntent::back) {
        back();
      } else if (intent->kind == DetailIntent::remove || intent->kind == DetailIntent::act) {
        record_action(*intent);
      } else if (intent->kind == DetailIntent::assign) {
        // A new owner is an edit like any other: through the outbox, against the rev on screen.
        auto current = cache_->record(module, place_.id);
        if (current.ok() && current->has_value()) {
          auto queued = outbox_->update(module, place_.id, intent->preset, (**current).value("rev", int64_t{0}), now_text(),
                                        user_.value("id", int64_t{0}));
          queued_in_outbox(queued.ok() ? ok_status() : Status(queued.take_error()));
        }
      } else if (intent->kind == DetailIntent::merge) {
        merge_customers(intent->preset);
      } else if (intent->kind == DetailIntent::open) {
        go(Place{Screen::detail, intent->entity, intent->id});
      } else if (intent->kind == DetailIntent::create) {
        form_.open_new(ui_, *cache_, *intent->entity, intent->preset);
        go(Place{Screen::form, intent->entity, 0});
      } else if (auto r = cache_->record(module, place_.id); r.ok() && r->has_value()) {
        form_.open_edit(ui_, *cache_, module, **r);
        go(Place{Screen::form, &module, place_.id});
      }
      break;
    }
    case Screen::form:
      if (auto intent = form_.draw(ui_, *cache_, waiting_seq_ != 0)) {
        if (intent->kind == FormIntent::cancel) {
          back();
        } else if (intent->kind == FormIntent::open_existing) {
          go(Place{Screen::detail, &module, intent->id}, History::replace);
        } else if (intent->kind == FormIntent::fill_existing) {
          if (auto other = cache_->record(module, intent->id); other.ok() && other->has_value()) {
            form_.open_edit_filled(ui_, *cache_, module, **other, intent->values);
            go(Place{Screen::form, &module, intent->id}, History::replace);
          }
        } else {
          save_form(*intent);
        }
      }
      break;
    default:
      break;
  }
}

void ClientState::draw_list(const EntityDef& module) {
  if (&module == &opportunities_def()) {  // the table or the stage board
    if (ui_.button("opportunities.view.table", ui_.tr("表格", "Table"))) board_view_ = false;
    ImGui::SameLine();
    if (ui_.button("opportunities.view.board", ui_.tr("看板", "Board"))) board_view_ = true;
    if (board_view_) {
      ImGui::SameLine();
      if (may(module, Action::create) && ui_.button("opportunities.new", ui_.tr("+ 新建商机", "+ New opportunity"))) {
        form_.open_new(ui_, *cache_, module);
        return go(Place{Screen::form, &module, 0});
      }
      auto intent = board_.draw(ui_, *cache_, may(module, Action::update));
      if (!intent) return;
      if (intent->kind == BoardIntent::open) return go(Place{Screen::detail, &module, intent->id});
      // A drag to another stage is an edit like any other: through the outbox.
      auto queued = outbox_->update(module, intent->id, intent->change, intent->rev, now_text(), user_.value("id", int64_t{0}));
      queued_in_outbox(queued.ok() ? ok_status() : Status(queued.take_error()));
      return;
    }
  }
  if (&module == &activities_def()) {  // the list or the month/week calendar
    if (ui_.button("activities.view.table", ui_.tr("列表", "List"))) calendar_view_ = false;
    ImGui::SameLine();
    if (ui_.button("activities.view.calendar", ui_.tr("日历", "Calendar"))) calendar_view_ = true;
    if (calendar_view_) {
      ImGui::SameLine(0, ui_.px(24));
      auto intent = calendar_.draw(ui_, *cache_, platform_.now_ms(), may(module, Action::create));
      if (!intent) return;
      if (intent->kind == CalendarIntent::open) return go(Place{Screen::detail, &module, intent->id});
      form_.open_new(ui_, *cache_, module, intent->preset);
      return go(Place{Screen::form, &module, 0});
    }
  }
  if (&module == &contacts_def()) {  // the list or the phone book
    if (ui_.button("contacts.view.table", ui_.tr("列表", "List"))) phone_book_view_ = false;
    ImGui::SameLine();
    if (ui_.button("contacts.view.phonebook", ui_.tr("电话本", "Phone book"))) phone_book_view_ = true;
    if (phone_book_view_) {
      ImGui::SameLine(0, ui_.px(24));
      if (auto open = phone_book_.draw(ui_, *cache_)) go(Place{Screen::detail, &module, *open});
      return;
    }
  }
  RecordListScreen& list = list_of(module);
  const bool online = engine_ && engine_->online();
  if (online && views_.wants()) fetch(views_, "/api/v1/views?limit=500");
  if (auto intent = list.draw(ui_, *cache_, may(module, Action::create), may(module, Action::update), online)) {
    if (intent->kind == ListIntent::view) {
      send_view_change(module, intent->change);
    } else if (intent->kind == ListIntent::create) {
      form_.open_new(ui_, *cache_, module);
      go(Place{Screen::form, &module, 0});
    } else if (intent->kind == ListIntent::edit) {
      if (auto r = cache_->record(module, intent->id); r.ok() && r->has_value()) {
        form_.open_edit(ui_, *cache_, module, **r);
        go(Place{Screen::form, &module, intent->id});
      }
    } else {
      go(Place{Screen::detail, &module, intent->id});
    }
  }
}

void ClientState::draw_top_bar() {
  ui_.text("app.title", ui_.tr("客户管理", "Kehu CRM"));
  if (cache_ && at_place()) {
    ImGui::SameLine(0, ui_.px(24));
    if (ui_.button("app.search", ui_.tr("搜索全部 (Ctrl+K)", "Search all (Ctrl+K)"))) search_.open();
  }
  ImGui::SameLine(0, ui_.px(24));
  const std::string who = user_.value("display_name", user_.value("username", ""));
  const std::string lang = ui_.lang() == Lang::zh ? "English" : "中文";
  const std::string out = ui_.tr("退出登录", "Sign out");
  ui_.note(who);
  const std::string help = ui_.tr("帮助", "Help");
  float right = ImGui::CalcTextSize(who.c_str()).x + ImGui::CalcTextSize(lang.c_str()).x + ImGui::CalcTextSize(out.c_str()).x +
                ImGui::CalcTextSize(ui_.tr("深色", "Light").c_str()).x + ImGui::CalcTextSize(help.c_str()).x + ui_.px(160);
  ImGui::SameLine(ImGui::GetContentRegionMax().x - right);
  // The user's name opens 我的账号 (password, signed-in devices), where people look for it, whatever the role.
  {
    const bool here = screen_ == Screen::account;
    if (here) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ui_.button("app.user", who) && cache_ && at_place() && !here) {
      back_stack_.clear();
      account_.sessions().mark_stale();  // opened anew: read it again
      go(Place{Screen::account, nullptr, 0});
    }
    const std::string tip = ui_.tr("我的账号：修改密码、登录设备", "My account: password, signed-in devices");
    ui_.note(tip);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip.c_str());
    if (here) ImGui::PopStyleColor();
  }
  ImGui::SameLine();
  if (ui_.button("app.theme", dark_ ? ui_.tr("浅色", "Light") : ui_.tr("深色", "Dark"))) {
    dark_ = !dark_;
    platform_.save_setting("theme", dark_ ? "dark" : "light");
    scale_ = 0;  // the style is made again next frame
    redraw();
  }
  ImGui::SameLine();
  // The user manual (docs/manual, served beside the client) in the interface's language.
  if (ui_.button("app.help", help)) platform_.open_page(ui_.lang() == Lang::zh ? "manual/zh-CN.html" : "manual/en.html");
  ImGui::SameLine();
  if (ui_.button("app.lang", lang)) set_language(ui_.lang() == Lang::zh ? Lang::en : Lang::zh);
  ImGui::SameLine();
  if (ui_.button("status.logout", out)) {
    logout_dialog_ = true;
    confirm_discard_ = false;
  }
  ImGui::Separator();
}

namespace {

// 1234567 -> "1,234,567": counts of rows a user reads at a glance.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string megabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

void ClientState::draw_syncing() {
  const SyncProgress& p = engine_ ? engine_->progress() : SyncProgress{};
  ui_.text("sync.title", ui_.tr("首次同步：正在把数据下载到本机，之后可离线使用", "First sync: downloading your data to this device for offline use"));
  float fraction = 0;
  std::string overlay;
  if (p.phase == SyncProgress::Phase::image_download) {
    fraction = p.bytes_total > 0 ? static_cast<float>(p.bytes) / static_cast<float>(p.bytes_total) : 0.0f;
    overlay = ui_.tr("下载数据文件 ", "Downloading the data file ") + megabytes(p.bytes) +
              (p.bytes_total > 0 ? " / " + megabytes(p.bytes_total) : std::string());
  } else if (p.phase == SyncProgress::Phase::image_load) {
    fraction = 1;
    overlay = ui_.tr("正在写入本机…", "Saving to this device…");
  } else {
    fraction = p.total > 0 ? static_cast<float>(p.applied) / static_cast<float>(p.total) : 0.0f;
    overlay = grouped(p.applied) + " / " + (p.total >= 0 ? grouped(p.total) : "?") + ui_.tr(" 条", " rows");
  }
  if (fraction > 1) fraction = 1;
  overlay += " (" + std::to_string(static_cast<int>(fraction * 100)) + "%)";
  ui_.progress("sync.progress", fraction, overlay);
  if (engine_ && !engine_->online())
    ui_.text_colored("sync.offline", ui_.tr("离线：联网后继续同步", "Offline: the sync continues when you are back online"), kRed);
  if (engine_ && !engine_->last_error().empty()) ui_.text_colored("sync.error", engine_->last_error(), kRed);
  if (engine_ && !engine_->pulling() && engine_->last_sync_ms() > 0) {
    screen_ = place_.screen;
    mark_lists_stale();
  }
}

}  // namespace kehu::client
