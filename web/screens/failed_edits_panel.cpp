#include "web/screens/failed_edits_panel.h"

#include <imgui.h>

#include "core/settings/field_options.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

namespace {

// A field of a record ("custom.{key}" for a custom field) as the user reads it: its label and a value.
struct ShownField {
  std::string label;
  std::string value;
};

ShownField shown(const Ui& ui, LocalCache& cache, const EntityDef& entity, const std::string& field, const json& value) {
  ShownField out;
  if (field.rfind("custom.", 0) == 0) {
    const std::string key = field.substr(7);
    out.label = key;
    out.value = value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
    for (const auto& cf : custom_fields_of(cache.settings(), entity))
      if (cf.key == key) {
        out.label = ui.label(cf.label);
        out.value = custom_field_text(ui, cf, json{{"custom", {{key, value}}}});
      }
  } else {
    const FieldDef* f = entity.field(field);
    out.label = f ? ui.label(f->label) : field;
    out.value = field_text(ui, cache, entity, field, json{{field, value}});
  }
  if (out.value.empty()) out.value = ui.tr("（空）", "(empty)");
  return out;
}

std::string error_message(const Ui& ui, const json& error) {
  if (error.is_object() && error.contains("error") && error["error"].is_object()) return error["error"].value("message", "");
  return error.is_string() ? error.get<std::string>() : ui.tr("服务器未接受这项修改", "the server did not accept this edit");
}

}  // namespace

