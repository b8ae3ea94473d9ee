#include "web/screens/customer_form_screen.h"

#include <imgui.h>

#include "core/entity/validation.h"
#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {

// The fields a person edits, in form order (server-maintained and structured fields are left out).
const std::vector<std::string>& form_fields() {
  static const std::vector<std::string> kFields = {"name",  "code",    "type",    "source", "level",   "status", "industry",
                                                   "phone", "email",   "address", "region", "website", "tags",   "notes"};
  return kFields;
}

}  // namespace

void CustomerFormScreen::open_new() {
  id_ = 0;
  base_rev_ = 0;
  original_ = json::object();
  text_.clear();
  choice_.clear();
  field_errors_.clear();
  error_.clear();
  for (const auto& name : form_fields()) {
    const FieldDef* f = customers_def().field(name);
    if (f->type == FieldType::enumerated) choice_[name] = -1;
    else text_[name] = "";
  }
}

void CustomerFormScreen::open_edit(const json& record) {
  open_new();
  id_ = record.value("id", int64_t{0});
  base_rev_ = record.value("rev", int64_t{0});
  original_ = record;
  for (const auto& name : form_fields()) {
    const FieldDef* f = customers_def().field(name);
    json v = record.value(name, json());
    if (f->type == FieldType::enumerated) {
      choice_[name] = -1;
      for (size_t i = 0; i < f->values.size(); ++i)
        if (v.is_string() && f->values[i] == v.get<std::string>()) choice_[name] = static_cast<int>(i);
    } else {
      text_[name] = name == "code" && id_ < 0 ? "" : value_to_edit_text(*f, v);
    }
  }
}

void CustomerFormScreen::show_error(const std::string& message, const std::map<std::string, std::string>& fields) {
  error_ = message;
  field_errors_ = fields;
}

std::optional<FormIntent> CustomerFormScreen::submit(Ui& ui) {
  const EntityDef& e = customers_def();
  json values = json::object();
  for (const auto& name : form_fields()) {
    const FieldDef* f = e.field(name);
    json v = f->type == FieldType::enumerated
                 ? (choice_[name] >= 0 ? json(f->values[static_cast<size_t>(choice_[name])]) : json(nullptr))
                 : edit_text_to_value(*f, text_[name]);
    if (id_ != 0) {  // an edit sends only what changed
      json before = original_.value(name, json());
      if (before == v || (f->type == FieldType::string_list && v.is_null() && before == json::array())) continue;
    } else if (v.is_null()) {
      continue;
    }
    values[name] = v;
  }
  auto valid = validate_input(e, values, id_ == 0 ? WriteMode::create : WriteMode::update);
  if (!valid.ok()) {
    std::map<std::string, std::string> fields;
    for (const auto& [k, t] : valid.error().fields) fields[k] = ui.tr(t);
    show_error(ui.tr(valid.error().message), fields);
    return std::nullopt;
  }
  error_.clear();
  field_errors_.clear();
  return FormIntent{FormIntent::save, std::move(*valid)};
}

std::optional<FormIntent> CustomerFormScreen::draw(Ui& ui, bool saving) {
  std::optional<FormIntent> intent;
  const EntityDef& e = customers_def();
  ui.text("form.title", id_ == 0 ? ui.tr("新建客户", "New customer") : ui.tr("编辑客户", "Edit customer"));
  ImGui::Separator();
  const float label_w = ui.px(110), field_w = ui.px(420);
  ImGui::BeginChild("form.body", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2.2f));
  for (const auto& name : form_fields()) {
    const FieldDef* f = e.field(name);
    std::string label = ui.tr(f->label) + (f->required ? " *" : "");
    ui.text("form.label." + name, label);
    ImGui::SameLine(label_w);
    bool changed = false;
    json value;
    if (f->type == FieldType::enumerated) {
      std::vector<std::string> labels;
      for (const auto& v : f->values) labels.push_back(ui.tr(value_label(*f, v)));
      changed = ui.combo("form." + name, "", choice_[name], labels, ui.tr("（未选择）", "(none)"), field_w);
      value = choice_[name] >= 0 ? json(f->values[static_cast<size_t>(choice_[name])]) : json(nullptr);
    } else if (name == "notes") {
      changed = ui.input_multiline("form." + name, "", text_[name], ui.px(90));
      value = edit_text_to_value(*f, text_[name]);
    } else {
      std::string hint = name == "code" ? ui.tr("留空自动编号", "leave empty to number automatically")
                         : name == "tags" ? ui.tr("用逗号分隔", "separated by commas")
                                          : std::string();
      changed = ui.input("form." + name, "", text_[name], hint, false, field_w);
      value = edit_text_to_value(*f, text_[name]);
    }
    // Core's own check of this field, as the user types: the same rule the server applies.
    if (changed) {
      field_errors_.erase(name);
      if (auto problem = check_field(*f, value)) field_errors_[name] = ui.tr(*problem);
      else if (f->required && value.is_null()) field_errors_[name] = ui.tr("必填", "required");
    }
    auto err = field_errors_.find(name);
    if (err != field_errors_.end()) {
      ImGui::SetCursorPosX(label_w);
      ui.text_colored("form.error." + name, err->second, IM_COL32(220, 60, 60, 255));
    }
  }
  ImGui::EndChild();
  if (!error_.empty()) ui.text_colored("form.error", error_, IM_COL32(220, 60, 60, 255));
  ImGui::BeginDisabled(saving);
  if (ui.button("form.save", saving ? ui.tr("正在保存…", "Saving…") : ui.tr("保存", "Save"), ui.px(120)))
    intent = submit(ui);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ui.button("form.cancel", ui.tr("取消", "Cancel"), ui.px(120))) intent = FormIntent{FormIntent::cancel, {}};
  return intent;
}

}  // namespace kehu::client
