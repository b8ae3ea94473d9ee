#include "web/screens/record_form_screen.h"

#include <imgui.h>

#include "core/clock.h"
#include "core/entity/validation.h"
#include "core/settings/field_options.h"
#include "core/settings/settings.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

namespace {


// A field a person fills in: written by people, and a kind of value a form can hold. The owner is
// changed by the assign action; references to users (assignee) by the workflow actions.
bool is_form_field(const FieldDef& f) {
  if (!f.writable || f.type == FieldType::object) return false;
  if (f.type == FieldType::reference && (f.ref_table == "users" || !find_entity(f.ref_table))) return false;
  return true;
}

bool is_long_text(const FieldDef& f) { return f.type == FieldType::text && f.max_len > 500; }

std::string hint_of(const Ui& ui, const FieldDef& f, bool is_new) {
  if (f.name == "code") return is_new ? ui.tr("留空自动编号", "leave empty to number automatically") : "";
  if (f.type == FieldType::string_list) return ui.tr("用逗号分隔", "separated by commas");
  if (f.type == FieldType::date) return ui.tr("年-月-日，如 2026-11-23", "year-month-day, e.g. 2026-11-23");
  if (f.type == FieldType::datetime) return ui.tr("年-月-日 时:分，如 2026-11-23 09:30", "year-month-day hour:minute, e.g. 2026-11-23 09:30");
  if (f.format == TextFormat::money) return ui.tr("金额，如 12500.00", "amount, e.g. 12500.00");
  if (f.format == TextFormat::currency) return ui.tr("留空为 CNY", "CNY when empty");
  return "";
}

}  // namespace

