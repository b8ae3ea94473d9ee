#include "web/screens/record_list_screen.h"

#include <algorithm>
#include <chrono>

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID: a view applied over a search being edited

#include "core/settings/field_options.h"
#include "web/screens/module_menu.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

namespace {

constexpr size_t kMaxColumns = 9;  // beyond this a row stops reading at a glance
constexpr size_t kMaxFilters = 4;

// A field worth a column: a short value people scan (not notes, custom fields or order lines).
bool is_column_field(const FieldDef& f) {
  if (f.type == FieldType::object || f.type == FieldType::item_list || f.type == FieldType::string_list) return false;
  if (f.type == FieldType::text && f.max_len > 500) return false;
  return f.filterable || f.sortable || f.format == TextFormat::phone || f.format == TextFormat::money;
}

}  // namespace

RecordListScreen::RecordListScreen(const EntityDef& entity, ServerList& views) : entity_(entity), views_(entity.name, views) {
  const FieldDef* title = title_field(entity);
  if (entity.field("code")) columns_.push_back("code");
  if (title) columns_.push_back(title->name);
  for (const auto& f : entity.fields) {
    if (columns_.size() + 1 >= kMaxColumns) break;
    if (f.name == "code" || &f == title || !is_column_field(f)) continue;
    columns_.push_back(f.name);
  }
  columns_.push_back("created_at");
  for (const auto& f : entity.fields) {
    if (f.searchable) searchable_ = true;
    if (f.type == FieldType::enumerated && f.filterable && filters_.size() < kMaxFilters) filters_.push_back(&f);
    filter_value_[f.name].clear();
  }
  sorts_ = {{"-id", {"最新录入在前", "Newest first"}}, {"id", {"最早录入在前", "Oldest first"}}};
  for (const char* name : {"code", "name", "title", "subject"}) {
    const FieldDef* f = entity.field(name);
    if (f && f->sortable) sorts_.push_back({f->name, {"按" + f->label.zh, "By " + f->label.en}});
  }
  for (const FieldDef* f : filters_) sorts_.push_back({f->name, {"按" + f->label.zh, "By " + f->label.en}});
  sorts_.push_back({"-updated_at", {"最近修改在前", "Recently changed"}});
}

std::multimap<std::string, std::string> RecordListScreen::params() const {
  std::multimap<std::string, std::string> p;
  if (!search_.empty()) p.emplace("q", search_);
  for (const FieldDef* f : filters_) {
    const std::string& value = filter_value_.at(f->name);
    if (!value.empty()) p.emplace(f->name, value);
  }
  p.emplace("sort", sorts_[static_cast<size_t>(sort_)].param);
  return p;
}

bool RecordListScreen::order_is_fixed() const {
  if (!search_.empty()) return false;
  for (const auto& [field, value] : filter_value_)
    if (!value.empty()) return false;
  const std::string& sort = sorts_[static_cast<size_t>(sort_)].param;
  return sort == "id" || sort == "-id";
}

void RecordListScreen::refresh(Ui& ui, LocalCache& cache) {
  stale_ = false;
  RecordChanges changes = cache.journal().changes_since(entity_, journal_mark_);
  if (!changes.complete || changes.added_or_removed || !order_is_fixed()) return requery(ui, cache);
  journal_mark_ = cache.journal().mark();
  if (changes.names_changed) rows_.clear();  // an owner's name or an option's label may read differently
  for (int64_t id : changes.changed) rows_.erase(id);
}

void RecordListScreen::requery(Ui& ui, LocalCache& cache) {
  query_due_ = stale_ = false;
  journal_mark_ = cache.journal().mark();
  rows_.clear();
  auto start = std::chrono::steady_clock::now();
  auto ids = cache.find_ids(entity_, params());
  last_query_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!ids.ok()) {
    ids_.clear();
    error_ = ui.tr(ids.error().message);
    return;
  }
  error_.clear();
  ids_ = std::move(*ids);
}

json RecordListScreen::view_state() const {
  json filters = json::object();
  if (!search_.empty()) filters["q"] = search_;
  for (const FieldDef* f : filters_)
    if (const std::string& v = filter_value_.at(f->name); !v.empty()) filters[f->name] = v;
  return {{"filters", filters}, {"sort", sorts_[static_cast<size_t>(sort_)].param}};
}

