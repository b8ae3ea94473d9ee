#include "web/screens/record_detail_screen.h"

#include <imgui.h>

#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {

constexpr size_t kRelatedColumns = 5;

// Up to five short fields of a related row, the reference back to this record left out.
std::vector<std::string> related_columns(const EntityDef& e, const std::string& back_field) {
  std::vector<std::string> out;
  if (e.field("code")) out.push_back("code");
  if (const FieldDef* t = title_field(e)) out.push_back(t->name);
  for (const auto& f : e.fields) {
    if (out.size() >= kRelatedColumns) break;
    if (f.name == back_field || f.name == "code" || &f == title_field(e)) continue;
    if (f.type == FieldType::enumerated || f.format == TextFormat::money || f.format == TextFormat::phone ||
        f.type == FieldType::date || f.type == FieldType::datetime)
      out.push_back(f.name);
  }
  return out;
}

}  // namespace

std::optional<DetailIntent> RecordDetailScreen::draw(Ui& ui, LocalCache& cache, const EntityDef& entity, int64_t id,
                                                     bool may_update, const std::function<bool(const EntityDef&)>& may_create) {
  std::optional<DetailIntent> intent;
  if (ui.button("record.back", ui.tr("← 返回列表", "← Back to list"))) intent = DetailIntent{DetailIntent::back};
  auto found = cache.record(entity, id);
  if (!found.ok() || !found->has_value()) {
    ImGui::SameLine();
    ui.text("record.missing", ui.tr("该" + entity.label.zh + "已不存在（可能已被删除）",
                                    "This " + entity.label.en + " no longer exists (it may have been deleted)"));
    return intent;
  }
  const json& r = **found;
  if (may_update) {
    ImGui::SameLine();
    if (ui.button("record.edit", ui.tr("编辑", "Edit"))) intent = DetailIntent{DetailIntent::edit};
  }
  ImGui::Separator();
  ui.text("record.title", ui.tr(entity.label) + "：" + record_title(entity, r));
  ImGui::BeginChild("record.body");
  if (ImGui::BeginTable("record.fields", 4, ImGuiTableFlags_SizingStretchProp)) {
    int col = 0;
    auto show = [&](const std::string& name, const std::string& label) {
      if (col % 2 == 0) ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui.text("record.label." + name, label);
      ImGui::TableNextColumn();
      std::string v = name == "code" && id < 0 ? ui.tr("待同步", "pending") : field_text(ui, cache, entity, name, r);
      ImGui::PushTextWrapPos(0);
      ui.text("record.field." + name, v.empty() ? "—" : v);
      ImGui::PopTextWrapPos();
      ++col;
    };
    for (const auto& f : entity.fields)
      if (f.type != FieldType::object && f.type != FieldType::item_list) show(f.name, ui.label(f.label));
    show("created_at", ui.tr("录入时间", "Created"));
    show("updated_at", ui.tr("最近修改", "Last changed"));
    ImGui::EndTable();
  }

  // Every module with a reference to this one: its rows that point here.
  for (const EntityDef* child : record_entities()) {
    for (const auto& ref : child->fields) {
      if (ref.type != FieldType::reference || ref.ref_table != entity.name) continue;
      if (child == &entity) continue;
      auto rows = cache.children(*child, ref.name, id);
      if (!rows.ok()) continue;
      const bool addable = may_create(*child) && ref.writable && id > 0;
      if (rows->empty() && !addable) continue;
      ImGui::Spacing();
      ImGui::Separator();
      const std::string section = "related." + child->name;
      ui.text(section, ui.tr(child->label) + " (" + std::to_string(rows->size()) + ")");
      if (addable) {
        ImGui::SameLine();
        if (ui.button(section + ".new", ui.tr("+ 新建" + child->label.zh, "+ New " + child->label.en)))
          intent = DetailIntent{DetailIntent::create, child, 0, json{{ref.name, id}}};
      }
      if (rows->empty()) continue;
      const auto columns = related_columns(*child, ref.name);
      if (!ImGui::BeginTable((section + ".table").c_str(), static_cast<int>(columns.size()),
                             ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp))
        continue;
      for (const auto& c : columns) {
        std::string label = ui.label(child->field(c)->label);
        ui.note(label);
        ImGui::TableSetupColumn(label.c_str());
      }
      ImGui::TableHeadersRow();
      for (const auto& row : *rows) {
        const int64_t row_id = row.value("id", int64_t{0});
        ImGui::TableNextRow();
        for (size_t i = 0; i < columns.size(); ++i) {
          ImGui::TableSetColumnIndex(static_cast<int>(i));
          std::string v = columns[i] == "code" && row_id < 0 ? ui.tr("待同步", "pending") : field_text(ui, cache, *child, columns[i], row);
          if (v.empty()) v = i == 0 ? "—" : "";
          ui.note(v);
          if (i == 0) {
            ImGui::PushID((section + std::to_string(row_id)).c_str());
            if (ImGui::Selectable(v.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
              intent = DetailIntent{DetailIntent::open, child, row_id, nullptr};
            ImGui::PopID();
            ui.record(section + ".row." + std::to_string(row_id), record_title(*child, row), "row");
          } else {
            ImGui::TextUnformatted(v.c_str());
          }
        }
      }
      ImGui::EndTable();
    }
  }
  ImGui::EndChild();
  return intent;
}

}  // namespace kehu::client
