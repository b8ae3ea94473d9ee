// client_places.cpp — where the user is (client_state.h): the places, their addresses in the browser's
// history and back, and the side bar that moves between them.
#include <imgui.h>

#include <algorithm>

#include "web/client_state.h"
#include "web/screens/module_menu.h"

namespace kehu::client {

std::string ClientState::screen_name() const {
  switch (screen_) {
    case Screen::login: return "login";
    case Screen::opening: return "opening";
    case Screen::other_tab: return "other_tab";
    case Screen::syncing: return "syncing";
    case Screen::dashboard: return "dashboard";
    case Screen::stats: return "stats";
    case Screen::list: return place_.module ? place_.module->name : "";
    case Screen::detail: return place_.module ? place_.module->name + ".detail" : "";
    case Screen::form: return form_.entity() ? form_.entity()->name + ".form" : "";
    case Screen::users: return "admin.users";
    case Screen::audit: return "admin.audit";
    case Screen::settings: return "admin.settings";
    case Screen::teams: return "admin.teams";
    case Screen::kiosks: return "admin.kiosks";
    case Screen::backups: return "admin.backups";
    case Screen::account: return "account";
  }
  return "";
}

void ClientState::go(Place place, History history) {
  fixing_seq_ = 0;  // a form correcting a refused edit was left: the edit stays as it was
  // Leaving while a save is on its way: the edit stays queued (a refusal shows as a failed entry) and
  // its answer no longer moves the user.
  waiting_seq_ = 0;
  detail_.leave();
  if (screen_ == Screen::kiosks && place.screen != Screen::kiosks) kiosks_.forget_link();  // shown once: gone when left
  if (screen_ == Screen::account && place.screen != Screen::account) account_.leave();  // typed passwords are forgotten
  if (history == History::push && kept_in_history())
    back_stack_.push_back(place_);
  if (back_stack_.size() > 50) back_stack_.erase(back_stack_.begin());
  place_ = place;
  screen_ = place.screen;
  if (history != History::none) platform_.set_location(path_of(place), history == History::replace);
  redraw();
}

std::string ClientState::path_of(const Place& place) {
  if (place.screen == Screen::users) return "/admin/users";
  if (place.screen == Screen::audit) return "/admin/audit";
  if (place.screen == Screen::settings) return "/admin/settings";
  if (place.screen == Screen::teams) return "/admin/teams";
  if (place.screen == Screen::kiosks) return "/admin/kiosks";
  if (place.screen == Screen::backups) return "/admin/backups";
  if (place.screen == Screen::stats) return "/stats";
  if (place.screen == Screen::account) return "/account";
  if (place.screen == Screen::dashboard || !place.module) return "/dashboard";
  const std::string base = "/" + (place.module ? place.module->name : std::string("customers"));
  switch (place.screen) {
    case Screen::detail: return base + "/" + std::to_string(place.id);
    case Screen::form: return place.id == 0 ? base + "/new" : base + "/" + std::to_string(place.id) + "/edit";
    default: return base;
  }
}

std::optional<ClientState::Place> ClientState::place_at(const std::string& path) const {
  std::vector<std::string> parts;
  for (size_t start = 0; start <= path.size();) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.size() == 1 && parts[0] == "dashboard") return Place{Screen::dashboard, nullptr, 0};
  if (parts.size() == 1 && parts[0] == "account") return Place{Screen::account, nullptr, 0};  // every role
  if (parts.size() == 1 && parts[0] == "stats" && !StatsScreen::areas(user_.value("role", std::string())).empty())
    return Place{Screen::stats, nullptr, 0};
  if (parts.size() == 2 && parts[0] == "admin" && user_.value("role", std::string()) == "admin") {
    if (parts[1] == "users") return Place{Screen::users, nullptr, 0};
    if (parts[1] == "audit") return Place{Screen::audit, nullptr, 0};
    if (parts[1] == "settings") return Place{Screen::settings, nullptr, 0};
    if (parts[1] == "teams") return Place{Screen::teams, nullptr, 0};
    if (parts[1] == "kiosks") return Place{Screen::kiosks, nullptr, 0};
    if (parts[1] == "backups") return Place{Screen::backups, nullptr, 0};
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  const EntityDef* module = find_entity(parts[0]);
  if (!module || std::find(menu_.begin(), menu_.end(), module) == menu_.end()) return std::nullopt;
  if (parts.size() == 1) return Place{Screen::list, module, 0};
  if (parts[1] == "new") return parts.size() == 2 ? std::optional<Place>(Place{Screen::form, module, 0}) : std::nullopt;
  int64_t id = 0;
  bool digits = parts[1].size() <= 15;
  size_t at = parts[1][0] == '-' ? 1 : 0;  // a record created here and not yet sent has a negative id
  digits = digits && at < parts[1].size();
  for (size_t i = at; digits && i < parts[1].size(); ++i) digits = parts[1][i] >= '0' && parts[1][i] <= '9';
  if (!digits) return std::nullopt;
  id = std::stoll(parts[1]);
  if (id == 0) return std::nullopt;
  if (parts.size() == 2) return Place{Screen::detail, module, id};
  if (parts[2] == "edit") return Place{Screen::form, module, id};
  return std::nullopt;
}

void ClientState::follow_location(const std::string& path) {
  refresh_menu();
  auto place = place_at(path);
  History history = History::none;  // the address already says where the user is
  if (!place) {
    place = Place{Screen::dashboard, nullptr, 0};
    history = History::replace;
  }
  if (place->screen == Screen::form) {
    if (place->id == 0) {
      if (!may(*place->module, Action::create)) return go(Place{Screen::list, place->module, 0}, History::replace);
      form_.open_new(ui_, *cache_, *place->module);
    } else if (auto r = cache_->record(*place->module, place->id); r.ok() && r->has_value() && may(*place->module, Action::update)) {
      form_.open_edit(ui_, *cache_, *place->module, **r);
    } else {
      return go(Place{Screen::detail, place->module, place->id}, History::replace);
    }
  }
  // Back in the browser lands on the place the in-app stack remembers last: keep the two together. The
  // session's first address has nothing of ours before it: back from there goes up, not out of the app.
  if (entering_) {
    entering_ = false;
    back_stack_.clear();
  } else if (!back_stack_.empty() && back_stack_.back().screen == place->screen && back_stack_.back().module == place->module &&
      back_stack_.back().id == place->id)
    back_stack_.pop_back();
  else if (history == History::none && kept_in_history())
    back_stack_.push_back(place_);
  go(*place, History::none);
  if (history == History::replace) platform_.set_location(path_of(*place), true);
}

void ClientState::on_location_changed(const std::string& path) {
  pending_location_ = path.empty() ? "/" : path;  // followed by the next frame that has the cache open
  redraw();
}

void ClientState::back() {
  if (back_stack_.empty()) {  // up to the list (or the dashboard): a new place
    return go(place_.module ? Place{Screen::list, place_.module, 0} : Place{Screen::dashboard, nullptr, 0});
  }
  // In the browser, back is the browser's: its history then matches what forward expects, and the
  // place it lands on arrives through on_location_changed. Elsewhere the stack is the history.
  if (platform_.go_back()) return;
  Place previous = back_stack_.back();
  back_stack_.pop_back();
  go(previous, History::replace);
}

void ClientState::refresh_menu() {
  if (!menu_stale_ || !cache_) return;  // the admin's menus arrive with the synced settings
  menu_stale_ = false;
  menu_ = menu_modules(user_.value("role", std::string()), cache_->settings());
}

void ClientState::draw_side_bar() {
  refresh_menu();
  ImGui::BeginChild("##side", ImVec2(ui_.px(150), 0), true);
  const float w = ImGui::GetContentRegionAvail().x;
  {
    const bool home = screen_ == Screen::dashboard;
    if (home) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ui_.button("nav.dashboard", ui_.tr("工作台", "Dashboard"), w) && !home) {
      back_stack_.clear();
      go(Place{Screen::dashboard, nullptr, 0});
    }
    if (home) ImGui::PopStyleColor();
  }
  if (!StatsScreen::areas(user_.value("role", std::string())).empty()) {  // 统计分析
    const bool here = screen_ == Screen::stats;
    if (here) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ui_.button("nav.stats", ui_.tr("统计分析", "Statistics"), w) && !here) {
      back_stack_.clear();
      stats_.mark_stale();  // opened anew: the figures are read again
      go(Place{Screen::stats, nullptr, 0});
    }
    if (here) ImGui::PopStyleColor();
  }
  for (const EntityDef* m : menu_) {
    const bool current = place_.module == m && screen_ != Screen::dashboard;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ui_.button("nav." + m->name, ui_.tr(module_title(*m)), w) && (!current || screen_ != Screen::list)) {
      back_stack_.clear();
      go(Place{Screen::list, m, 0});
    }
    if (current) ImGui::PopStyleColor();
  }
  if (user_.value("role", std::string()) == "admin") {  // 系统管理
    ImGui::Spacing();
    ImGui::Separator();
    struct AdminPlace {
      const char* id;
      Text label;
      Screen screen;
      ServerList& list;
    };
    for (const AdminPlace& a : {AdminPlace{"nav.admin.users", {"用户管理", "Users"}, Screen::users, users_.list()},
                                AdminPlace{"nav.admin.teams", {"部门管理", "Teams"}, Screen::teams, teams_.teams()},
                                AdminPlace{"nav.admin.kiosks", {"展示大屏", "Kiosk displays"}, Screen::kiosks, kiosks_.list()},
                                AdminPlace{"nav.admin.backups", {"数据备份与恢复", "Backup & restore"}, Screen::backups, backups_.list()},
                                AdminPlace{"nav.admin.settings", {"系统设置", "Settings"}, Screen::settings, settings_.document()},
                                AdminPlace{"nav.admin.audit", {"审计日志", "Audit log"}, Screen::audit, audit_.list()}}) {
      const bool current = screen_ == a.screen;
      if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ui_.button(a.id, ui_.tr(a.label), w) && !current) {
        back_stack_.clear();
        a.list.mark_stale();  // opened anew: read it again
        go(Place{a.screen, nullptr, 0});
      }
      if (current) ImGui::PopStyleColor();
    }
  }
  ImGui::EndChild();
}

}  // namespace kehu::client
