#include "web/screens/pipeline_board.h"

#include <cstring>

#include <imgui.h>

#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {

constexpr size_t kCardsPerColumn = 200;  // a column shows the newest; the count says how many there are
constexpr const char* kPayload = "kehu.opportunity";

bool is_final(const std::string& stage) { return stage == "won" || stage == "lost"; }

}  // namespace

void PipelineBoard::requery(LocalCache& cache) {
  stale_ = false;
  cards_.clear();
  counts_.clear();
  const EntityDef& e = opportunities_def();
  for (const auto& stage : e.field("stage")->values) {
    auto ids = cache.find_ids(e, {{"stage", stage}, {"sort", "-id"}});
    if (!ids.ok()) continue;
    counts_[stage] = static_cast<int64_t>(ids->size());
    if (ids->size() > kCardsPerColumn) ids->resize(kCardsPerColumn);
    auto rows = cache.records(e, *ids);
    if (!rows.ok()) continue;
    for (int64_t id : *ids)
      if (auto it = rows->find(id); it != rows->end()) cards_[stage].push_back(it->second);
  }
}

std::optional<BoardIntent> PipelineBoard::draw(Ui& ui, LocalCache& cache, bool may_move) {
  std::optional<BoardIntent> intent;
  if (stale_) requery(cache);
  const EntityDef& e = opportunities_def();
  const FieldDef& stage_field = *e.field("stage");
  const auto& stages = stage_field.values;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float column_w = (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(stages.size() - 1)) / static_cast<float>(stages.size());
  for (size_t i = 0; i < stages.size(); ++i) {
    const std::string& stage = stages[i];
    if (i > 0) ImGui::SameLine();
    ImGui::BeginChild(("board." + stage).c_str(), ImVec2(column_w, 0), true);
    const std::string title = ui.tr(value_label(stage_field, stage)) + " (" + std::to_string(counts_[stage]) + ")";
    ui.text("board.column." + stage, title);
    ImGui::Separator();
    for (const auto& card : cards_[stage]) {
      const int64_t id = card.value("id", int64_t{0});
      std::string text = card.value("title", "");
      const std::string customer = field_text(ui, cache, e, "customer_id", card);
      if (!customer.empty()) text += "\n" + customer;
      if (card.value("amount", json()).is_number_integer()) text += "\n¥" + money_text(card["amount"].get<int64_t>());
      ui.note(text);
      ImGui::PushID(static_cast<int>(id));
      if (ImGui::Selectable(text.c_str(), false, 0, ImVec2(0, ImGui::GetTextLineHeight() * 3 + ui.px(4))))
        intent = BoardIntent{BoardIntent::open, id, 0, nullptr};
      // A card of an open stage can be dragged; won and lost are final.
      if (may_move && !is_final(stage) && ImGui::BeginDragDropSource()) {
        ImGui::SetDragDropPayload(kPayload, &id, sizeof id);
        ImGui::TextUnformatted(card.value("title", "").c_str());
        ImGui::EndDragDropSource();
      }
      ImGui::PopID();
      ui.record("board.card." + std::to_string(id), card.value("title", ""), "row");
      ImGui::Separator();
    }
    ImGui::EndChild();
    // The whole column takes a drop.
    if (ImGui::BeginDragDropTarget()) {
      if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload(kPayload)) {
        int64_t id = 0;
        std::memcpy(&id, p->Data, sizeof id);
        auto row = cache.record(e, id);
        if (row.ok() && row->has_value() && (**row).value("stage", "") != stage) {
          if (is_final(stage)) {
            dropped_ = **row;
            dropped_stage_ = stage;
            reason_.clear();
          } else {
            intent = BoardIntent{BoardIntent::move, id, (**row).value("rev", int64_t{0}), json{{"stage", stage}}};
          }
        }
      }
      ImGui::EndDragDropTarget();
    }
  }
  if (auto confirmed = draw_confirm(ui)) intent = confirmed;
  return intent;
}

std::optional<BoardIntent> PipelineBoard::draw_confirm(Ui& ui) {
  std::optional<BoardIntent> intent;
  if (!dropped_) return intent;
  const bool lost = dropped_stage_ == "lost";
  ImGui::OpenPopup("##board.final");
  ImGui::SetNextWindowSize(ImVec2(ui.px(440), 0));
  if (ImGui::BeginPopupModal("##board.final", nullptr, ImGuiWindowFlags_NoTitleBar)) {
    const std::string title = dropped_->value("title", "");
    ui.text("board.question", lost ? ui.tr("确定“" + title + "”输单？输单后不能再修改。", "Mark \"" + title + "\" as lost? It cannot be changed afterwards.")
                                   : ui.tr("确定“" + title + "”赢单？赢单后不能再修改。", "Mark \"" + title + "\" as won? It cannot be changed afterwards."));
    if (lost) {
      ui.text("board.reason.label", ui.tr("输单原因（必填）", "Why was it lost? (required)"));
      ui.input_multiline("board.reason", "", reason_, ui.px(60));
    }
    const bool ready = !lost || reason_.find_first_not_of(" \t\r\n") != std::string::npos;
    ImGui::BeginDisabled(!ready);
    if (ui.button("board.confirm", ui.tr("确定", "OK"))) {
      json change = {{"stage", dropped_stage_}};
      if (lost) change["lost_reason"] = reason_;
      intent = BoardIntent{BoardIntent::move, dropped_->value("id", int64_t{0}), dropped_->value("rev", int64_t{0}), change};
      dropped_.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ui.button("board.cancel", ui.tr("取消", "Cancel")) || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
      dropped_.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  return intent;
}

}  // namespace kehu::client