void RecordListScreen::apply_view(const json& state) {
  const json filters = state.value("filters", json::object());
  const json q = filters.value("q", json());
  search_ = q.is_string() ? q.get<std::string>() : std::string();
  // A search field still being edited would write its own text back over the view's next frame (an
  // active ImGui input keeps its buffer): the view's search wins, so nothing stays active.
  ImGui::ClearActiveID();
  for (const FieldDef* f : filters_) {
    const json v = filters.value(f->name, json());
    filter_value_[f->name] = v.is_string() ? v.get<std::string>() : std::string();
  }
  sort_ = 0;
  for (size_t i = 0; i < sorts_.size(); ++i)
    if (state.value("sort", json()) == sorts_[i].param) sort_ = static_cast<int>(i);
  query_due_ = true;
}

std::optional<ListIntent> RecordListScreen::draw(Ui& ui, LocalCache& cache, bool may_create, bool may_update, bool online) {
  std::optional<ListIntent> intent;
  const std::string& name = entity_.name;

  // Toolbar: the title, search and "new" on one row; the filters and the sort on the next.
  ui.text(name + ".title", ui.tr(module_title(entity_)));
  if (searchable_) {
    ImGui::SameLine(0, ui.px(16));
    if (ui.input(name + ".search", "", search_, ui.tr("搜索" + entity_.label.zh + "…", "Search " + entity_.label.en + "s…"), false,
                 ui.px(320)))
      query_due_ = true;
  }
  if (may_create) {
    ImGui::SameLine();
    if (ui.button(name + ".new", ui.tr("+ 新建" + entity_.label.zh, "+ New " + entity_.label.en))) intent = ListIntent{ListIntent::create, 0, {}};
  }
  ui.same_line_if_fits(ui.px(280), ui.px(24));  // the views' chooser and its button
  auto views = views_.draw(ui, online, view_state());
  if (views.apply) apply_view(*views.apply);
  if (views.change) intent = ListIntent{ListIntent::view, 0, std::move(*views.change)};
  const float combo_w = ui.px(150);
  for (const FieldDef* f : filters_) {
    if (f != filters_.front()) ui.same_line_if_fits(combo_w);
    // The settings' choices, retired ones too: old records keep them.
    const auto options = field_options(cache.settings(), entity_, *f);
    std::vector<std::string> labels;
    int index = -1;
    for (const auto& o : options) {
      if (o.value == filter_value_[f->name]) index = static_cast<int>(labels.size());
      labels.push_back(ui.tr(o.label));
    }
    if (ui.combo(name + ".filter." + f->name, "", index, labels, ui.tr("全部" + f->label.zh, "Any " + f->label.en), combo_w)) {
      filter_value_[f->name] = index >= 0 ? options[static_cast<size_t>(index)].value : "";
      query_due_ = true;
    }
  }
  if (!filters_.empty()) ui.same_line_if_fits(combo_w);
  std::vector<std::string> sort_labels;
  for (const auto& s : sorts_) sort_labels.push_back(ui.tr(s.label));
  int sort = sort_;
  if (ui.combo(name + ".sort", "", sort, sort_labels, sort_labels[0], combo_w) && sort >= 0) {
    sort_ = sort;
    query_due_ = true;
  }
  ui.same_line_if_fits(ui.px(110), ui.px(16));  // the count
  if (query_due_) requery(ui, cache);
  else if (stale_) refresh(ui, cache);
  if (!error_.empty()) ui.text_colored(name + ".error", error_, kRed);
  ui.text(name + ".count", ui.tr("共 " + std::to_string(ids_.size()) + " 条",
                                 std::to_string(ids_.size()) + (ids_.size() == 1 ? " record" : " records")));

  // The table: only the visible rows are read and drawn.
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  const int ncols = static_cast<int>(columns_.size());
  const FieldDef* title = title_field(entity_);
  if (ImGui::BeginTable((name + ".table").c_str(), ncols, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const auto& c : columns_) {
      const FieldDef* f = entity_.field(c);
      std::string label = f ? ui.label(f->label) : ui.tr("录入时间", "Created");
      ui.note(label);
      ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthStretch, f == title ? 3.0f : 1.0f);
    }
    ImGui::TableHeadersRow();
    auto cell_text = [&](int64_t id, const json& r, int c) {
      const std::string& column = columns_[static_cast<size_t>(c)];
      std::string v = column == "code" && id < 0 ? ui.tr("待同步", "pending") : field_text(ui, cache, entity_, column, r);
      if (v.empty() && c == 0) v = "—";
      return v;
    };
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(ids_.size()));
    while (clipper.Step()) {
      load_rows_around(ui, cache, clipper.DisplayStart, clipper.DisplayEnd, cell_text);
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        int64_t id = ids_[static_cast<size_t>(i)];
        auto it = rows_.find(id);
        if (it == rows_.end()) continue;
        const json& r = it->second;
        ImGui::TableNextRow();
        for (int c = 0; c < ncols; ++c) {
          ImGui::TableSetColumnIndex(c);
          const std::string v = cell_text(id, r, c);
          ui.note(v);  // noted when read; again here, as a language or a settings change alters the text
          if (c == 0) {
            // The first cell spans the row: a click anywhere on it opens the record; a right click (a
            // long press on a touch screen) offers what else can be done with it.
            ImGui::PushID(static_cast<int>(id));
            if (ImGui::Selectable(v.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
              intent = ListIntent{ListIntent::open, id, {}};
            ui.record(name + ".row." + std::to_string(id), record_title(entity_, r), "row");
            if (ImGui::BeginPopupContextItem("row_menu")) {
              if (auto chosen = draw_row_menu(ui, r, may_update)) intent = chosen;
              ImGui::EndPopup();
            }
            ImGui::PopID();
          } else {
            ImGui::TextUnformatted(v.c_str());
          }
        }
      }
    }
    ImGui::EndTable();
  }
  return intent;
}

