#include "web/screens/activity_calendar.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "core/clock.h"
#include "web/cache/calendar_entries.h"
#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
// Monday 0 ... Sunday 6 (day 0, 1970-01-01, was a Thursday).
int weekday(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }
int64_t local_day(int64_t utc_ms, int offset_minutes) { return floor_div(utc_ms + int64_t{offset_minutes} * 60'000, kDayMs); }
int64_t day_start_ms(int64_t day, int offset_minutes) { return day * kDayMs - int64_t{offset_minutes} * 60'000; }

const Text kWeekdays[7] = {{"一", "Mon"}, {"二", "Tue"}, {"三", "Wed"}, {"四", "Thu"}, {"五", "Fri"}, {"六", "Sat"}, {"日", "Sun"}};
const char* const kMonths[12] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};

std::string type_label(const Ui& ui, const std::string& type) {
  const FieldDef* f = activities_def().field("type");
  if (f)
    for (size_t i = 0; i < f->values.size() && i < f->value_labels.size(); ++i)
      if (f->values[i] == type) return ui.tr(f->value_labels[i]);
  return type;
}

}  // namespace

std::pair<int64_t, int64_t> ActivityCalendar::shown_days() const {
  if (mode_ == Mode::week) {
    const int64_t monday = anchor_ - weekday(anchor_);
    return {monday, monday + 6};
  }
  const CivilDate a = civil_of_day(anchor_);
  const int64_t first = day_of_civil(a.year, a.month, 1);
  const int64_t start = first - weekday(first);
  return {start, start + 41};  // six weeks: every month fits, and the grid never changes height
}

void ActivityCalendar::requery(Ui& ui, LocalCache& cache, int64_t first_day, int64_t last_day) {
  stale_ = false;
  read_days_ = {first_day, last_day};
  read_offset_ = ui.utc_offset();
  by_day_.clear();
  truncated_ = false;
  auto entries = read_calendar_entries(cache.db(), format_rfc3339_ms(day_start_ms(first_day, read_offset_)),
                                       format_rfc3339_ms(day_start_ms(last_day + 1, read_offset_)), kMaxEntries + 1);
  if (!entries.ok()) {
    error_ = ui.tr(entries.error().message);
    return;
  }
  error_.clear();
  truncated_ = static_cast<int64_t>(entries->size()) > kMaxEntries;
  int64_t n = 0;
  for (auto& e : *entries) {
    if (n++ == kMaxEntries) break;
    const int64_t at = parse_rfc3339_ms(e.value("at", ""));
    if (at < 0) continue;
    by_day_[local_day(at, read_offset_)].push_back(std::move(e));
  }
}

void ActivityCalendar::draw_header(Ui& ui, int64_t today) {
  const bool month = mode_ == Mode::month;
  if (ui.button("calendar.prev", "<")) {
    if (month) {
      const CivilDate a = civil_of_day(anchor_);
      anchor_ = a.month == 1 ? day_of_civil(a.year - 1, 12, 1) : day_of_civil(a.year, a.month - 1, 1);
    } else {
      anchor_ -= 7;
    }
  }
  ImGui::SameLine();
  if (ui.button("calendar.today", ui.tr("今天", "Today"))) anchor_ = today;
  ImGui::SameLine();
  if (ui.button("calendar.next", ">")) {
    if (month) {
      const CivilDate a = civil_of_day(anchor_);
      anchor_ = a.month == 12 ? day_of_civil(a.year + 1, 1, 1) : day_of_civil(a.year, a.month + 1, 1);
    } else {
      anchor_ += 7;
    }
  }
  ImGui::SameLine(0, ui.px(16));
  std::string title;
  if (month) {
    const CivilDate a = civil_of_day(anchor_);
    title = ui.tr(std::to_string(a.year) + "年" + std::to_string(a.month) + "月", std::string(kMonths[a.month - 1]) + " " + std::to_string(a.year));
  } else {
    const auto [first, last] = shown_days();
    title = date_of_day(first) + " – " + date_of_day(last);
  }
  ui.text("calendar.title", title);
  ImGui::SameLine(0, ui.px(16));
  if (ui.button("calendar.month", ui.tr("月", "Month"))) mode_ = Mode::month;
  ImGui::SameLine();
  if (ui.button("calendar.week", ui.tr("周", "Week"))) mode_ = Mode::week;
}

bool ActivityCalendar::draw_entry(Ui& ui, const json& entry, int64_t now_ms, bool with_type) {
  const int64_t id = entry.value("id", int64_t{0});
  const std::string at = entry.value("at", "");
  const bool done = entry.value("done", int64_t{0}) != 0;
  // Overdue: something due (a task, a call to make) whose time has passed, not a past meeting.
  const bool overdue = !done && entry["due_at"].is_string() && parse_rfc3339_ms(entry["due_at"].get<std::string>()) < now_ms;
  std::string line = local_time_text(ui, at).substr(11) + " ";
  if (with_type) line += type_label(ui, entry.value("type", "")) + " · ";
  line += entry["subject"].is_string() ? entry["subject"].get<std::string>() : std::string();
  ui.note(line);
  if (done) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  else if (overdue) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(210, 60, 60, 255));
  ImGui::PushID(static_cast<int>(id));
  const bool clicked = ImGui::Selectable(line.c_str());
  ImGui::PopID();
  if (done || overdue) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", line.c_str());
  ui.record("calendar.item." + std::to_string(id), line, "row");
  return clicked;
}

