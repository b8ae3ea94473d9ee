#include "web/screens/record_detail_screen.h"

#include <imgui.h>

#include "core/rules/workflows.h"
#include "web/screens/module_menu.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"

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
                                                     const DetailRights& rights) {
  std::optional<DetailIntent> intent;
  if (id != shown_id_) {  // another record: no dialog of the last one stays open
    shown_id_ = id;
    confirm_delete_ = false;
    move_to_.clear();
    assigning_ = false;
    merging_ = false;
  }
  if (ui.button("record.back", ui.tr("← 返回列表", "← Back to list"))) intent = DetailIntent{DetailIntent::back};
  auto found = cache.record(entity, id);
  if (!found.ok() || !found->has_value()) {
    ImGui::SameLine();
    ui.text("record.missing", ui.tr("该" + entity.label.zh + "已不存在（可能已被删除）",
                                    "This " + entity.label.en + " no longer exists (it may have been deleted)"));
    return intent;
  }
  const json& r = **found;
  if (rights.update) {
    ImGui::SameLine();
    if (ui.button("record.edit", ui.tr("编辑", "Edit"))) intent = DetailIntent{DetailIntent::edit};
  }
  if (auto act = draw_actions(ui, cache, entity, r, rights)) intent = act;
  ImGui::Separator();
  ui.text("record.title", ui.label(entity.label) + ui.tr("：", ": ") + record_title(entity, r));
  ImGui::BeginChild("record.body");
  if (ImGui::BeginTable("record.fields", 4, ImGuiTableFlags_SizingStretchProp)) {
    int col = 0;
    auto show = [&](const std::string& name, const std::string& label, const std::string& value) {
      if (col % 2 == 0) ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui.text("record.label." + name, label);
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0);
      ui.text("record.field." + name, value.empty() ? "—" : value);
      ImGui::PopTextWrapPos();
      ++col;
    };
    auto show_field = [&](const std::string& name, const std::string& label) {
      show(name, label, name == "code" && id < 0 ? ui.tr("待同步", "pending") : field_text(ui, cache, entity, name, r));
    };
    for (const auto& f : entity.fields)
      if (f.type != FieldType::object && f.type != FieldType::item_list) show_field(f.name, ui.label(f.label));
    // The administrator's custom fields (settings), after the built-in ones.
    for (const auto& c : custom_fields_of(cache.settings(), entity)) show("custom." + c.key, ui.label(c.label), custom_field_text(ui, c, r));
    show_field("created_at", ui.tr("录入时间", "Created"));
    show_field("updated_at", ui.tr("最近修改", "Last changed"));
    ImGui::EndTable();
  }
  if (rights.extra) rights.extra();

  // Every module with a reference to this one: its rows that point here.
  for (const EntityDef* child : record_entities()) {
    for (const auto& ref : child->fields) {
      if (ref.type != FieldType::reference || ref.ref_table != entity.name) continue;
      if (child == &entity) continue;
      auto rows = cache.children(*child, ref.name, id);
      if (!rows.ok()) continue;
      const bool addable = rights.create && rights.create(*child) && ref.writable && id > 0;
      if (rows->empty() && !addable) continue;
      ImGui::Spacing();
      ImGui::Separator();
      const std::string section = "related." + child->name;
      ui.text(section, ui.tr(module_title(*child)) + " (" + std::to_string(rows->size()) + ")");
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

std::optional<DetailIntent> RecordDetailScreen::draw_actions(Ui& ui, LocalCache& cache, const EntityDef& entity, const json& r,
                                                             const DetailRights& rights) {
  std::optional<DetailIntent> intent;
  const int64_t id = r.value("id", int64_t{0});
  if (rights.busy) {  // the last step is on its way: its answer decides what comes next
    ImGui::SameLine();
    ui.text_colored("action.sending", ui.tr("正在发送上一步操作…", "Sending the last step…"), kGrey);
    return intent;
  }
  // The next steps of a contract or a ticket, from its machine; approvers' steps only for approvers.
  const std::vector<WorkflowMove>* moves = entity.name == "contracts" ? &contract_moves()
                                           : entity.name == "tickets" ? &ticket_moves()
                                                                      : nullptr;
  if (moves && rights.update && id > 0) {
    const std::string status = r.value("status", std::string());
    for (const auto& m : *moves) {
      if (m.from != status || (m.approvers_only && !role_may_approve_contracts(rights.role))) continue;
      ImGui::SameLine();
      if (!ui.button("action." + m.to, ui.tr(m.action))) continue;
      if (m.needs.empty() && entity.name == "contracts") {
        intent = DetailIntent{DetailIntent::act, &entity, id, json{{"to", m.to}}, "transition"};
      } else {  // tickets always take a note; the others need their input
        move_to_ = m.to;
        move_text_.clear();
        move_assignee_ = -1;
      }
    }
  }
  if (entity.name == "customers" && r.value("owner_id", json()).is_null() && id > 0) {
    ImGui::SameLine();
    if (ui.button("action.claim", ui.tr("领取", "Claim"))) intent = DetailIntent{DetailIntent::act, &entity, id, json::object(), "claim"};
  }
  if (rights.assign && entity.field("owner_id") && id > 0) {
    ImGui::SameLine();
    if (ui.button("action.assign", ui.tr("分配", "Assign"))) {
      assigning_ = true;
      assign_to_ = -1;
    }
  }
  // A duplicate customer is merged into this one (managers and admins, like assigning).
  if (rights.assign && entity.name == "customers" && id > 0) {
    ImGui::SameLine();
    if (ui.button("action.merge", ui.tr("合并重复客户", "Merge a duplicate"))) {
      merging_ = true;
      merge_id_ = nullptr;
      merge_picker_.reset(cache, entity, nullptr);
    }
  }
  if (rights.remove) {
    ImGui::SameLine();
    if (ui.button("record.delete", ui.tr("删除", "Delete"))) confirm_delete_ = true;
  }

  if (assigning_) {
    ImGui::OpenPopup("##assign");
    ImGui::SetNextWindowSize(ImVec2(ui.px(420), 0));
    if (ImGui::BeginPopupModal("##assign", nullptr, ImGuiWindowFlags_NoTitleBar)) {
      ui.text("assign.title", ui.tr("分配负责人", "Assign the owner"));
      // Active people from the directory; a customer may also go back to the pool (公海).
      const auto users = cache.active_users();
      std::vector<std::string> names;
      for (const auto& u : users) names.push_back(u.second);
      const bool pool = entity.name == "customers";
      if (pool) names.push_back(ui.tr("（公海）", "(the pool)"));
      ui.combo("assign.owner", ui.tr("负责人", "Owner"), assign_to_, names, ui.tr("（请选择）", "(choose)"), ui.px(260));
      const DialogAnswer answer = dialog_buttons(ui, "assign", ui.tr("确定", "OK"), assign_to_ >= 0);
      if (answer == DialogAnswer::ok) {
        const bool to_pool = pool && assign_to_ == static_cast<int>(users.size());
        const json owner = to_pool ? json(nullptr) : json(users[static_cast<size_t>(assign_to_)].first);
        intent = DetailIntent{DetailIntent::assign, &entity, id, json{{"owner_id", owner}}, ""};
      }
      if (answer != DialogAnswer::none) assigning_ = false;
      ImGui::EndPopup();
    }
  }

  if (merging_) {
    ImGui::OpenPopup("##merge");
    if (ImGui::BeginPopupModal("##merge", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
      ui.text("merge.title", ui.tr("把重复的客户并入“" + record_title(entity, r) + "”", "Merge a duplicate into \"" + record_title(entity, r) + "\""));
      merge_picker_.draw(ui, cache, "merge.customer", merge_id_, ui.px(360));
      const bool self = merge_id_ == json(id);
      if (self) ui.text_colored("merge.self", ui.tr("不能并入自己", "A customer cannot be merged into itself"), kRed);
      ui.text_colored("merge.warning",
                      ui.tr("它的联系人、商机、合同、订单、联系活动和工单都会移到这里，然后删除它。需要联网。",
                            "Its contacts, opportunities, contracts, orders, activities and tickets move here, then it is deleted. Needs the network."),
                      kRed);
      const DialogAnswer answer = dialog_buttons(ui, "merge", ui.tr("合并", "Merge"), merge_id_.is_number_integer() && !self);
      if (answer == DialogAnswer::ok) intent = DetailIntent{DetailIntent::merge, &entity, id, json{{"keep_id", id}, {"merge_id", merge_id_}}, ""};
      if (answer != DialogAnswer::none) merging_ = false;
      ImGui::EndPopup();
    }
  }

  if (confirm_delete_) {
    ImGui::OpenPopup("##delete");
    if (ImGui::BeginPopupModal("##delete", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
      ui.text("delete.question", ui.tr("确定删除" + entity.label.zh + "“" + record_title(entity, r) + "”？",
                                       "Delete the " + entity.label.en + " \"" + record_title(entity, r) + "\"?"));
      if (entity.name == "customers")
        ui.text_colored("delete.warning", ui.tr("它的联系人会一并删除。", "Its contacts are deleted with it."), kRed);
      const DialogAnswer answer = dialog_buttons(ui, "delete", ui.tr("删除", "Delete"), true);
      if (answer == DialogAnswer::ok) intent = DetailIntent{DetailIntent::remove, &entity, id, nullptr, ""};
      if (answer != DialogAnswer::none) confirm_delete_ = false;
      ImGui::EndPopup();
    }
  }

  if (!move_to_.empty() && moves) {
    const WorkflowMove* move = find_move(*moves, r.value("status", std::string()), move_to_);
    if (!move) {
      move_to_.clear();  // the record moved on meanwhile (a sync)
      return intent;
    }
    ImGui::OpenPopup("##move");
    ImGui::SetNextWindowSize(ImVec2(ui.px(440), 0));
    if (ImGui::BeginPopupModal("##move", nullptr, ImGuiWindowFlags_NoTitleBar)) {
      ui.text("action.title", ui.tr(move->action));
      std::vector<std::pair<int64_t, std::string>> users;
      if (move->needs == "assignee_id") {
        users = cache.active_users();
        std::vector<std::string> names;
        for (const auto& u : users) names.push_back(u.second);
        ui.combo("action.assignee", ui.tr("处理人", "Assignee"), move_assignee_, names, ui.tr("（请选择）", "(choose)"), ui.px(260));
      }
      const std::string prompt = move->needs == "reason"       ? ui.tr("原因（必填）", "Reason (required)")
                                 : move->needs == "resolution" ? ui.tr("处理结果（必填）", "Resolution (required)")
                                                               : ui.tr("处理说明（可不填）", "Note (optional)");
      ui.text("action.prompt", prompt);
      ui.input_multiline("action.input", "", move_text_, ui.px(70));
      const bool has_text = move_text_.find_first_not_of(" \t\r\n") != std::string::npos;
      const bool ready = (move->needs != "reason" && move->needs != "resolution") || has_text;
      const bool has_assignee = move->needs != "assignee_id" || (move_assignee_ >= 0 && move_assignee_ < static_cast<int>(users.size()));
      const DialogAnswer answer = dialog_buttons(ui, "action", ui.tr("确定", "OK"), ready && has_assignee);
      if (answer == DialogAnswer::ok) {
        json body = {{"to", move->to}};
        if (move->needs == "reason") body["reason"] = move_text_;
        else if (move->needs == "resolution") body["resolution"] = move_text_;
        if (move->needs == "assignee_id") body["assignee_id"] = users[static_cast<size_t>(move_assignee_)].first;
        if (entity.name == "tickets" && has_text) body["note"] = move_text_;  // the progress log keeps it
        intent = DetailIntent{DetailIntent::act, &entity, id, body, "transition"};
      }
      if (answer != DialogAnswer::none) move_to_.clear();
      ImGui::EndPopup();
    }
  }
  return intent;
}

}  // namespace kehu::client
