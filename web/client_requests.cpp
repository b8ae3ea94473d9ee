// client_requests.cpp — ClientState's requests that do not go through the outbox (client_state.h): the
// lists the sync does not bring (users, teams, settings, the audit log, a ticket's progress log, a
// campaign's members, saved views) and the changes to them, sent at once and only when online. Records
// themselves always go through the outbox (client_state.cpp, forms).
#include <utility>

#include <algorithm>

#include "core/text/percent_encode.h"
#include "web/client_state.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

void ClientState::send_now(std::string method, std::string path, const json& body, std::function<void(const HttpResponse&)> on_answer) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  if (!body.is_null()) request.body = body.dump();
  request.headers = {{"Accept-Language", accept_language()}};
  auto alive = alive_;
  platform_.send(std::move(request), [this, alive, session = session_, on_answer = std::move(on_answer)](HttpResponse answer) {
    // Dropped when the client is gone or another user signed in since: it was meant for their screens.
    if (!*alive || session != session_) return;
    on_answer(answer);
    redraw();
  });
}

void ClientState::fetch(ServerList& list, const std::string& path) {
  // `list` is a member of this state or of a screen of this session: send_now's checks keep the
  // reference good.
  const int generation = list.asking();
  send_now("GET", path, nullptr, [this, &list, generation](const HttpResponse& answer) { list.answered(generation, ui_, answer); });
}

void ClientState::draw_stats() {
  const bool online = engine_ && engine_->online();
  auto intent = stats_.draw(ui_, *cache_, user_.value("role", std::string()), cache_->settings(), online);
  for (const auto& path : stats_.take_wanted())
    send_now("GET", path, nullptr, [this, path](const HttpResponse& answer) { stats_.answered(ui_, path, answer); });
  if (stats_.take_scrolled()) redraw();
  if (!intent) return;
  switch (intent->kind) {
    case StatsIntent::open:
      go(Place{Screen::detail, intent->entity, intent->id});
      break;
    case StatsIntent::log_activity:  // a new activity for the customer, as from its page
      form_.open_new(ui_, *cache_, activities_def(), {{"customer_id", intent->id}});
      go(Place{Screen::form, &activities_def(), 0});
      break;
    case StatsIntent::assign:  // the customer's page, where its owner is chosen
      go(Place{Screen::detail, &customers_def(), intent->id});
      break;
  }
}

void ClientState::draw_users() {
  const bool online = engine_ && engine_->online();
  if (online && users_.list().wants()) fetch(users_.list(), "/api/v1/users?limit=500");
  auto intent = users_.draw(ui_, online, user_.value("id", int64_t{0}));
  if (!intent) return;
  // Accounts are not in the cache, and an approval made offline would only surprise later.
  send_now("PATCH", "/api/v1/users/" + std::to_string(intent->id), intent->change,
           [this](const HttpResponse& answer) { users_.changed(ui_, answer); });
}

void ClientState::draw_settings() {
  const bool online = engine_ && engine_->online();
  if (online && settings_.document().wants()) fetch(settings_.document(), "/api/v1/admin/settings");
  auto body = settings_.draw(ui_, online);
  if (!body) return;
  send_now("PUT", "/api/v1/admin/settings", *body, [this](const HttpResponse& answer) {
    settings_.saved(ui_, answer);
    // The public part comes back through the sync: this client's forms and menus change with everyone's.
    if (answer.status == 200 && engine_) engine_->request_pull();
  });
}

void ClientState::draw_teams() {
  const bool online = engine_ && engine_->online();
  if (online && teams_.teams().wants()) fetch(teams_.teams(), "/api/v1/teams?limit=500&sort=name");
  if (online && teams_.users().wants()) fetch(teams_.users(), "/api/v1/users?limit=500");
  auto intent = teams_.draw(ui_, online);
  if (!intent) return;
  send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) { teams_.changed(ui_, answer); });
}

void ClientState::draw_kiosks() {
  const bool online = engine_ && engine_->online();
  if (online && kiosks_.list().wants()) fetch(kiosks_.list(), "/api/v1/admin/kiosk-tokens");
  auto intent = kiosks_.draw(ui_, online, platform_.page_origin(), [this](const std::string& text) { platform_.set_clipboard(text); });
  if (!intent) return;
  send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) { kiosks_.changed(ui_, answer); });
}

void ClientState::draw_account() {
  const bool online = engine_ && engine_->online();
  if (online && account_.sessions().wants()) fetch(account_.sessions(), "/api/v1/auth/sessions");
  auto intent = account_.draw(ui_, online);
  if (!intent) return;
  // Never through the outbox: a password or a session is the server's alone, and a change made
  // offline would surprise later.
  if (intent->kind == AccountIntent::password)
    send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) { account_.password_changed(ui_, answer); });
  else
    send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) { account_.session_ended(ui_, answer); });
}

