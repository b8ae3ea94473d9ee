#include "web/kiosk_display.h"

#include <algorithm>

#include <imgui.h>

#include "core/stats/dashboards.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

KioskDisplay::KioskDisplay(Platform& platform, FontAtlas& fonts, TestHook& hook, std::string token)
    : platform_(platform), fonts_(fonts), hook_(hook), ui_(fonts, hook), token_(std::move(token)) {}

KioskDisplay::~KioskDisplay() {
  *alive_ = false;
  if (listener_) platform_.stop_events(listener_);
}

void KioskDisplay::start() {
  // A display speaks the language of its browser's last choice, Chinese by default.
  ui_.set_lang(platform_.load_setting("lang") == "en" ? Lang::en : Lang::zh);
  // &rotate=SECONDS (5 to 3600) sets how long each dashboard shows.
  const std::string rotate = platform_.page_parameter("rotate");
  if (!rotate.empty() && rotate.size() < 6 && rotate.find_first_not_of("0123456789") == std::string::npos)
    rotate_seconds_ = std::clamp(std::stod(rotate), 5.0, 3600.0);
  platform_.set_kiosk_token(token_);
  ask_issue();
}

void KioskDisplay::send(const std::string& path, std::function<void(const HttpResponse&)> done) {
  HttpRequest request;
  request.path = path;
  request.headers = {{"Accept-Language", ui_.lang() == Lang::zh ? "zh-CN" : "en"}, {"Authorization", "Bearer " + token_}};
  ++in_flight_;
  auto alive = alive_;
  platform_.send(std::move(request), [this, alive, done = std::move(done)](HttpResponse answer) {
    if (!*alive) return;
    --in_flight_;
    frames_wanted_ = std::max(frames_wanted_, 2);
    if (answer.status == 401) return refused();
    if (answer.status == 0 || answer.status >= 500) return unreachable();
    done(answer);
  });
}

void KioskDisplay::ask_issue() {
  next_read_ = platform_.monotonic_seconds() + kRetrySeconds;  // asked again if this gets no answer
  send("/api/v1/kiosk", [this](const HttpResponse& answer) {
    json issue = json::parse(answer.body, nullptr, false);
    if (answer.status != 200 || !issue.is_object()) return unreachable();
    revoked_ = false;
    issue_ = issue;
    data_.settings = issue_;  // its option_lists label stages and statuses
    dashboards_.clear();
    for (const auto& d : issue_.value("dashboards", json::array()))
      if (d.is_string() && find_dashboard(d.get<std::string>())) dashboards_.push_back(d.get<std::string>());
    if (showing_ >= dashboards_.size()) showing_ = 0;
    listen();
    read_figures();
  });
}

void KioskDisplay::read_figures() {
  next_read_ = platform_.monotonic_seconds() + kPollSeconds;
  stats_moved_ = false;
  std::set<std::string> asked;
  for (const auto& d : dashboards_)
    for (const auto& path : dashboard_requests(d))
      if (asked.insert(path).second) send(path, [this, path](const HttpResponse& answer) { answered(path, answer); });
}

void KioskDisplay::answered(const std::string& path, const HttpResponse& answer) {
  json figures = json::parse(answer.body, nullptr, false);
  if (answer.status == 200 && figures.is_object()) {
    data_.answers[path] = std::move(figures);
    reconnecting_ = false;
  } else if (answer.status == 404) {
    // No longer issued this dashboard (the admin issued a new token meanwhile): what it was issued is read again.
    data_.answers.erase(path);
    next_read_ = 0;
    issue_ = nullptr;
  }
}

void KioskDisplay::refused() {
  revoked_ = true;
  reconnecting_ = false;
  issue_ = nullptr;
  dashboards_.clear();
  data_.answers.clear();
  if (listener_) platform_.stop_events(listener_), listener_ = 0;
  events_open_ = false;
  next_read_ = platform_.monotonic_seconds() + kPollSeconds;
}

void KioskDisplay::unreachable() {
  reconnecting_ = true;
  next_read_ = std::min(next_read_, platform_.monotonic_seconds() + kRetrySeconds);
}

void KioskDisplay::listen() {
  if (listener_) return;
  auto alive = alive_;
  listener_ = platform_.listen_events(
      [this, alive](const std::string& event) {
        if (!*alive) return;
        if (event == "stats" || event == "ready") {
          // Read now, or as soon as the answers out come back (a burst of events is one read).
          if (in_flight_ == 0) read_figures();
          else stats_moved_ = true;
        }
        frames_wanted_ = std::max(frames_wanted_, 2);
      },
      [this, alive](bool open) {
        if (!*alive) return;
        // A stream that broke says the server stopped, restarted or refused the token: ask at once, so
        // the mark shows (or the figures stop) within moments rather than at the next poll.
        if (events_open_ && !open) next_read_ = 0;
        events_open_ = open;
        frames_wanted_ = std::max(frames_wanted_, 2);
      });
}

