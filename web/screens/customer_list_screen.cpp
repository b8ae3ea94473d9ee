#include "web/screens/customer_list_screen.h"

#include <chrono>

#include <imgui.h>

#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {

struct SortChoice {
  const char* param;
  Text label;
};
const std::vector<SortChoice>& sort_choices() {
  static const std::vector<SortChoice> kChoices = {
      {"-id", {"最新录入在前", "Newest first"}},
      {"id", {"最早录入在前", "Oldest first"}},
      {"name", {"按名称", "By name"}},
      {"code", {"按客户编号", "By code"}},
      {"level", {"按客户级别", "By level"}},
      {"-updated_at", {"最近修改在前", "Recently changed"}},
  };
  return kChoices;
}

std::vector<std::string> value_labels(Ui& ui, const FieldDef& f) {
  std::vector<std::string> out;
  for (const auto& v : f.values) out.push_back(ui.tr(value_label(f, v)));
  return out;
}

}  // namespace

std::multimap<std::string, std::string> CustomerListScreen::params() const {
  std::multimap<std::string, std::string> p;
  if (!search_.empty()) p.emplace("q", search_);
  const EntityDef& e = customers_def();
  auto add = [&](const char* field, int index) {
    if (index >= 0) p.emplace(field, e.field(field)->values[static_cast<size_t>(index)]);
  };
  add("type", type_);
  add("level", level_);
  add("status", status_);
  add("source", source_);
  p.emplace("sort", sort_choices()[static_cast<size_t>(sort_)].param);
  return p;
}

void CustomerListScreen::requery(Ui& ui, LocalCache& cache) {
  stale_ = false;
  rows_.clear();
  auto start = std::chrono::steady_clock::now();
  auto ids = cache.find_ids(customers_def(), params());
  last_query_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!ids.ok()) {
    ids_.clear();
    error_ = ui.tr(ids.error().message);
    return;
  }
  error_.clear();
  ids_ = std::move(*ids);
}

std::optional<ListIntent> CustomerListScreen::draw(Ui& ui, LocalCache& cache) {
  std::optional<ListIntent> intent;
  const EntityDef& e = customers_def();

  // Toolbar: search, filters, sort, new.
  if (ui.input("customers.search", "", search_, ui.tr("搜索客户名称、编号、电话、地址…", "Search name, code, phone, address…"),
               false, ui.px(300)))
    stale_ = true;
  ImGui::SameLine();
  const float combo_w = ui.px(130);
  auto filter = [&](const char* field, int& index, const char* zh_all, const char* en_all) {
    ImGui::SameLine();
    if (ui.combo(std::string("customers.filter.") + field, "", index, value_labels(ui, *e.field(field)), ui.tr(zh_all, en_all),
                 combo_w))
      stale_ = true;
  };
  filter("type", type_, "全部类型", "All types");
  filter("level", level_, "全部级别", "All levels");
  filter("status", status_, "全部状态", "All statuses");
  filter("source", source_, "全部来源", "All sources");
  ImGui::SameLine();
  std::vector<std::string> sorts;
  for (const auto& s : sort_choices()) sorts.push_back(ui.tr(s.label));
  int sort = sort_;
  if (ui.combo("customers.sort", "", sort, sorts, sorts[0], combo_w) && sort >= 0) {
    sort_ = sort;
    stale_ = true;
  }
  ImGui::SameLine();
  if (ui.button("customers.new", ui.tr("+ 新建客户", "+ New customer"))) intent = ListIntent{ListIntent::create, 0};

  if (stale_) requery(ui, cache);
  if (!error_.empty()) ui.text_colored("customers.error", error_, IM_COL32(220, 60, 60, 255));
  ui.text("customers.count", ui.tr("共 ", "") + std::to_string(ids_.size()) + ui.tr(" 个客户", " customers"));

  // The table: only the visible rows are read and drawn.
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  const char* columns[] = {"code", "name", "type", "level", "status", "phone", "region", "owner_id", "created_at"};
  if (ImGui::BeginTable("customers.table", 9, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* c : columns) {
      std::string label = std::string(c) == "created_at" ? ui.tr("录入时间", "Created") : ui.tr(e.field(c)->label);
      ui.note(label);
      float weight = std::string(c) == "name" ? 3.0f : 1.0f;
      ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthStretch, weight);
    }
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(ids_.size()));
    while (clipper.Step()) {
      // Read the rows this step shows that are not loaded yet, in one query.
      std::vector<int64_t> wanted;
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
        if (!rows_.count(ids_[static_cast<size_t>(i)])) wanted.push_back(ids_[static_cast<size_t>(i)]);
      if (!wanted.empty()) {
        if (rows_.size() > 2000) rows_.clear();  // keep memory flat while scrolling far
        auto loaded = cache.records(e, wanted);
        if (loaded.ok())
          for (auto& [id, row] : *loaded) rows_[id] = std::move(row);
      }
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        int64_t id = ids_[static_cast<size_t>(i)];
        auto it = rows_.find(id);
        if (it == rows_.end()) continue;
        const json& r = it->second;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        std::string code = id < 0 ? ui.tr("待同步", "pending") : r.value("code", "");
        std::string name = r.value("name", "");
        ui.note(name);
        ImGui::PushID(static_cast<int>(id));
        if (ImGui::Selectable(code.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
          intent = ListIntent{ListIntent::open, id};
        ImGui::PopID();
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(name.c_str());
        ui.record("customers.row." + std::to_string(id), name, "row");
        for (int c = 2; c < 9; ++c) {
          ImGui::TableSetColumnIndex(c);
          std::string v = field_text(ui, cache, e, columns[c], r);
          ui.note(v);
          ImGui::TextUnformatted(v.c_str());
        }
      }
    }
    ImGui::EndTable();
  }
  return intent;
}

}  // namespace kehu::client
