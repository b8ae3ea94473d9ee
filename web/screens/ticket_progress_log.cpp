#include "web/screens/ticket_progress_log.h"

#include <imgui.h>

#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

ServerList& TicketProgressLog::log_of(int64_t ticket_id) {
  if (ticket_id != ticket_id_) {
    ticket_id_ = ticket_id;
    log_.clear();
    note_.clear();
    pending_.clear();
  }
  return log_;
}

std::optional<std::string> TicketProgressLog::draw(Ui& ui, LocalCache& cache, bool online, bool may_add) {
  std::optional<std::string> added;
  ImGui::Spacing();
  ImGui::Separator();
  const json& entries = log_.items();
  // A note added here leaves "waiting" once the log read from the server holds it.
  std::erase_if(pending_, [&](const std::string& text) {
    for (const auto& e : entries)
      if (e.value("text", json()) == json(text)) return true;
    return false;
  });
  ui.text("progress.title", ui.tr("处理进度", "Progress") + " (" + std::to_string(entries.size()) + ")");
  if (!online && entries.empty())
    ui.text_colored("progress.offline", ui.tr("离线时无法读取处理进度，联网后自动显示", "The progress log shows once you are online again"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  else if (!log_.error().empty())
    ui.text_colored("progress.error", log_.error(), kRed);
  {
    const FieldDef* status = tickets_def().field("status");
    int n = 0;
    for (const auto& e : entries) {
      std::string line = local_time_text(ui, e.value("at", json()).is_string() ? e["at"].get<std::string>() : "") + "  ";
      const json who = e.value("user_id", json());
      line += who.is_number_integer() ? cache.user_name(who.get<int64_t>()) : ui.tr("系统", "system");
      const json from = e.value("from_status", json()), to = e.value("to_status", json());
      if (status && to.is_string())
        line += "  " + (from.is_string() ? ui.tr(value_label(*status, from.get<std::string>())) + " → " : std::string()) +
                ui.tr(value_label(*status, to.get<std::string>()));
      if (e.value("text", json()).is_string()) line += ui.tr("：", ": ") + e["text"].get<std::string>();
      ImGui::PushTextWrapPos(0);
      ui.text("progress.entry." + std::to_string(n++), line);
      ImGui::PopTextWrapPos();
    }
  }
  for (size_t i = 0; i < pending_.size(); ++i)
    ui.text_colored("progress.pending." + std::to_string(i), pending_[i] + ui.tr("（待发送）", " (waiting to be sent)"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (may_add) {
    const float button_w = ImGui::CalcTextSize(ui.tr("添加进度", "Add note").c_str()).x + ui.px(24);
    ui.input("progress.input", "", note_, ui.tr("写下处理进展…", "What was done…"), false,
             ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x);
    ImGui::SameLine();
    const bool has_text = note_.find_first_not_of(" \t\n") != std::string::npos;
    ImGui::BeginDisabled(!has_text);
    if (ui.button("progress.add", ui.tr("添加进度", "Add note"), button_w) && has_text) {
      added = note_;
    }
    ImGui::EndDisabled();
  }
  return added;
}

void TicketProgressLog::note_queued(const std::string& text) {
  pending_.push_back(text);
  note_.clear();
}

}  // namespace kehu::client