void KioskDisplay::on_online_changed(bool online) {
  if (online) next_read_ = 0;  // at once
  frames_wanted_ = std::max(frames_wanted_, 2);
}

bool KioskDisplay::wants_frame() const {
  const double now = platform_.monotonic_seconds();
  if (frames_wanted_ > 0 || now >= next_read_) return true;
  return dashboards_.size() > 1 && now - shown_at_ >= rotate_seconds_;
}

float KioskDisplay::zoom(float scale) const {
  // Large type on a big screen: a 1080-line TV draws twice the size of a laptop's 540 CSS lines.
  const float css_height = ImGui::GetIO().DisplaySize.y / std::max(scale, 0.5f);
  return std::clamp(css_height / 540.0f, 1.0f, 3.0f);
}

std::string KioskDisplay::screen_name() const {
  if (revoked_) return "kiosk.revoked";
  if (dashboards_.empty()) return "kiosk.loading";
  return "kiosk." + dashboards_[showing_];
}

void KioskDisplay::draw_message(const std::string& id, const std::string& text) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ui_.note(text);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImGui::SetCursorPos(ImVec2(std::max(0.0f, (avail.x - size.x) / 2), std::max(0.0f, (avail.y - size.y) / 2)));
  ui_.text(id, text);
}

void KioskDisplay::draw_header() {
  const std::string company = issue_.is_object() ? issue_.value("company", json::object()).value("name", "") : "";
  const Dashboard* d = find_dashboard(dashboards_[showing_]);
  std::string title = d ? ui_.tr(d->title) : dashboards_[showing_];
  if (!company.empty()) title = company + " · " + title;
  ui_.text("kiosk.title", title);
  // Which dashboard of how many, and the mark while the server does not answer.
  std::string right = std::to_string(showing_ + 1) + " / " + std::to_string(dashboards_.size());
  ImGui::SameLine();
  const float right_w = ImGui::CalcTextSize(right.c_str()).x;
  const float mark_w = reconnecting_ ? ImGui::CalcTextSize(ui_.tr("正在重新连接…", "Reconnecting…").c_str()).x + ui_.px(16) : 0;
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetContentRegionMax().x - right_w - mark_w));
  if (reconnecting_) {
    ui_.text_colored("kiosk.reconnecting", ui_.tr("正在重新连接…", "Reconnecting…"), kRed);
    ImGui::SameLine(0, ui_.px(16));
  }
  ui_.text("kiosk.page." + std::to_string(showing_ + 1), right);
  ImGui::Separator();
}

void KioskDisplay::frame(float scale) {
  if (frames_wanted_ > 0) --frames_wanted_;
  const double now = platform_.monotonic_seconds();
  const float z = zoom(scale);
  fonts_.set_zoom(z);
  if (scale * z != scale_) {
    scale_ = scale * z;
    ImGuiStyle fresh;
    ImGui::StyleColorsLight(&fresh);
    fresh.WindowRounding = 0;
    fresh.FramePadding = ImVec2(8, 5);
    fresh.ItemSpacing = ImVec2(10, 8);
    fresh.ScaleAllSizes(scale_);
    ImGui::GetStyle() = fresh;
    frames_wanted_ = std::max(frames_wanted_, 2);
  }
  ui_.set_scale(scale_);
  ui_.set_utc_offset(platform_.utc_offset_minutes());
  hook_.begin_frame();

  if (now >= next_read_ && in_flight_ == 0) {
    if (issue_.is_null() || revoked_) ask_issue();
    else read_figures();
  } else if (stats_moved_ && in_flight_ == 0) {
    read_figures();
  }
  if (dashboards_.size() > 1 && now - shown_at_ >= rotate_seconds_) {
    if (shown_at_ > 0) showing_ = (showing_ + 1) % dashboards_.size();
    shown_at_ = now;
  } else if (shown_at_ == 0) {
    shown_at_ = now;
  }

  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##kiosk", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (revoked_) {
    draw_message("kiosk.revoked", ui_.tr("此大屏链接已失效，请联系系统管理员重新发放。",
                                         "This display link no longer works; ask an administrator for a new one."));
  } else if (dashboards_.empty()) {
    draw_message("kiosk.loading", reconnecting_ ? ui_.tr("正在连接服务器…", "Connecting to the server…")
                                                : ui_.tr("正在载入看板…", "Loading dashboards…"));
  } else {
    draw_header();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    draw_dashboard(ui_, dashboards_[showing_], data_, ImVec2(avail.x, avail.y - ui_.px(4)));
  }
  ImGui::End();
  hook_.set_screen(screen_name());
  hook_.set_status(ui_.lang() == Lang::zh ? "zh-CN" : "en", !reconnecting_, 0);
}

}  // namespace kehu::client
