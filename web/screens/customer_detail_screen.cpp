#include "web/screens/customer_detail_screen.h"

#include <imgui.h>

#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

std::optional<DetailIntent> CustomerDetailScreen::draw(Ui& ui, LocalCache& cache, int64_t id) {
  std::optional<DetailIntent> intent;
  if (ui.button("customer.back", ui.tr("← 返回列表", "← Back to list"))) intent = DetailIntent{DetailIntent::back};
  ImGui::SameLine();
  auto found = cache.record(customers_def(), id);
  if (!found.ok() || !found->has_value()) {
    ui.text("customer.missing", ui.tr("该客户已不存在（可能已被删除）", "This customer no longer exists (it may have been deleted)"));
    return intent;
  }
  const json& r = **found;
  if (ui.button("customer.edit", ui.tr("编辑", "Edit"))) intent = DetailIntent{DetailIntent::edit};
  ImGui::Separator();
  const EntityDef& e = customers_def();
  std::string title = r.value("name", "");
  ui.text("customer.title", title);
  if (ImGui::BeginTable("customer.fields", 4, ImGuiTableFlags_SizingStretchProp)) {
    int col = 0;
    auto show = [&](const std::string& name, const std::string& label) {
      if (col % 2 == 0) ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui.text("customer.label." + name, label);
      ImGui::TableNextColumn();
      std::string v = name == "code" && id < 0 ? ui.tr("待同步", "pending") : field_text(ui, cache, e, name, r);
      ImGui::PushTextWrapPos(0);
      ui.text("customer.field." + name, v.empty() ? "—" : v);
      ImGui::PopTextWrapPos();
      ++col;
    };
    for (const auto& f : e.fields)
      if (f.type != FieldType::object) show(f.name, ui.tr(f.label));
    show("created_at", ui.tr("录入时间", "Created"));
    show("updated_at", ui.tr("最近修改", "Last changed"));
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::Separator();
  auto contacts = cache.children(contacts_def(), "customer_id", id);
  size_t n = contacts.ok() ? contacts->size() : 0;
  ui.text("customer.contacts", ui.tr("联系人", "Contacts") + " (" + std::to_string(n) + ")");
  if (contacts.ok() && !contacts->empty() &&
      ImGui::BeginTable("customer.contacts.table", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    const char* cols[] = {"name", "title", "mobile", "phone", "email"};
    for (const char* c : cols) {
      std::string label = ui.tr(contacts_def().field(c)->label);
      ui.note(label);
      ImGui::TableSetupColumn(label.c_str());
    }
    ImGui::TableHeadersRow();
    for (const auto& c : *contacts) {
      ImGui::TableNextRow();
      for (int i = 0; i < 5; ++i) {
        ImGui::TableSetColumnIndex(i);
        std::string v = field_text(ui, cache, contacts_def(), cols[i], c);
        ui.note(v);
        ImGui::TextUnformatted(v.c_str());
        if (i == 0) ui.record("contact.row." + std::to_string(c.value("id", int64_t{0})), v, "row");
      }
    }
    ImGui::EndTable();
  }
  return intent;
}

}  // namespace kehu::client
