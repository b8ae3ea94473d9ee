// client_state.h — the client's state machine: who is signed in, which screen shows, and the cache,
// outbox and sync engine of the signed-in user. ClientApp (client_app.h) forwards the host's calls here.
//
// Screens: login → opening (the user's cache loads) → syncing (first sync, with progress) → a module's
// list ⇄ a record ⇄ its form, for every module in the side bar (module_menu.h). Where the user has been is
// a stack of places, so "back" returns to the list, or to the customer a contact was opened from. The
// test hook names the screen "{module}", "{module}.detail" or "{module}.form". The last signed-in user is remembered (not the token: the browser's session
// cookie is HttpOnly), so a reload — online or offline — opens that user's cache at once and confirms the
// session in the background; a 401 returns to the login screen and keeps the cache and outbox for the same
// user's next sign-in (SPEC §6).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/users/role_rights.h"
#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/screens/account_screen.h"
#include "web/screens/activity_calendar.h"
#include "web/screens/audit_screen.h"
#include "web/screens/campaign_members_panel.h"
#include "web/screens/dashboard_screen.h"
#include "web/screens/global_search.h"
#include "web/screens/backups_admin_screen.h"
#include "web/screens/kiosk_admin_screen.h"
#include "web/screens/login_screen.h"
#include "web/screens/failed_edits_panel.h"
#include "web/screens/phone_book_screen.h"
#include "web/screens/pipeline_board.h"
#include "web/screens/record_detail_screen.h"
#include "web/screens/record_form_screen.h"
#include "web/screens/record_list_screen.h"
#include "web/screens/settings_admin_screen.h"
#include "web/screens/stats_screen.h"
#include "web/screens/teams_admin_screen.h"
#include "web/screens/ticket_progress_log.h"
#include "web/screens/users_admin_screen.h"
#include "web/sync/outbox.h"
#include "web/sync/sync_engine.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class ClientState {
 public:
  ClientState(Platform& platform, FontAtlas& fonts, TestHook& hook);
  ~ClientState();

  void start();
  void frame(float scale, bool redraw);
  bool wants_frame() const;
  void on_online_changed(bool online);
  void on_location_changed(const std::string& path);
  // Another tab asked for this user's cache: this tab lets go of it and waits to have it back.
  void on_cache_claimed();
  bool sign_in(const std::string& username, const std::string& password) {
    if (screen_ != Screen::login || login_busy_) return false;
    submit_login(LoginIntent{username, password});
    return true;
  }
  // For measuring the outbox's replay in the page (bench/browser/client_bench.mjs, through window.kehuTest
  // with ?test=1): queues an edit of the notes of each of the first `count` customers in the cache, the way
  // the form's save queues one. Returns how many were queued (0 when no cache is open).
  int queue_notes_edits(int count, const std::string& notes);

 private:
  enum class Screen { login, opening, other_tab, syncing, dashboard, stats, list, detail, form, users, teams, kiosks, backups, audit, settings, account };
  // Where the user is: a screen, the module it shows (none for the dashboard) and, for a record's
  // screens, the record.
  struct Place {
    Screen screen = Screen::list;
    const EntityDef* module = nullptr;
    int64_t id = 0;
  };

  void open_session(const nlohmann::json& user, bool verify);
  // The user's cache, opened (or not) by the platform: attached with its outbox and sync engine.
  void cache_opened(const std::string& name, Result<std::unique_ptr<Database>> db, bool verify);
  void wire_engine();
  // One tab at a time owns a user's cache (client_other_tab.cpp): the other shows that, opens the cache
  // by itself once the owner closes, and asks the owner to hand it over (`ask`, or on "use it here").
  void wait_for_other_tab(bool verify, bool ask);
  void draw_other_tab();
  void close_session(bool delete_cache);
  void submit_login(const LoginIntent& intent);
  void verify_session();
  void signed_out();
  void save_form(const FormIntent& intent);
  void check_form_result();
  // The customer the form's record duplicates, when the cache holds it.
  DuplicateInCache duplicate_in_cache();
  // After a change went into the outbox: saved to the device, screens refreshed, sent when online.
  // On failure the reason shows in the status bar; returns whether it was queued.
  bool queued_in_outbox(const Status& queued);
  // Deletes a record or queues an action on it (a transition, a claim) from its page.
  // Returns whether it was queued.
  bool record_action(const DetailIntent& intent);
  // 用户管理 (admins): the list read from the server, a change sent at once.
  void draw_users();
  // 系统设置 (admins): option lists, custom fields and menus, read from the server and saved at once.
  void draw_settings();
  // 部门管理 (admins): teams and who is in them, read from the server, changes sent at once.
  void draw_teams();
  // 展示大屏 (admins): kiosk display links issued, listed and revoked (kiosk_admin_screen.h).
  void draw_kiosks();
  // 数据备份与恢复 (admins): the server's backups, backing up, downloading, uploading and restoring
  // (backups_admin_screen.h).
  void draw_backups();
  // Sends the upload's piece at `offset` of the chosen file, then the next, until it is over.
  void send_upload_piece(int64_t offset);
  // 我的账号 (every user): the password and the signed-in devices, read from and sent to the server
  // (account_screen.h).
  void draw_account();
  // 统计分析: the statistics of the user's role, read from the server (stats_screen.h).
  void draw_stats();
  // POST /customers/merge {keep_id, merge_id} from a customer's page; online only.
  void merge_customers(const nlohmann::json& body);
  // Sends a change of the open campaign's members; the answer reaches its panel.
  void send_member_change(const MemberChange& change);
  // Sends a request that does not go through the outbox (client_requests.cpp). `on_answer` runs, and a
  // frame is drawn, only while this client and this user's session last; a null body sends none.
  void send_now(std::string method, std::string path, const nlohmann::json& body,
                std::function<void(const HttpResponse&)> on_answer);
  // Asks the server for a list the sync does not bring (server_list.h) at `path`.
  void fetch(ServerList& list, const std::string& path);
  // Saves or deletes one of the user's saved views from `module`'s list.
  void send_view_change(const EntityDef& module, const ViewChange& change);
  // After a save: the saved record's page.
  void show_saved(const Place& saved);
  void set_language(Lang lang);
  std::string accept_language() const { return ui_.lang() == Lang::zh ? "zh-CN" : "en"; }
  std::string now_text() const;
  void redraw(int frames = 2) { frames_wanted_ = std::max(frames_wanted_, frames); }
  std::string screen_name() const;
  // What showing a place does to the browser's history: a new entry, the current one rewritten, or
  // nothing (the history moved there itself).
  enum class History { push, replace, none };
  // Shows `place`. A push also keeps the current place for back().
  void go(Place place, History history = History::push);
  void back();
  // The place as an address path ("/customers/123", "/contracts/new", "/orders/7/edit") and back again
  // (nullopt for a path naming no module the user reads).
  static std::string path_of(const Place& place);
  std::optional<Place> place_at(const std::string& path) const;
  // Shows the place at `path` (preparing its form), or the first module when it names none.
  void follow_location(const std::string& path);
  RecordListScreen& list_of(const EntityDef& module);
  bool may(const EntityDef& module, Action action) const;
  bool at_place() const { return kept_in_history() || screen_ == Screen::form; }
  // A place "back" returns to (a form is not: back from a form's next page skips it).
  bool kept_in_history() const {
    return screen_ == Screen::dashboard || screen_ == Screen::stats || screen_ == Screen::list || screen_ == Screen::detail || screen_ == Screen::users ||
           screen_ == Screen::teams || screen_ == Screen::kiosks || screen_ == Screen::backups || screen_ == Screen::audit || screen_ == Screen::settings ||
           screen_ == Screen::account;
  }
  void mark_lists_stale();
  void refresh_menu();

  void draw_top_bar();
  void draw_side_bar();
  void draw_place();
  void draw_list(const EntityDef& module);
  void draw_status_bar();
  void draw_logout_dialog();
  // The edits the server refused (client_failed_edits.cpp): the panel opens by itself when a conflict
  // needs the user, and carries out what they chose.
  void check_new_conflicts();
  void draw_failed_edits();
  Status fix_failed_edit(int64_t seq);
  void draw_syncing();

  Platform& platform_;
  TestHook& hook_;
  Ui ui_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  Screen screen_ = Screen::login;
  Place place_;                    // the screen shown once signed in and synced
  std::vector<Place> back_stack_;
  std::string pending_location_;   // an address to show once the cache is open (a reload, a link, back)
  bool entering_ = false;          // the first address of a session: the browser has no earlier entry of ours
  bool asked_other_tab_ = false;   // other_tab: this tab asked the owner to hand the cache over
  nlohmann::json user_;  // the signed-in user (id, username, display_name, role), null when none
  std::string cache_name_;
  std::unique_ptr<LocalCache> cache_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<SyncEngine> engine_;

  LoginScreen login_;
  std::map<std::string, std::unique_ptr<RecordListScreen>> lists_;  // by module, made when first shown
  ServerList views_;               // the user's saved views of every list (saved_views.h)
  int session_ = 0;  // counts the users signed in here: lists_ is made anew for each
  std::vector<const EntityDef*> menu_;  // the side bar's modules (module_menu.h)
  bool menu_stale_ = true;
  GlobalSearch search_;
  DashboardScreen dashboard_;
  StatsScreen stats_;
  PipelineBoard board_;
  bool board_view_ = false;        // opportunities shown as the stage board rather than the table
  ActivityCalendar calendar_;
  TicketProgressLog progress_;     // the open ticket's progress log (read from the server)
  CampaignMembersPanel members_;   // the open campaign's members (read from the server)
  UsersAdminScreen users_;
  AuditScreen audit_;
  SettingsAdminScreen settings_;
  TeamsAdminScreen teams_;
  KioskAdminScreen kiosks_;
  BackupsAdminScreen backups_;
  AccountScreen account_;
  bool calendar_view_ = false;     // activities shown on the calendar rather than the list
  PhoneBookScreen phone_book_;
  FailedEditsPanel failed_panel_;
  int conflicts_seen_ = 0;         // conflicts waiting for the user at the last look: more opens the panel
  int64_t fixing_seq_ = 0;         // the refused edit the open form corrects: replaced when the correction is queued
  bool phone_book_view_ = false;   // contacts shown as the phone book rather than the list
  bool dark_ = false;              // the dark theme (saved per device)
  RecordDetailScreen detail_;
  RecordFormScreen form_;
  int64_t waiting_seq_ = 0;      // the outbox entry of the form being saved (0: none)
  Place waiting_place_;          // where to go once it is accepted: the saved record
  bool login_busy_ = false;
  bool logout_dialog_ = false;
  bool confirm_discard_ = false;
  std::string notice_;           // a message for the status bar (e.g. the cache could not open)
  int frames_wanted_ = 2;
  float scale_ = 0;
};

}  // namespace kehu::client
