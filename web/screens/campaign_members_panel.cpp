#include "web/screens/campaign_members_panel.h"

#include <imgui.h>

#include "web/screens/record_text.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {


// GLOSSARY.md, campaigns: member status.
const std::pair<const char*, Text> kStatuses[] = {{"targeted", {"目标", "Targeted"}},
                                                   {"sent", {"已发送", "Sent"}},
                                                   {"opened", {"已打开", "Opened"}},
                                                   {"responded", {"已回复", "Responded"}},
                                                   {"converted", {"已转化", "Converted"}}};

int64_t id_in(const json& row, const char* field) {
  const json v = row.value(field, json());
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

std::string title_of(LocalCache& cache, const EntityDef& entity, int64_t id) {
  if (id == 0) return {};
  auto row = cache.record(entity, id);
  return row.ok() && row->has_value() ? record_title(entity, **row) : "#" + std::to_string(id);
}

}  // namespace

ServerList& CampaignMembersPanel::members_of(int64_t campaign_id) {
  if (campaign_id != campaign_id_) {
    campaign_id_ = campaign_id;
    members_.clear();
    customer_ = nullptr;
    contacts_.clear();
    contact_choice_ = -1;
    remove_ = nullptr;
    sending_ = false;  // an answer still on its way is dropped (it names the other campaign)
    picker_ready_ = false;
    error_.clear();
  }
  return members_;
}

void CampaignMembersPanel::changed(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  members_.mark_stale();
  error_ = answer.status >= 200 && answer.status < 300 ? std::string() : server_reasons(ui, answer);
}

std::optional<MemberChange> CampaignMembersPanel::draw(Ui& ui, LocalCache& cache, bool online, bool may_change) {
  std::optional<MemberChange> change;
  ImGui::Spacing();
  ImGui::Separator();
  const json& items = members_.items();
  ui.text("members.title", ui.tr("活动成员", "Campaign members"));
  ImGui::SameLine();
  ui.text("members.count", ui.tr("（" + std::to_string(items.size()) + "）", "(" + std::to_string(items.size()) + ")"));
  if (!online)
    ui.text_colored("members.offline", ui.tr("活动成员需要联网查看和修改", "Campaign members need the network"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const std::string& error = !error_.empty() ? error_ : members_.error();
  if (!error.empty()) ui.text_colored("members.error", error, kRed);
  const bool can_send = online && may_change && !sending_;
  auto send = [&](MemberChange c) {
    change = std::move(c);
    sending_ = true;
    error_.clear();
  };

  std::vector<std::string> status_labels;
  for (const auto& [value, label] : kStatuses) status_labels.push_back(ui.tr(label));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  if (!items.empty() && ImGui::BeginTable("members.table", 4, flags)) {
    ui.table_headers({{{"客户", "Customer"}}, {{"联系人", "Contact"}}, {{"状态", "Status"}}, {{"操作", "Actions"}}});
    for (size_t i = 0; i < items.size(); ++i) {
      const json& m = items[i];
      const std::string n = std::to_string(i);
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ui.text("members.row." + n, title_of(cache, customers_def(), id_in(m, "customer_id")));
      ImGui::TableSetColumnIndex(1);
      const std::string contact = title_of(cache, contacts_def(), id_in(m, "contact_id"));
      ui.text("members.contact." + n, contact.empty() ? "—" : contact);
      ImGui::TableSetColumnIndex(2);
      int status = -1;
      for (size_t s = 0; s < std::size(kStatuses); ++s)
        if (m.value("status", json()) == kStatuses[s].first) status = static_cast<int>(s);
      ImGui::BeginDisabled(!can_send);
      if (ui.combo("members.status." + n, "", status, status_labels, "—", ui.px(140)) && can_send && status >= 0) {
        json body = {{"customer_id", id_in(m, "customer_id")}, {"status", kStatuses[static_cast<size_t>(status)].first}};
        if (id_in(m, "contact_id")) body["contact_id"] = id_in(m, "contact_id");
        send({"POST", std::move(body), ""});
      }
      ImGui::TableSetColumnIndex(3);
      if (ui.button("members.remove." + n, ui.tr("移除", "Remove")) && can_send)
        remove_ = {{"customer_id", m.value("customer_id", json())}, {"contact_id", m.value("contact_id", json())}};
      ImGui::EndDisabled();
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  if (!remove_.is_null()) {
    // The member asked about, by who it is (the list may be read again while the dialog is open).
    ImGui::OpenPopup("##member_remove");
    if (ImGui::BeginPopupModal("##member_remove", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
      const json& m = remove_;
      const std::string who = title_of(cache, customers_def(), id_in(m, "customer_id"));
      ui.text("members_remove.question", ui.tr("确定从活动中移除“" + who + "”？", "Remove \"" + who + "\" from the campaign?"));
      const DialogAnswer answer = dialog_buttons(ui, "members_remove", ui.tr("移除", "Remove"), can_send);
      if (answer == DialogAnswer::ok) {
        std::string query = "customer_id=" + std::to_string(id_in(m, "customer_id"));
        if (id_in(m, "contact_id")) query += "&contact_id=" + std::to_string(id_in(m, "contact_id"));
        send({"DELETE", nullptr, std::move(query)});
      }
      if (answer != DialogAnswer::none) remove_ = nullptr;
      ImGui::EndPopup();
    }
  }

  if (!may_change) return change;
  // Add: a customer from the cache, and optionally one of its contacts.
  if (!picker_ready_) {
    picker_.reset(cache, customers_def(), customer_);
    picker_ready_ = true;
  }
  ImGui::AlignTextToFramePadding();
  ui.text("members.add.label", ui.tr("添加成员", "Add a member"));
  ImGui::SameLine();
  if (picker_.draw(ui, cache, "members.customer", customer_, ui.px(300))) {
    contacts_.clear();
    contact_choice_ = -1;
    auto ids = customer_.is_number_integer()
                   ? cache.find_ids(contacts_def(), {{"customer_id", std::to_string(customer_.get<int64_t>())}}, 200)
                   : Result<std::vector<int64_t>>(std::vector<int64_t>{});
    if (ids.ok()) {
      auto rows = cache.records(contacts_def(), *ids);
      if (rows.ok())
        for (const auto& [cid, row] : *rows) contacts_.push_back({cid, record_title(contacts_def(), row)});
    }
  }
  ImGui::SameLine();
  std::vector<std::string> contact_names;
  for (const auto& c : contacts_) contact_names.push_back(c.second);
  ui.combo("members.with_contact", "", contact_choice_, contact_names, ui.tr("（整个客户）", "(the whole customer)"), ui.px(180));
  ImGui::SameLine();
  const bool ready = can_send && customer_.is_number_integer();
  ImGui::BeginDisabled(!ready);
  if (ui.button("members.add", ui.tr("添加", "Add")) && ready) {
    json body = {{"customer_id", customer_}};
    if (contact_choice_ >= 0) body["contact_id"] = contacts_[static_cast<size_t>(contact_choice_)].first;
    send({"POST", std::move(body), ""});
    customer_ = nullptr;
    picker_.reset(cache, customers_def(), nullptr);
    contacts_.clear();
    contact_choice_ = -1;
  }
  ImGui::EndDisabled();
  return change;
}

}  // namespace kehu::client