void ClientState::draw_backups() {
  const bool online = engine_ && engine_->online();
  if (online && backups_.poll_due(platform_.now_ms())) backups_.list().mark_stale();
  if (online && backups_.list().wants()) {
    backups_.polled(platform_.now_ms());
    fetch(backups_.list(), "/api/v1/admin/backups");
  }
  if (online && backups_.schedule_settings().wants()) fetch(backups_.schedule_settings(), "/api/v1/admin/settings");
  if (auto name = backups_.take_uploaded())  // the file is in: what restoring it would replace
    send_now("GET", "/api/v1/admin/backups/" + *name, nullptr,
             [this, name = *name](const HttpResponse& answer) { backups_.previewed(ui_, name, answer); });
  auto intent = backups_.draw(ui_, online, platform_.can_choose_files());
  if (!intent) return;
  switch (intent->kind) {
    case BackupsIntent::send:
      send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) {
        backups_.changed(ui_, answer);
        if (answer.status == 200 && engine_) engine_->request_pull();  // a restore: the sync starts over
      });
      break;
    case BackupsIntent::schedule:
      send_now(intent->method, intent->path, intent->body, [this](const HttpResponse& answer) { backups_.schedule_saved(ui_, answer); });
      break;
    case BackupsIntent::preview:
      send_now("GET", intent->path, nullptr,
               [this, name = intent->file_name](const HttpResponse& answer) { backups_.previewed(ui_, name, answer); });
      break;
    case BackupsIntent::download:
      platform_.download(intent->path, intent->file_name);
      break;
    case BackupsIntent::upload:
      platform_.choose_file(".db,.enc,.sqlite,.sqlite3", [this, alive = alive_, session = session_](Platform::ChosenFile file) {
        if (!*alive || session != session_) return;
        backups_.upload_started(file);
        send_upload_piece(0);
        redraw();
      });
      break;
  }
}

void ClientState::send_upload_piece(int64_t offset) {
  const auto& file = backups_.uploading();
  if (!file) return;
  constexpr int64_t kPiece = 1 << 20;  // the server's body limit
  const int64_t length = std::min(kPiece, file->size - offset);
  platform_.read_chosen_file(file->id, offset, length, [this, alive = alive_, session = session_, offset, file = *file](Result<std::string> bytes) {
    if (!*alive || session != session_) return;
    if (!bytes.ok()) {
      backups_.upload_failed(ui_.tr(bytes.error().message));
      redraw();
      return;
    }
    HttpRequest request;
    request.method = "POST";
    request.path = "/api/v1/admin/backups/upload?offset=" + std::to_string(offset) + "&size=" + std::to_string(file.size) +
                   "&file=" + percent_encode(file.name);
    request.body = std::move(*bytes);
    request.headers = {{"Accept-Language", accept_language()}, {"Content-Type", "application/octet-stream"}};
    platform_.send(std::move(request), [this, alive, session](HttpResponse answer) {
      if (!*alive || session != session_) return;
      if (auto next = backups_.upload_answered(ui_, answer)) send_upload_piece(*next);
      redraw();
    });
  });
}

void ClientState::merge_customers(const json& body) {
  // A merge moves records the cache may not all hold (other people's), so only the server can do it;
  // what moved comes back with the next pull.
  if (!engine_ || !engine_->online()) {
    notice_ = ui_.tr("合并客户需要联网", "Merging customers needs the network");
    return;
  }
  notice_.clear();
  send_now("POST", "/api/v1/customers/merge", body, [this](const HttpResponse& answer) {
    if (answer.status == 200) {
      if (engine_) engine_->request_pull();
    } else {
      notice_ = ui_.tr("合并未完成：", "Not merged: ") + server_reasons(ui_, answer);
    }
  });
}

void ClientState::send_member_change(const MemberChange& change) {
  const int64_t campaign = members_.campaign();
  std::string path = "/api/v1/campaigns/" + std::to_string(campaign) + "/members";
  if (!change.query.empty()) path += "?" + change.query;
  send_now(change.method, std::move(path), change.body, [this, campaign](const HttpResponse& answer) {
    if (members_.campaign() == campaign) members_.changed(ui_, answer);  // still that campaign's page
  });
}

void ClientState::send_view_change(const EntityDef& module, const ViewChange& change) {
  const bool save = change.kind == ViewChange::save;
  send_now(save ? "POST" : "DELETE", save ? "/api/v1/views" : "/api/v1/views/" + std::to_string(change.id),
           save ? change.body : json(), [this, name = module.name](const HttpResponse& answer) {
             if (auto it = lists_.find(name); it != lists_.end()) it->second->views().answered(ui_, answer);
           });
}

}  // namespace kehu::client