std::optional<FailedEditIntent> FailedEditsPanel::draw(Ui& ui, LocalCache& cache, const std::vector<Outbox::Failed>& failed) {
  std::optional<FailedEditIntent> intent;
  if (!open_) return intent;
  if (failed.empty()) {
    open_ = false;
    return FailedEditIntent{FailedEditIntent::close};
  }
  // Another dialog (a reminder, the sign-out question) first: this one waits for it to close.
  if (!ImGui::IsPopupOpen("##failed_edits") && ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return intent;
  ImGui::OpenPopup("##failed_edits");
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowSize(ImVec2(std::min(ui.px(760), display.x * 0.9f), 0));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(display.x * 0.95f, display.y * 0.85f));
  if (!ImGui::BeginPopupModal("##failed_edits", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return intent;
  ui.text("failed.heading", ui.tr("未被服务器接受的修改", "Edits the server did not accept"));
  ui.text_colored("failed.hint",
                  ui.tr("每项修改都保留在本机，直到你处理它。", "Each edit is kept on this device until you settle it."), kGrey);
  ImGui::Separator();
  for (const auto& f : failed) {
    const int64_t seq = f.entry.seq;
    const std::string key = std::to_string(seq);
    ImGui::PushID(static_cast<int>(seq));
    const EntityDef* entity = find_entity(f.entry.entity);
    std::string title = "#" + std::to_string(f.entry.record_id);
    if (entity) {
      auto row = cache.record(*entity, f.entry.record_id);
      if (row.ok() && row->has_value()) title = record_title(*entity, **row);
      title = ui.label(entity->label) + ui.tr("：", ": ") + title;
    }
    ui.text("failed.title." + key, title);
    ui.text_colored("failed.error." + key, error_message(ui, f.error), kRed);
    const bool conflict = f.error.is_object() && f.error.contains("merge") && f.error["merge"].is_object() && entity;
    if (conflict) {
      draw_conflicts(ui, cache, f, f.error["merge"], intent);
    } else if (f.entry.method == "PATCH" && entity && f.error.is_object() &&
               f.error.value("error", json::object()).value("code", "") == "not_found") {
      // Deleted on the server while this edit waited: make it again, or let it go.
      ui.text_colored("failed.deleted." + key, ui.tr("该记录已被他人删除。", "Someone deleted this record meanwhile."), kGrey);
      if (ui.button("failed.recreate." + key, ui.tr("按我的修改重新创建", "Create it again with my edit")))
        intent = FailedEditIntent{FailedEditIntent::recreate, seq, {}};
      ImGui::SameLine();
      if (ui.button("failed.discard." + key, ui.tr("放弃这项修改", "Discard this edit"))) confirming_discard_ = seq;
    } else {
      if (f.entry.action.empty() && f.entry.method != "DELETE" && entity && ui.button("failed.fix." + key, ui.tr("修改", "Fix it")))
        intent = FailedEditIntent{FailedEditIntent::fix, seq, {}};
      ImGui::SameLine();
      if (ui.button("failed.retry." + key, ui.tr("重新发送", "Send again"))) intent = FailedEditIntent{FailedEditIntent::retry, seq, {}};
      ImGui::SameLine();
      if (ui.button("failed.discard." + key, ui.tr("放弃这项修改", "Discard this edit"))) confirming_discard_ = seq;
    }
    if (confirming_discard_ == seq) {
      ui.text_colored("failed.discard.question." + key, ui.tr("确定放弃？这项修改将不会发送，不能撤销。", "Really discard it? It will not be sent; this cannot be undone."), kRed);
      if (ui.button("failed.discard.confirm." + key, ui.tr("放弃", "Discard"))) {
        intent = FailedEditIntent{FailedEditIntent::discard, seq, {}};
        confirming_discard_ = 0;
      }
      ImGui::SameLine();
      if (ui.button("failed.discard.cancel." + key, ui.tr("保留", "Keep it"))) confirming_discard_ = 0;
    }
    ImGui::Separator();
    ImGui::PopID();
  }
  if (ui.button("failed.close", ui.tr("关闭", "Close")) || (ImGui::IsKeyPressed(ImGuiKey_Escape) && confirming_discard_ == 0)) {
    open_ = false;
    intent = FailedEditIntent{FailedEditIntent::close};
  }
  if (!open_) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  if (intent && intent->kind != FailedEditIntent::close) take_mine_.erase(intent->seq);
  return intent;
}

void FailedEditsPanel::draw_conflicts(Ui& ui, LocalCache& cache, const Outbox::Failed& f, const json& merge,
                                      std::optional<FailedEditIntent>& intent) {
  const int64_t seq = f.entry.seq;
  const std::string key = std::to_string(seq);
  const EntityDef& entity = *find_entity(f.entry.entity);
  const json theirs = merge.value("theirs", json::object());
  const json conflicts = merge.value("conflicts", json::array());
  // Who made the other change, and when.
  std::string who = ui.tr("他人", "someone else");
  if (theirs.value("updated_by", json()).is_number_integer()) {
    const std::string name = cache.user_name(theirs["updated_by"].get<int64_t>());
    if (!name.empty()) who = name;
  }
  const std::string when = theirs.value("updated_at", json()).is_string() ? local_time_text(ui, theirs["updated_at"].get<std::string>()) : "";
  ui.text("failed.merge.who." + key, ui.tr("同时被 ", "Also changed by ") + who + (when.empty() ? "" : ui.tr(" 于 ", " at ") + when) +
                                         ui.tr(" 修改；请为下列字段选择保留哪一方：", "; choose which value to keep for each field below:"));
  // The fields that merged by themselves.
  std::string merged;
  for (const auto& [field, value] : f.entry.body.items()) {
    if (field == "rev" || field == "force") continue;
    bool in_conflict = false;
    for (const auto& c : conflicts) in_conflict = in_conflict || c.value("field", "") == field || c.value("field", "").rfind(field + ".", 0) == 0;
    if (!in_conflict) merged += (merged.empty() ? "" : ui.tr("、", ", ")) + shown(ui, cache, entity, field, value).label;
  }
  if (!merged.empty()) ui.text_colored("failed.merge.auto." + key, ui.tr("已自动合并：", "Merged by themselves: ") + merged, kGrey);

  auto& choices = take_mine_[seq];
  if (ImGui::BeginTable("conflicts", 3, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ui.table_headers({{{"字段", "Field"}, 1.0f}, {{"我的修改", "My edit"}, 2.0f}, {{"对方的修改", "Their change"}, 2.0f}});
    for (const auto& c : conflicts) {
      const std::string field = c.value("field", "");
      const ShownField mine = shown(ui, cache, entity, field, c.value("mine", json()));
      const ShownField other = shown(ui, cache, entity, field, c.value("theirs", json()));
      const bool take_mine = choices.count(field) ? choices[field] : true;  // one's own edit, until told otherwise
      choices[field] = take_mine;
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ui.text("failed.field." + key + "." + field, mine.label);
      ImGui::TableSetColumnIndex(1);
      ImGui::PushTextWrapPos(0);
      if (ui.radio("failed.mine." + key + "." + field, mine.value, take_mine)) choices[field] = true;
      ImGui::TableSetColumnIndex(2);
      if (ui.radio("failed.theirs." + key + "." + field, other.value, !take_mine)) choices[field] = false;
      ImGui::PopTextWrapPos();
    }
    ImGui::EndTable();
  }
  if (ui.button("failed.merge." + key, ui.tr("保存合并结果", "Save the merge"))) intent = FailedEditIntent{FailedEditIntent::merge, seq, choices};
  ImGui::SameLine();
  if (ui.button("failed.discard." + key, ui.tr("放弃我的修改", "Discard my edit"))) confirming_discard_ = seq;
}

}  // namespace kehu::client