std::optional<CalendarIntent> ActivityCalendar::draw(Ui& ui, LocalCache& cache, int64_t now_ms, bool may_create) {
  const int64_t today = local_day(now_ms, ui.utc_offset());
  if (anchor_ == INT64_MIN) anchor_ = today;
  draw_header(ui, today);
  const auto days = shown_days();
  if (stale_ || days != read_days_ || read_offset_ != ui.utc_offset()) requery(ui, cache, days.first, days.second);
  if (!error_.empty()) ui.text_colored("calendar.error", error_, IM_COL32(210, 60, 60, 255));
  if (truncated_)
    ui.text_colored("calendar.truncated",
                    ui.tr("活动过多，只显示前 " + std::to_string(kMaxEntries) + " 项", "Too many activities: the first " +
                                                                                           std::to_string(kMaxEntries) + " are shown"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  return mode_ == Mode::month ? draw_month(ui, today, now_ms, may_create) : draw_week(ui, today, now_ms, may_create);
}

namespace {

// A new activity on `day` starts at 09:00 local time.
CalendarIntent new_on(int64_t day, int offset_minutes) {
  CalendarIntent intent;
  intent.kind = CalendarIntent::create;
  intent.preset = {{"start_at", format_rfc3339_ms(day_start_ms(day, offset_minutes) + 9 * 3'600'000)}};
  return intent;
}

// The "+" that starts a new activity on `day`, at the right edge of the cell.
bool new_button(Ui& ui, int64_t day) {
  // SameLine(x) would count x from the column's start; SetCursorPosX counts from the window's, as
  // GetContentRegionMax does.
  ImGui::SameLine();
  ImGui::SetCursorPosX(std::max(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("+").x - ImGui::GetStyle().FramePadding.x * 2,
                                ImGui::GetCursorPosX()));
  const bool clicked = ImGui::SmallButton("+");
  ui.record("calendar.new." + date_of_day(day), "+", "button");
  return clicked;
}

}  // namespace

std::optional<CalendarIntent> ActivityCalendar::draw_month(Ui& ui, int64_t today, int64_t now_ms, bool may_create) {
  std::optional<CalendarIntent> intent;
  const auto [first, last] = shown_days();
  const int shown_month = static_cast<int>(civil_of_day(anchor_).month);
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  const float header_h = ImGui::GetFrameHeightWithSpacing();
  const float cell_h = std::max(line_h * 3, std::floor((ImGui::GetContentRegionAvail().y - header_h) / 6) - ui.px(2));
  // Lines a cell has for activities, below the day's number.
  const int lines = std::max(1, static_cast<int>((cell_h - line_h - ui.px(4)) / line_h));
  if (!ImGui::BeginTable("calendar.grid", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) return intent;
  for (const auto& w : kWeekdays) {
    const std::string label = ui.tr(w);
    ui.note(label);
    ImGui::TableSetupColumn(label.c_str());
  }
  ImGui::TableHeadersRow();
  for (int64_t day = first; day <= last; ++day) {
    if (weekday(day) == 0) ImGui::TableNextRow(ImGuiTableRowFlags_None, cell_h);
    ImGui::TableSetColumnIndex(weekday(day));
    ImGui::PushID(static_cast<int>(day));
    const CivilDate c = civil_of_day(day);
    const std::string date = date_of_day(day);
    if (day == today) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(ImGuiCol_FrameBg));
    const bool other_month = static_cast<int>(c.month) != shown_month;
    if (other_month) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    const std::string number = std::to_string(c.day);
    if (ImGui::Selectable(number.c_str(), false, 0, ImVec2(ImGui::CalcTextSize(number.c_str()).x + ui.px(6), 0))) {
      anchor_ = day;
      mode_ = Mode::week;
    }
    if (other_month) ImGui::PopStyleColor();
    ui.record("calendar.day." + date, number, "button");
    if (may_create && new_button(ui, day)) intent = new_on(day, ui.utc_offset());
    auto it = by_day_.find(day);
    if (it != by_day_.end()) {
      const auto& entries = it->second;
      // Every activity when they fit; else one line fewer and "+N more" on the last.
      const size_t fit = entries.size() <= static_cast<size_t>(lines) ? entries.size() : static_cast<size_t>(lines - 1);
      for (size_t i = 0; i < fit; ++i)
        if (draw_entry(ui, entries[i], now_ms, false)) intent = CalendarIntent{CalendarIntent::open, entries[i].value("id", int64_t{0}), {}};
      if (fit < entries.size()) {
        const std::string more = ui.tr("还有 " + std::to_string(entries.size() - fit) + " 项", "+" + std::to_string(entries.size() - fit) + " more");
        ui.note(more);
        if (ImGui::Selectable(more.c_str())) {
          anchor_ = day;
          mode_ = Mode::week;
        }
        ui.record("calendar.more." + date, more, "button");
      }
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  return intent;
}

std::optional<CalendarIntent> ActivityCalendar::draw_week(Ui& ui, int64_t today, int64_t now_ms, bool may_create) {
  std::optional<CalendarIntent> intent;
  const auto [first, last] = shown_days();
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_ScrollY;
  if (!ImGui::BeginTable("calendar.week.grid", 7, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return intent;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (int64_t day = first; day <= last; ++day) {
    const CivilDate c = civil_of_day(day);
    const std::string label = ui.tr("周" + ui.tr(kWeekdays[weekday(day)]), ui.tr(kWeekdays[weekday(day)])) + " " +
                              std::to_string(c.month) + "/" + std::to_string(c.day);
    ui.note(label);
    ImGui::TableSetupColumn(label.c_str());
  }
  ImGui::TableHeadersRow();
  ImGui::TableNextRow();
  for (int64_t day = first; day <= last; ++day) {
    ImGui::TableSetColumnIndex(weekday(day));
    ImGui::PushID(static_cast<int>(day));
    if (day == today) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(ImGuiCol_FrameBg));
    auto it = by_day_.find(day);
    const size_t count = it == by_day_.end() ? 0 : it->second.size();
    const std::string label = ui.tr(std::to_string(count) + " 项", std::to_string(count) + (count == 1 ? " activity" : " activities"));
    ui.text("calendar.count." + date_of_day(day), label);
    if (may_create && new_button(ui, day)) intent = new_on(day, ui.utc_offset());
    if (it != by_day_.end()) {
      // A busy day holds thousands of lines: only those inside the scrolled view are drawn, the rest
      // keep their place as blank space (ImGuiListClipper would end the table's row).
      const auto& entries = it->second;
      const float line_h = ImGui::GetTextLineHeightWithSpacing();
      const float top = ImGui::GetCursorPosY(), top_screen = ImGui::GetCursorScreenPos().y;
      const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin(), clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
      const auto at_line = [&](float y) { return static_cast<size_t>(std::clamp((y - top_screen) / line_h, 0.0f, static_cast<float>(entries.size()))); };
      const size_t begin = at_line(clip_min.y), end = std::min(entries.size(), at_line(clip_max.y) + 1);
      if (begin < end) {
        ImGui::SetCursorPosY(top + static_cast<float>(begin) * line_h);
        for (size_t i = begin; i < end; ++i)
          if (draw_entry(ui, entries[i], now_ms, true)) intent = CalendarIntent{CalendarIntent::open, entries[i].value("id", int64_t{0}), {}};
      }
      if (end < entries.size() || begin == end) {  // the rest's height, ended by an item as ImGui wants
        ImGui::SetCursorPosY(top + static_cast<float>(entries.size()) * line_h - ImGui::GetStyle().ItemSpacing.y);
        ImGui::Dummy(ImVec2(1, 0));
      }
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  return intent;
}

}  // namespace kehu::client
