#include "web/ui/widgets.h"

#include <imgui.h>
#include <imgui_internal.h>  // whether the item is disabled, for the test hook
#include <imgui_stdlib.h>

namespace kehu::client {

void Ui::record(const std::string& id, const std::string& label, const char* kind) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  // Items clipped away (scrolled out of a child window) are not on screen: tests must not click them.
  if (!ImGui::IsItemVisible()) return;
  const bool disabled = (ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled) != 0;
  hook_.add({id, label, kind, a.x, a.y, b.x - a.x, b.y - a.y, disabled});
}

bool Ui::button(const std::string& id, const std::string& label, float width) {
  note(label);
  bool pressed = ImGui::Button((label + "###" + id).c_str(), ImVec2(width, 0));
  record(id, label, "button");
  return pressed;
}

bool Ui::input(const std::string& id, const std::string& label, std::string& value, const std::string& hint,
               bool password, float width) {
  note(label);
  note(hint);
  note(value);
  if (width > 0) ImGui::SetNextItemWidth(width);
  ImGuiInputTextFlags flags = password ? ImGuiInputTextFlags_Password : 0;
  bool changed = ImGui::InputTextWithHint(("##" + id).c_str(), hint.c_str(), &value, flags);
  record(id, password ? std::string() : value, "input");
  if (!label.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(label.c_str());
  }
  return changed;
}

bool Ui::input_multiline(const std::string& id, const std::string& label, std::string& value, float height) {
  note(label);
  note(value);
  bool changed = ImGui::InputTextMultiline(("##" + id).c_str(), &value, ImVec2(-1, height));
  record(id, value, "input");
  return changed;
}

bool Ui::checkbox(const std::string& id, const std::string& label, bool& value) {
  note(label);
  bool changed = ImGui::Checkbox((label + "###" + id).c_str(), &value);
  record(id, value ? "true" : "false", "checkbox");
  return changed;
}

bool Ui::radio(const std::string& id, const std::string& label, bool selected) {
  note(label);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);  // an unchosen circle shows on any background
  bool clicked = ImGui::RadioButton((label + "###" + id).c_str(), selected);
  ImGui::PopStyleVar();
  record(id, label + (selected ? "|true" : "|false"), "radio");
  return clicked;
}

void Ui::text(const std::string& id, const std::string& label) {
  note(label);
  ImGui::TextUnformatted(label.c_str());
  record(id, label, "text");
}

void Ui::text_colored(const std::string& id, const std::string& label, unsigned int rgba) {
  note(label);
  ImGui::PushStyleColor(ImGuiCol_Text, rgba);
  ImGui::TextUnformatted(label.c_str());
  ImGui::PopStyleColor();
  record(id, label, "text");
}

bool Ui::combo(const std::string& id, const std::string& label, int& selected, const std::vector<std::string>& labels,
               const std::string& none_label, float width) {
  note(label);
  note(none_label);
  for (const auto& l : labels) note(l);
  const std::string& preview = selected >= 0 && selected < static_cast<int>(labels.size()) ? labels[selected] : none_label;
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  // Up to 20 rows before the list scrolls: an admin's option list easily passes ImGui's default of 8.
  bool open = ImGui::BeginCombo((label + "###" + id).c_str(), preview.c_str(), ImGuiComboFlags_HeightLarge);
  record(id, preview, "combo");
  if (open) {
    if (ImGui::Selectable(none_label.c_str(), selected < 0)) {
      changed = selected != -1;
      selected = -1;
    }
    record(id + ".none", none_label, "option");
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) {
      if (ImGui::Selectable(labels[i].c_str(), selected == i)) {
        changed = selected != i;
        selected = i;
      }
      record(id + "." + std::to_string(i), labels[i], "option");
    }
    ImGui::EndCombo();
  }
  return changed;
}

void Ui::progress(const std::string& id, float fraction, const std::string& overlay) {
  note(overlay);
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), overlay.c_str());
  record(id, overlay, "progress");
}

void Ui::same_line_if_fits(float width, float spacing) {
  ImGui::SameLine(0, spacing);
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void Ui::table_headers(const std::vector<Column>& columns) {
  for (const Column& c : columns) {
    const std::string& label = tr(c.title);
    note(label);
    if (c.weight > 0) ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthStretch, c.weight);
    else ImGui::TableSetupColumn(label.c_str());
  }
  ImGui::TableHeadersRow();
}

}  // namespace kehu::client