void RecordListScreen::load_rows_around(Ui& ui, LocalCache& cache, int first, int end,
                                        const std::function<std::string(int64_t, const json&, int)>& cell_text) {
  // Rows are read ahead of the scroll, two screens each way, once the shown ones come within half a screen
  // of the edge of what is loaded. Their text is noted for the font atlas as they are read: a character
  // new to the atlas costs a rebuild of all of it (15–20 ms), so one rebuild per batch of rows instead of
  // one per scroll step keeps scrolling frames short.
  const int size = static_cast<int>(ids_.size());
  const int span = std::max(1, end - first);
  auto loaded = [&](int i) { return rows_.count(ids_[static_cast<size_t>(std::clamp(i, 0, size - 1))]) > 0; };
  bool due = false;
  for (int i = first; i < end && !due; ++i) due = !loaded(i);
  if (!due && !loaded(first - span / 2)) due = true;
  if (!due && !loaded(end - 1 + span / 2)) due = true;
  if (!due) return;
  if (rows_.size() > 2000) rows_.clear();  // keep memory flat while scrolling far
  std::vector<int64_t> wanted;
  for (int i = std::max(0, first - 2 * span); i < std::min(size, end + 2 * span); ++i)
    if (!rows_.count(ids_[static_cast<size_t>(i)])) wanted.push_back(ids_[static_cast<size_t>(i)]);
  if (wanted.empty()) return;
  auto read = cache.records(entity_, wanted);
  if (!read.ok()) return;
  const int ncols = static_cast<int>(columns_.size());
  for (auto& [id, row] : *read) {
    for (int c = 0; c < ncols; ++c) ui.note(cell_text(id, row, c));
    rows_[id] = std::move(row);
  }
}

std::optional<ListIntent> RecordListScreen::draw_row_menu(Ui& ui, const json& row, bool may_update) {
  std::optional<ListIntent> intent;
  const int64_t id = row.value("id", int64_t{0});
  const std::string menu = entity_.name + ".menu.";
  // Rows far enough apart for a finger (the menu is how a tablet reaches these).
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, ui.px(12)));
  auto item = [&](const std::string& key, const std::string& label) {
    ui.note(label);
    const bool chosen = ImGui::Selectable(label.c_str());
    ui.record(menu + key, label, "button");
    return chosen;
  };
  if (item("open", ui.tr("打开", "Open"))) intent = ListIntent{ListIntent::open, id, {}};
  if (may_update && item("edit", ui.tr("编辑", "Edit"))) intent = ListIntent{ListIntent::edit, id, {}};
  // Copies of what is typed elsewhere most: its name, and its numbers (a phone to dial, a mobile).
  const std::string title = record_title(entity_, row);
  if (!title.empty() && item("copy_title", ui.tr("复制名称", "Copy the name"))) ImGui::SetClipboardText(title.c_str());
  for (const auto& f : entity_.fields) {
    if (f.format != TextFormat::phone) continue;
    const json v = row.value(f.name, json());
    if (!v.is_string() || v.get<std::string>().empty()) continue;
    if (item("copy_" + f.name, ui.tr("复制", "Copy ") + ui.label(f.label) + " " + v.get<std::string>()))
      ImGui::SetClipboardText(v.get<std::string>().c_str());
  }
  ImGui::PopStyleVar();
  return intent;
}

}  // namespace kehu::client
