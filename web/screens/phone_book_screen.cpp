#include "web/screens/phone_book_screen.h"

#include <imgui.h>

#include "web/ui/colors.h"

namespace kehu::client {

void PhoneBookScreen::read_rows(const Ui& ui, LocalCache& cache, int first, int last) {
  if (entries_.size() > 2000) entries_.clear();  // memory stays flat however far the list scrolls
  std::vector<int64_t> wanted;
  for (int i = std::max(0, first - 1); i < last; ++i)
    if (!entries_.count(ids_[static_cast<size_t>(i)])) wanted.push_back(ids_[static_cast<size_t>(i)]);
  if (wanted.empty()) return;
  auto read = phone_book_entries(cache.db(), wanted);
  if (!read.ok()) {
    error_ = ui.tr(read.error().message);
    return;
  }
  for (auto& e : *read) entries_[e.id] = std::move(e);
}

std::optional<int64_t> PhoneBookScreen::draw_menu(Ui& ui, const PhoneBookEntry& e) {
  std::optional<int64_t> open;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, ui.px(12)));  // finger-sized
  auto item = [&](const std::string& key, const std::string& label) {
    ui.note(label);
    const bool chosen = ImGui::Selectable(label.c_str());
    ui.record("phonebook.menu." + key, label, "button");
    return chosen;
  };
  if (item("open", ui.tr("打开联系人", "Open the contact"))) open = e.id;
  const struct {
    const char* key;
    Text label;
    const std::string& value;
  } numbers[] = {{"copy_mobile", {"复制手机 ", "Copy mobile "}, e.mobile},
                 {"copy_phone", {"复制电话 ", "Copy phone "}, e.phone},
                 {"copy_email", {"复制邮箱 ", "Copy email "}, e.email}};
  for (const auto& n : numbers)
    if (!n.value.empty() && item(n.key, ui.tr(n.label) + n.value)) ImGui::SetClipboardText(n.value.c_str());
  ImGui::PopStyleVar();
  return open;
}

std::optional<int64_t> PhoneBookScreen::draw(Ui& ui, LocalCache& cache) {
  std::optional<int64_t> open;
  if (ui.input("phonebook.search", "", search_, ui.tr("搜索姓名、客户或号码…", "Search names, customers or numbers…"), false, ui.px(320)))
    stale_ = true;
  if (stale_) {
    stale_ = false;
    entries_.clear();
    auto ids = phone_book_ids(cache.db(), search_);
    error_ = ids.ok() ? std::string() : ui.tr(ids.error().message);
    ids_ = ids.ok() ? std::move(*ids) : std::vector<int64_t>();
  }
  ImGui::SameLine(0, ui.px(16));
  ui.text("phonebook.count", ui.tr("共 " + std::to_string(ids_.size()) + " 位联系人",
                                   std::to_string(ids_.size()) + (ids_.size() == 1 ? " contact" : " contacts")));
  if (!error_.empty()) ui.text_colored("phonebook.error", error_, kRed);

  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("phonebook.table", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return open;
  ImGui::TableSetupScrollFreeze(0, 1);
  ui.table_headers({{{"客户", "Customer"}, 2.5f}, {{"姓名", "Name"}, 1.2f}, {{"职务", "Title"}, 1.2f},
                    {{"手机", "Mobile"}, 1.4f}, {{"电话", "Phone"}, 1.4f}, {{"邮箱", "Email"}, 2.0f}});
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(ids_.size()));
  while (clipper.Step()) {
    read_rows(ui, cache, clipper.DisplayStart, clipper.DisplayEnd);
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      auto it = entries_.find(ids_[static_cast<size_t>(i)]);
      if (it == entries_.end()) {  // gone from the cache since the ids were read: an empty row keeps the count
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted("");
        continue;
      }
      const PhoneBookEntry& e = it->second;
      // The customer's name heads its group: shown on its first contact only, as in a printed phone book.
      const PhoneBookEntry* before = i > 0 && entries_.count(ids_[static_cast<size_t>(i - 1)]) ? &entries_.at(ids_[static_cast<size_t>(i - 1)]) : nullptr;
      const bool heading = !before || before->customer_id != e.customer_id;
      const std::string customer = heading ? e.customer : "";
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(static_cast<int>(e.id));
      ui.note(customer);
      if (ImGui::Selectable((customer + "##row").c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
        open = e.id;
      if (heading) ui.record("phonebook.customer." + std::to_string(e.customer_id), customer, "text");
      if (ImGui::BeginPopupContextItem("row_menu")) {
        if (auto chosen = draw_menu(ui, e)) open = chosen;
        ImGui::EndPopup();
      }
      ImGui::PopID();
      int column = 1;
      for (const std::string* text : {&e.name, &e.title, &e.mobile, &e.phone, &e.email}) {
        ImGui::TableSetColumnIndex(column++);
        ui.note(*text);
        ImGui::TextUnformatted(text->c_str());
        // The row is where its name is (the middle of the whole row may be a column's resize border).
        if (text == &e.name) ui.record("phonebook.row." + std::to_string(e.id), e.name, "row");
      }
    }
  }
  ImGui::EndTable();
  return open;
}

}  // namespace kehu::client