void RecordFormScreen::open_new(const Ui& ui, LocalCache& cache, const EntityDef& entity, const json& preset) {
  utc_offset_ = ui.utc_offset();
  entity_ = &entity;
  id_ = 0;
  base_rev_ = 0;
  original_ = json::object();
  fields_.clear();
  text_.clear();
  choice_.clear();
  flag_.clear();
  reference_.clear();
  pickers_.clear();
  lines_.clear();
  field_errors_.clear();
  error_.clear();
  duplicate_ = false;
  duplicate_of_ = {};
  filled_ = false;
  options_.clear();
  settings_ = cache.settings();
  choices_ = writable_choices(settings_, entity);
  for (const auto& f : entity.fields) {
    if (!is_form_field(f)) continue;
    fields_.push_back(&f);
    const json v = preset.is_object() ? preset.value(f.name, json()) : json();
    switch (f.type) {
      case FieldType::enumerated: {
        // The settings' choices; a retired one only when the record has it (it may keep it).
        auto& options = options_[f.name];
        choice_[f.name] = -1;
        for (auto& o : field_options(settings_, entity, f)) {
          const bool current = v.is_string() && o.value == v.get<std::string>();
          if (o.retired && !current) continue;
          if (current) choice_[f.name] = static_cast<int>(options.size());
          options.push_back(std::move(o));
        }
        break;
      }
      case FieldType::boolean:
        flag_[f.name] = v.is_boolean() && v.get<bool>();
        break;
      case FieldType::reference:
        reference_[f.name] = v;
        pickers_[f.name].reset(cache, *find_entity(f.ref_table), v);
        break;
      case FieldType::item_list: {
        const FieldDef money_field = [] {
          FieldDef m;
          m.type = FieldType::integer;
          m.format = TextFormat::money;
          return m;
        }();
        for (const auto& item : v.is_array() ? v : json::array()) {
          Line line;
          line.product_id = item.value("product_id", json());
          line.product.reset(cache, products_def(), line.product_id);
          line.quantity = item.value("quantity", json()).is_number_integer() ? std::to_string(item["quantity"].get<int64_t>()) : "";
          line.unit_price = value_to_edit_text(money_field, item.value("unit_price", json()), 0);
          lines_.push_back(std::move(line));
        }
        if (lines_.empty()) {
          lines_.emplace_back();
          lines_.back().product.reset(cache, products_def(), nullptr);
        }
        break;
      }
      default:
        text_[f.name] = value_to_edit_text(f, v, utc_offset_);
    }
  }
  custom_ = custom_fields_of(settings_, entity);
  const json custom = preset.is_object() ? preset.value("custom", json()) : json();
  for (auto& c : custom_) {
    const std::string name = "custom." + c.key;
    const json v = custom.is_object() ? custom.value(c.key, json()) : json();
    if (c.type == CustomType::boolean) {
      flag_[name] = v.is_boolean() && v.get<bool>();
    } else if (c.type == CustomType::option) {
      // A value the admin has since taken off the choices stays on offer for this record, so editing
      // another field keeps it (the server lets an unchanged old value stand).
      if (v.is_string() && std::find(c.options.begin(), c.options.end(), v.get<std::string>()) == c.options.end())
        c.options.push_back(v.get<std::string>());
      auto at = std::find(c.options.begin(), c.options.end(), v.is_string() ? v.get<std::string>() : std::string());
      choice_[name] = at == c.options.end() ? -1 : static_cast<int>(at - c.options.begin());
    } else {
      text_[name] = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
}

void RecordFormScreen::open_edit(const Ui& ui, LocalCache& cache, const EntityDef& entity, const json& record) {
  open_new(ui, cache, entity, record);
  id_ = record.value("id", int64_t{0});
  base_rev_ = record.value("rev", int64_t{0});
  original_ = record;
  if (id_ < 0 && text_.count("code")) text_["code"] = "";  // a local record's code is the server's to give
}

void RecordFormScreen::open_edit_filled(const Ui& ui, LocalCache& cache, const EntityDef& entity, const json& record,
                                        const json& additions) {
  auto empty = [](const json& v) { return v.is_null() || v == json("") || v == json::array(); };
  json filled = record;
  for (const auto& [name, value] : additions.items()) {
    if (name == "id" || name == "rev" || value.is_null()) continue;
    if (name == "custom" && value.is_object()) {  // custom fields one by one, like the others
      json custom = record.value("custom", json::object());
      if (!custom.is_object()) custom = json::object();
      for (const auto& [key, v] : value.items())
        if (!v.is_null() && empty(custom.value(key, json()))) custom[key] = v;
      filled["custom"] = std::move(custom);
    } else if (empty(record.value(name, json()))) {
      filled[name] = value;
    }
  }
  open_edit(ui, cache, entity, filled);
  original_ = record;  // what is sent is what differs from the record: the fields filled in
  filled_ = true;
}

void RecordFormScreen::open_edit_over(const Ui& ui, LocalCache& cache, const EntityDef& entity, const json& record, const json& edits) {
  json shown = record;
  for (const auto& [name, value] : edits.items()) {
    if (name == "id" || name == "rev" || name == "force") continue;
    if (name == "custom" && value.is_object()) {
      if (!shown["custom"].is_object()) shown["custom"] = json::object();
      for (const auto& [key, v] : value.items()) shown["custom"][key] = v;
    } else {
      shown[name] = value;
    }
  }
  open_edit(ui, cache, entity, shown);
  original_ = record;
}

json RecordFormScreen::record_now() const {
  json now = original_;
  for (const FieldDef* f : fields_) now[f->name] = value_of(*f);
  return now;
}

void RecordFormScreen::show_error(const std::string& message, const std::map<std::string, std::string>& fields) {
  error_ = message;
  field_errors_ = fields;
  duplicate_ = false;
}

void RecordFormScreen::show_duplicate(const std::string& message, bool may_override, DuplicateInCache other) {
  show_error(message, {});
  duplicate_ = true;
  may_force_ = may_override;
  duplicate_of_ = std::move(other);
}

json RecordFormScreen::value_of(const FieldDef& f) const {
  switch (f.type) {
    case FieldType::enumerated: {
      int i = choice_.at(f.name);
      return i >= 0 ? json(options_.at(f.name)[static_cast<size_t>(i)].value) : json(nullptr);
    }
    case FieldType::boolean: return flag_.at(f.name);
    case FieldType::reference: return reference_.at(f.name);
    case FieldType::item_list: {
      FieldDef money_field;
      money_field.type = FieldType::integer;
      money_field.format = TextFormat::money;
      FieldDef count_field;
      count_field.type = FieldType::integer;
      json items = json::array();
      for (const auto& line : lines_) {
        if (line.product_id.is_null() && line.quantity.empty() && line.unit_price.empty()) continue;  // an empty row
        json item = {{"product_id", line.product_id}, {"quantity", edit_text_to_value(count_field, line.quantity, 0)}};
        json price = edit_text_to_value(money_field, line.unit_price, 0);
        if (!price.is_null()) item["unit_price"] = price;
        items.push_back(std::move(item));
      }
      return items.empty() ? json(nullptr) : items;
    }
    default: return edit_text_to_value(f, text_.at(f.name), utc_offset_);
  }
}

json RecordFormScreen::custom_value_of(const CustomField& c) const {
  const std::string name = "custom." + c.key;
  switch (c.type) {
    case CustomType::boolean: return flag_.at(name);
    case CustomType::option: {
      int i = choice_.at(name);
      return i >= 0 ? json(c.options[static_cast<size_t>(i)]) : json(nullptr);
    }
    case CustomType::number: {
      const std::string& text = text_.at(name);
      if (text.empty()) return nullptr;
      json parsed = json::parse(text, nullptr, false);
      return parsed.is_number() ? parsed : json(text);  // the check names a text that is not a number
    }
    default: {
      const std::string& text = text_.at(name);
      return text.empty() ? json(nullptr) : json(text);
    }
  }
}

json RecordFormScreen::custom_values() const {
  json before = original_.value("custom", json());
  json out = before.is_object() ? before : json::object();  // keys of fields no longer defined stay
  for (const auto& c : custom_) {
    json v = custom_value_of(c);
    if (v.is_null() || (c.type == CustomType::boolean && v == json(false) && !out.contains(c.key))) out.erase(c.key);
    else out[c.key] = std::move(v);
  }
  return out;
}

std::optional<FormIntent> RecordFormScreen::submit(Ui& ui) {
  json values = json::object();
  for (const FieldDef* f : fields_) {
    json v = value_of(*f);
    if (id_ != 0) {  // an edit sends only what changed
      json before = original_.value(f->name, json());
      if (f->type == FieldType::boolean && before.is_null()) before = false;
      if (before == v || (f->type == FieldType::string_list && v.is_null() && before == json::array())) continue;
      // A time whose text was not edited is not sent: the form shows minutes, so writing back what it
      // shows would drop a stored time's seconds.
      if (f->type == FieldType::datetime && text_.at(f->name) == value_to_edit_text(*f, before, utc_offset_)) continue;
    } else if (v.is_null() || (f->type == FieldType::boolean && v == json(false))) {
      continue;
    }
    values[f->name] = v;
  }
  const json before_custom = original_.value("custom", json());
  if (!custom_.empty()) {
    json custom = custom_values();
    const bool changed = custom != (before_custom.is_object() ? before_custom : json::object());
    if (changed || (id_ == 0 && !custom.empty())) values["custom"] = std::move(custom);
  }
  // The same checks as the server: the settings' option lists and custom field definitions too.
  auto valid = validate_input(*entity_, values, id_ == 0 ? WriteMode::create : WriteMode::update, &choices_);
  if (valid.ok() && !custom_.empty()) {
    Status custom_ok = check_custom_values(settings_, *entity_, values.value("custom", custom_values()), before_custom, id_ == 0);
    if (!custom_ok.ok()) valid = custom_ok.take_error();
  }
  if (!valid.ok()) {
    std::map<std::string, std::string> fields;
    for (const auto& [k, t] : valid.error().fields) fields[k] = ui.tr(t);
    // The form takes times in local time: say so rather than core's RFC 3339 example.
    for (const FieldDef* f : fields_)
      if (f->type == FieldType::datetime && fields.count(f->name))
        fields[f->name] = ui.label(f->label) + ui.tr("应为时间，如 2026-11-23 09:30", " must be a time like 2026-11-23 09:30");
    show_error(ui.tr(valid.error().message), fields);
    return std::nullopt;
  }
  error_.clear();
  field_errors_.clear();
  duplicate_ = false;
  return FormIntent{FormIntent::save, std::move(*valid)};
}

bool RecordFormScreen::draw_lines(Ui& ui, LocalCache& cache, float width) {
  bool changed = false;
  ImGui::BeginGroup();
  const float product_w = width * 0.5f, small_w = width * 0.18f;
  std::optional<size_t> remove;
  for (size_t i = 0; i < lines_.size(); ++i) {
    Line& line = lines_[i];
    const std::string id = "form.items." + std::to_string(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginGroup();
    if (line.product.draw(ui, cache, id + ".product", line.product_id, product_w)) {
      line.unit_price.clear();  // another product: its own list price unless one is typed
      changed = true;
    }
    ImGui::EndGroup();
    ImGui::SameLine();
    changed |= ui.input(id + ".quantity", "", line.quantity, ui.tr("数量", "quantity"), false, small_w);
    ImGui::SameLine();
    changed |= ui.input(id + ".unit_price", "", line.unit_price, ui.tr("单价（空=产品价）", "price (empty: list price)"), false, small_w);
    ImGui::SameLine();
    if (lines_.size() > 1 && ui.button(id + ".remove", ui.tr("删除此行", "Remove line"))) remove = i;
    ImGui::PopID();
  }
  if (remove) {
    lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(*remove));
    changed = true;
  }
  if (lines_.size() < 200 && ui.button("form.items.add", ui.tr("+ 添加一行", "+ Add a line"))) {
    lines_.emplace_back();
    lines_.back().product.reset(cache, products_def(), nullptr);
  }
  ImGui::EndGroup();
  return changed;
}

void RecordFormScreen::draw_field_error(Ui& ui, const std::string& name, float indent) {
  auto err = field_errors_.find(name);
  if (err == field_errors_.end()) return;
  ImGui::SetCursorPosX(indent);
  ui.text_colored("form.error." + name, err->second, kRed);
}

std::optional<FormIntent> RecordFormScreen::draw(Ui& ui, LocalCache& cache, bool saving) {
  std::optional<FormIntent> intent;
  if (!entity_) return intent;
  const EntityDef& e = *entity_;
  ui.text("form.heading", id_ == 0 ? ui.tr("新建" + e.label.zh, "New " + e.label.en) : ui.tr("编辑" + e.label.zh, "Edit " + e.label.en));
  if (filled_)
    ui.text_colored("form.filled", ui.tr("已把刚才填写的内容补充到空白字段，请核对后保存。", "What you typed has been added to the empty fields; check them, then save."),
                    kGreen);
  ImGui::Separator();
  const float label_w = ui.px(120), field_w = ui.px(420);
  // The fields scroll; below them stay the error, the duplicate answer and the buttons, in view.
  const bool duplicate_choices = duplicate_ && !saving && (may_force_ || duplicate_of_.record.is_object());
  const float footer_lines = 1.2f + (error_.empty() ? 0 : 1) + (duplicate_ ? 1 : 0) + (duplicate_choices ? 1 : 0);
  ImGui::BeginChild("form.body", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * footer_lines));
  for (const FieldDef* fp : fields_) {
    const FieldDef& f = *fp;
    const std::string id = "form." + f.name;
    ui.text("form.label." + f.name, ui.label(f.label) + (f.required ? " *" : ""));
    ImGui::SameLine(label_w);
    const bool locked = f.immutable && id_ > 0;  // set when created, fixed after
    ImGui::BeginDisabled(locked);
    bool changed = false;
    switch (f.type) {
      case FieldType::enumerated: {
        std::vector<std::string> labels;
        for (const auto& o : options_[f.name]) labels.push_back(ui.tr(o.label) + (o.retired ? ui.tr("（已停用）", " (retired)") : ""));
        changed = ui.combo(id, "", choice_[f.name], labels, ui.tr("（未选择）", "(none)"), field_w);
        break;
      }
      case FieldType::boolean:
        changed = ui.checkbox(id, "", flag_[f.name]);
        break;
      case FieldType::reference:
        changed = pickers_[f.name].draw(ui, cache, id, reference_[f.name], field_w);
        break;
      case FieldType::item_list:
        changed = draw_lines(ui, cache, ImGui::GetContentRegionAvail().x);
        break;
      default:
        changed = is_long_text(f) ? ui.input_multiline(id, "", text_[f.name], ui.px(90))
                                  : ui.input(id, "", text_[f.name], hint_of(ui, f, id_ == 0), false, field_w);
    }
    ImGui::EndDisabled();
    // Core's own check of this field, as the user types: the same rule the server applies.
    if (changed) {
      field_errors_.erase(f.name);
      const json value = value_of(f);
      if (auto problem = check_field(f, value, &choices_)) field_errors_[f.name] = ui.tr(*problem);
      else if (f.required && value.is_null()) field_errors_[f.name] = ui.tr("必填", "required");
      if (field_errors_.empty()) error_.clear();  // every marked field fixed: the summary goes too
    }
    draw_field_error(ui, f.name, label_w);
  }
  // The administrator's custom fields (settings), after the built-in ones: form.custom.{key}.
  for (const auto& c : custom_) {
    const std::string name = "custom." + c.key, id = "form." + name;
    ui.text("form.label." + name, ui.label(c.label) + (c.required ? " *" : ""));
    ImGui::SameLine(label_w);
    bool changed = false;
    switch (c.type) {
      case CustomType::boolean: changed = ui.checkbox(id, "", flag_[name]); break;
      case CustomType::option:
        changed = ui.combo(id, "", choice_[name], c.options, ui.tr("（未选择）", "(none)"), field_w);
        break;
      case CustomType::number: changed = ui.input(id, "", text_[name], ui.tr("数字", "a number"), false, field_w); break;
      case CustomType::date:
        changed = ui.input(id, "", text_[name], ui.tr("年-月-日，如 2026-11-23", "year-month-day, e.g. 2026-11-23"), false, field_w);
        break;
      case CustomType::text: changed = ui.input(id, "", text_[name], "", false, field_w); break;
    }
    if (changed) {
      field_errors_.erase(name);
      if (c.required && custom_value_of(c).is_null()) field_errors_[name] = ui.tr("必填", "required");
      if (field_errors_.empty()) error_.clear();
    }
    draw_field_error(ui, name, label_w);
  }
  ImGui::EndChild();
  if (!error_.empty()) ui.text_colored("form.error", error_, kRed);
  if (duplicate_) {
    const bool seen = duplicate_of_.record.is_object();
    const bool may_add = seen && duplicate_of_.may_change && id_ == 0;
    // What the user can do, in one sentence: open (and add to) a customer they see, save anyway when their
    // role may, else ask whoever has it.
    Text advice = may_force_ ? Text{"确认不是同一客户后，可以仍然保存（将记入审计日志）。",
                                    "If this is not the same customer, you may save anyway (it is recorded in the audit log)."}
                             : Text{"可能已有同事在跟进该客户，请与其负责人或经理确认。",
                                    "A colleague may already be working with this customer: check with its owner or your manager."};
    if (may_add)
      advice = may_force_ ? Text{"可以打开这个客户，或把刚才填写的内容补充进去；确认不是同一客户后，也可以仍然保存（将记入审计日志）。",
                                 "Open that customer, or add what you typed to it; if it is not the same customer, you may save anyway (recorded in the audit log)."}
                          : Text{"可以打开这个客户，或把刚才填写的内容补充进去。", "Open that customer, or add what you typed to it."};
    else if (seen && !may_force_)
      advice = {"可以打开这个客户查看；公海中的客户可以领取。", "Open that customer to see it; one in the pool can be claimed."};
    ui.text("form.duplicate", ui.tr(advice));
    if (may_force_ && !saving && ui.button("form.force", ui.tr("仍然保存", "Save anyway"))) {
      intent = submit(ui);
      if (intent) intent->force = true;
    }
    if (seen && !saving) {
      // The other customer is one the user sees: go there instead of making a second.
      const int64_t other = duplicate_of_.record.value("id", int64_t{0});
      const std::string open_label = ui.tr("打开已有客户：", "Open the existing customer: ") + record_title(e, duplicate_of_.record);
      if (may_force_) ui.same_line_if_fits(ImGui::CalcTextSize(open_label.c_str()).x + ui.px(16));
      if (ui.button("form.duplicate.open", open_label)) intent = FormIntent{FormIntent::open_existing, {}, false, other};
      if (may_add) {
        const std::string fill_label = ui.tr("补充到已有客户", "Add this to the existing customer");
        ui.same_line_if_fits(ImGui::CalcTextSize(fill_label.c_str()).x + ui.px(16));
        if (ui.button("form.duplicate.fill", fill_label)) {
          if (auto typed = submit(ui)) intent = FormIntent{FormIntent::fill_existing, std::move(typed->values), false, other};
        }
      }
    }
  }
  ImGui::BeginDisabled(saving);
  if (ui.button("form.save", saving ? ui.tr("正在保存…", "Saving…") : ui.tr("保存", "Save"), ui.px(120))) intent = submit(ui);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ui.button("form.cancel", ui.tr("取消", "Cancel"), ui.px(120))) intent = FormIntent{FormIntent::cancel, {}};
  return intent;
}

}  // namespace kehu::client
