#include "web/screens/settings_admin_screen.h"

#include <algorithm>
#include <cfloat>
#include <optional>

#include <imgui.h>

#include "core/settings/settings.h"
#include "core/text/utf8.h"
#include "core/users/role_rights.h"
#include "core/users/user_store.h"
#include "web/screens/module_menu.h"
#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"
#include "web/ui/colors.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {


struct CustomTypeName {
  const char* value;
  Text label;
};
const CustomTypeName kCustomTypes[] = {{"text", {"文本", "Text"}},         {"number", {"数字", "Number"}},
                                       {"date", {"日期", "Date"}},         {"boolean", {"是/否", "Yes or no"}},
                                       {"option", {"下拉选项", "Choice"}}};
constexpr int kOptionType = 4;

const char* const kSections[] = {"option_lists", "custom_fields", "menus"};

json sections_of(const json& doc) {
  json out = json::object();
  for (const char* s : kSections) out[s] = doc.is_object() ? doc.value(s, json::object()) : json::object();
  return out;
}

std::string list_key(const OptionListField& f) { return f.entity->name + "." + f.field->name; }

// "客户 · 客户来源"
std::string list_title(const Ui& ui, const OptionListField& f) {
  return ui.tr(module_title(*f.entity)) + " · " + ui.label(f.field->label);
}

std::string role_title(const Ui& ui, const std::string& role) {
  return ui.tr(value_label(*users_def().field("role"), role));
}

// An option field's choices as typed: separated by commas (, ， 、), trimmed, empty ones dropped.
json split_options(const std::string& text) {
  json out = json::array();
  std::string part;
  auto flush = [&] {
    std::string t(trim(part));
    if (!t.empty()) out.push_back(t);
    part.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ',') {
      flush();
      ++i;
    } else if (text.compare(i, 3, "，") == 0 || text.compare(i, 3, "、") == 0) {
      flush();
      i += 3;
    } else {
      part += text[i++];
    }
  }
  flush();
  return out;
}

// The row number in a path's part after `prefix` ("option_lists.customers.source." + "2.value" -> 2).
std::optional<size_t> row_of(const std::string& path, const std::string& prefix) {
  if (path.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  size_t i = prefix.size(), n = 0;
  if (i >= path.size() || path[i] < '0' || path[i] > '9') return std::nullopt;
  for (; i < path.size() && path[i] >= '0' && path[i] <= '9'; ++i) n = n * 10 + static_cast<size_t>(path[i] - '0');
  return n;
}

}  // namespace

void SettingsAdminScreen::reset() {
  document_.clear();
  draft_ = nullptr;
  section_ = Section::options;
  list_choice_ = entity_choice_ = 0;
  option_rows_.clear();
  custom_rows_.clear();
  sending_ = adopt_next_ = false;
  errors_.clear();
  error_.clear();
  notice_.clear();
}

void SettingsAdminScreen::saved(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  errors_.clear();
  if (answer.status == 200) {
    notice_ = ui.tr("设置已保存，所有用户同步后生效", "Settings saved; everyone sees them after their next sync");
    error_.clear();
    // Read again from scratch: an answer to a read made before the save would show the old settings.
    document_.clear();
    adopt_next_ = true;  // the document read next is what was saved
    return;
  }
  notice_.clear();
  error_ = server_message(ui, answer);
  const json body = json::parse(answer.body, nullptr, false);
  if (body.is_object() && body.value("error", json()).is_object() && body["error"].value("fields", json()).is_object())
    for (const auto& [path, why] : body["error"]["fields"].items())
      if (why.is_string()) errors_[path] = why.get<std::string>();
  checked_ = draft_;
}

void SettingsAdminScreen::start_draft() {
  draft_ = sections_of(document_.document());
  load_option_rows();
  load_custom_rows();
}

bool SettingsAdminScreen::dirty() const { return !draft_.is_null() && draft_ != sections_of(document_.document()); }

std::string SettingsAdminScreen::errors_at(const std::string& path) const {
  std::string out;
  for (const auto& [p, why] : errors_)
    if (p == path || p.compare(0, path.size() + 1, path + ".") == 0) out += (out.empty() ? "" : "\n") + why;
  return out;
}

std::vector<std::string> SettingsAdminScreen::errors_elsewhere(const Ui& ui) const {
  const auto lists = option_list_fields();
  const auto types = custom_field_entities();
  std::string shown;
  if (section_ == Section::options && list_choice_ < static_cast<int>(lists.size()))
    shown = "option_lists." + list_key(lists[static_cast<size_t>(list_choice_)]);
  else if (section_ == Section::custom && entity_choice_ < static_cast<int>(types.size()))
    shown = "custom_fields." + types[static_cast<size_t>(entity_choice_)]->name;
  else if (section_ == Section::menus)
    shown = "menus";
  std::vector<std::string> out;
  for (const auto& [path, why] : errors_) {
    if (!shown.empty() && (path == shown || path.compare(0, shown.size() + 1, shown + ".") == 0)) continue;
    std::string where = path;
    for (const auto& f : lists) {
      const std::string base = "option_lists." + list_key(f);
      if (path == base || path.compare(0, base.size() + 1, base + ".") == 0) {
        where = ui.tr("选项列表「", "Option list “") + list_title(ui, f) + ui.tr("」", "”");
        if (auto row = row_of(path, base + ".")) where += ui.tr("第 " + std::to_string(*row + 1) + " 行", ", row " + std::to_string(*row + 1));
      }
    }
    for (const EntityDef* e : types) {
      const std::string base = "custom_fields." + e->name;
      if (path == base || path.compare(0, base.size() + 1, base + ".") == 0) {
        where = ui.tr("自定义字段「", "Custom fields of “") + ui.tr(module_title(*e)) + ui.tr("」", "”");
        if (auto row = row_of(path, base + ".")) where += ui.tr("第 " + std::to_string(*row + 1) + " 行", ", row " + std::to_string(*row + 1));
      }
    }
    if (path.compare(0, 6, "menus.") == 0) where = ui.tr("菜单「", "Menu of “") + role_title(ui, path.substr(6)) + ui.tr("」", "”");
    out.push_back(where + ui.tr("：", ": ") + why);
  }
  return out;
}

std::optional<json> SettingsAdminScreen::draw(Ui& ui, bool online) {
  std::optional<json> intent;
  if (document_.take_new_answer() && (adopt_next_ || !dirty())) {
    adopt_next_ = false;
    start_draft();
  }
  draw_server_page_head(ui,
                        {"settings", {"系统设置", "Settings"},
                         {"修改设置需要联网；恢复网络后自动读取", "Changing settings needs the network; they are read once you are online"}},
                        online, !error_.empty() ? error_ : document_.error(), notice_);
  if (draft_.is_null()) {
    if (online) ui.text("settings.loading", ui.tr("正在读取设置…", "Reading the settings…"));
    return intent;
  }

  // The sections, then save and undo for the whole draft.
  const struct {
    const char* id;
    Text label;
    Section section;
  } sections[] = {{"settings.section.options", {"选项列表", "Option lists"}, Section::options},
                  {"settings.section.custom", {"自定义字段", "Custom fields"}, Section::custom},
                  {"settings.section.menus", {"角色菜单", "Menus by role"}, Section::menus}};
  ImGui::Spacing();
  for (const auto& s : sections) {
    const bool current = section_ == s.section;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ui.button(s.id, ui.tr(s.label))) section_ = s.section;
    if (current) ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  ImGui::SameLine(0, ui.px(40));
  const bool changed = dirty();
  ImGui::BeginDisabled(!changed || !online || sending_);
  if (ui.button("settings.save", ui.tr("保存设置", "Save settings")) && changed && online && !sending_) {
    // Checked with the server's own rules first: a mistake is shown at its row without a round trip.
    notice_.clear();
    if (check_draft(ui)) {
      sending_ = true;
      intent = draft_;
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!changed || sending_);  // a draft can be undone offline too
  if (ui.button("settings.undo", ui.tr("撤销修改", "Undo changes")) && changed && !sending_) {
    errors_.clear();
    error_.clear();
    start_draft();
  }
  ImGui::EndDisabled();
  const auto elsewhere = errors_elsewhere(ui);
  for (size_t i = 0; i < elsewhere.size(); ++i) ui.text_colored("settings.elsewhere." + std::to_string(i), elsewhere[i], kRed);
  ImGui::Separator();
  switch (section_) {
    case Section::options: draw_option_lists(ui); break;
    case Section::custom: draw_custom_fields(ui); break;
    case Section::menus: draw_menus(ui); break;
  }
  // While errors show, every edit checks again, so a fixed row loses its mark at once.
  if (!errors_.empty() && !sending_ && draft_ != checked_) check_draft(ui);
  return intent;
}

bool SettingsAdminScreen::check_draft(const Ui& ui) {
  auto valid = validate_settings(draft_, document_.document());
  errors_.clear();
  checked_ = draft_;
  if (valid.ok()) {
    error_.clear();
    return true;
  }
  error_ = ui.tr(valid.error().message);
  for (const auto& [path, why] : valid.error().fields) errors_[path] = ui.tr(why);
  return false;
}

// ---- option lists ----

void SettingsAdminScreen::load_option_rows() {
  option_rows_.clear();
  const auto lists = option_list_fields();
  if (lists.empty()) return;
  list_choice_ = std::clamp(list_choice_, 0, static_cast<int>(lists.size()) - 1);
  const OptionListField& f = lists[static_cast<size_t>(list_choice_)];
  const json saved = sections_of(document_.document())["option_lists"].value(list_key(f), json::array());
  for (const FieldOption& o : field_options(json{{"option_lists", draft_["option_lists"]}}, *f.entity, *f.field)) {
    const bool builtin = std::find(f.field->values.begin(), f.field->values.end(), o.value) != f.field->values.end();
    const bool stored = std::any_of(saved.begin(), saved.end(), [&o](const json& i) { return i.is_object() && i.value("value", json()) == o.value; });
    option_rows_.push_back({o.value, o.label.zh, o.label.en, o.retired, !builtin && !stored});
  }
}

namespace {

// An option list as settings store it: [{value, zh, en, retired?}].
json stored_list(const std::vector<FieldOption>& options) {
  json list = json::array();
  for (const FieldOption& o : options) {
    json item = {{"value", o.value}, {"zh", o.label.zh}, {"en", o.label.en}};
    if (o.retired) item["retired"] = true;
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace

void SettingsAdminScreen::store_option_rows() {
  const auto lists = option_list_fields();
  const OptionListField& f = lists[static_cast<size_t>(list_choice_)];
  std::vector<FieldOption> options;
  for (const OptionRow& r : option_rows_) options.push_back({r.value, Text{r.zh, r.en}, r.retired});
  json list = stored_list(options);
  const std::string key = list_key(f);
  json& drafted = draft_["option_lists"];
  // A list edited back to what it was is no change: back to the saved list, or to none when it is the
  // built-in one, so touching and undoing leaves nothing to save.
  const json saved = sections_of(document_.document())["option_lists"].value(key, json());
  if (list != saved && list == stored_list(field_options(json::object(), *f.entity, *f.field)))
    drafted.erase(key);
  else
    drafted[key] = std::move(list);
}

void SettingsAdminScreen::draw_option_lists(Ui& ui) {
  const auto lists = option_list_fields();
  if (lists.empty()) return;
  std::vector<std::string> titles;
  for (const auto& f : lists) titles.push_back(list_title(ui, f));
  if (ui.combo("settings.list", ui.tr("字段", "Field"), list_choice_, titles, ui.tr("选择字段", "Choose a field"), ui.px(280))) load_option_rows();
  if (list_choice_ < 0) list_choice_ = 0;
  const OptionListField& f = lists[static_cast<size_t>(list_choice_)];
  const std::string base = "option_lists." + list_key(f);
  ImGui::SameLine();
  if (draft_["option_lists"].contains(list_key(f)) &&
      ui.button("settings.list.reset", ui.tr("恢复默认选项", "Back to the built-in options"))) {
    draft_["option_lists"].erase(list_key(f));
    load_option_rows();
  }
  if (f.fixed_values)
    ui.text_colored("settings.list.fixed", ui.tr("这个字段的选项决定流程：只能修改名称和顺序", "These options drive a workflow: only their names and order can change"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  else
    ui.text_colored("settings.list.hint",
                    ui.tr("停用的选项不能再选，已有记录保留并仍可按它筛选", "A retired option can no longer be chosen; records that have it keep it and can still be filtered by it"),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (std::string list_error = errors_.count(base) ? errors_.at(base) : std::string(); !list_error.empty())
    ui.text_colored("settings.list.error", list_error, kRed);

  bool edited = false;
  std::optional<size_t> move_up, move_down, remove;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("settings.options", 5, flags)) {
    ui.table_headers({{{"选项值", "Value"}}, {{"中文名称", "Chinese name"}}, {{"英文名称", "English name"}}, {{"停用", "Retired"}}, {{"操作", "Actions"}}});
    for (size_t i = 0; i < option_rows_.size(); ++i) {
      OptionRow& r = option_rows_[i];
      const std::string id = "settings.option." + std::to_string(i);
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::SetNextItemWidth(-FLT_MIN);
      if (r.is_new) edited |= ui.input(id + ".value", "", r.value, ui.tr("如 wechat", "e.g. wechat"));
      else ui.text(id + ".value", r.value);
      if (std::string why = errors_at(base + "." + std::to_string(i)); !why.empty()) ui.text_colored(id + ".error", why, kRed);
      ImGui::TableSetColumnIndex(1);
      ImGui::SetNextItemWidth(-FLT_MIN);
      edited |= ui.input(id + ".zh", "", r.zh);
      ImGui::TableSetColumnIndex(2);
      ImGui::SetNextItemWidth(-FLT_MIN);
      edited |= ui.input(id + ".en", "", r.en);
      ImGui::TableSetColumnIndex(3);
      ImGui::BeginDisabled(f.fixed_values);
      edited |= ui.checkbox(id + ".retired", "", r.retired);
      ImGui::EndDisabled();
      ImGui::TableSetColumnIndex(4);
      ImGui::BeginDisabled(i == 0);
      if (ui.button(id + ".up", ui.tr("上移", "Up"))) move_up = i;
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(i + 1 == option_rows_.size());
      if (ui.button(id + ".down", ui.tr("下移", "Down"))) move_down = i;
      ImGui::EndDisabled();
      if (r.is_new) {  // a saved value is retired rather than removed: records may have it
        ImGui::SameLine();
        if (ui.button(id + ".remove", ui.tr("删除", "Remove"))) remove = i;
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!f.fixed_values && ui.button("settings.option.add", ui.tr("添加选项", "Add an option"))) {
    option_rows_.push_back({"", "", "", false, true});
    edited = true;
  }
  if (move_up && *move_up > 0) std::swap(option_rows_[*move_up], option_rows_[*move_up - 1]);
  if (move_down && *move_down + 1 < option_rows_.size()) std::swap(option_rows_[*move_down], option_rows_[*move_down + 1]);
  if (remove) option_rows_.erase(option_rows_.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (edited || move_up || move_down || remove) store_option_rows();
}

// ---- custom fields ----

void SettingsAdminScreen::load_custom_rows() {
  custom_rows_.clear();
  const auto types = custom_field_entities();
  if (types.empty()) return;
  entity_choice_ = std::clamp(entity_choice_, 0, static_cast<int>(types.size()) - 1);
  const std::string& entity = types[static_cast<size_t>(entity_choice_)]->name;
  const json saved = sections_of(document_.document())["custom_fields"].value(entity, json::array());
  for (const auto& def : draft_["custom_fields"].value(entity, json::array())) {
    if (!def.is_object()) continue;
    CustomRow r;
    r.key = def.value("key", "");
    r.zh = def.value("zh", "");
    r.en = def.value("en", "");
    const std::string type = def.value("type", "text");
    for (int t = 0; t < static_cast<int>(std::size(kCustomTypes)); ++t)
      if (type == kCustomTypes[t].value) r.type = t;
    for (const auto& o : def.value("options", json::array()))
      if (o.is_string()) r.options += (r.options.empty() ? "" : ", ") + o.get<std::string>();
    r.required = def.value("required", false);
    r.is_new = std::none_of(saved.begin(), saved.end(), [&r](const json& d) { return d.is_object() && d.value("key", json()) == r.key; });
    custom_rows_.push_back(std::move(r));
  }
}

void SettingsAdminScreen::store_custom_rows() {
  const auto types = custom_field_entities();
  const std::string& entity = types[static_cast<size_t>(entity_choice_)]->name;
  json defs = json::array();
  for (const CustomRow& r : custom_rows_) {
    json def = {{"key", r.key}, {"zh", r.zh}, {"en", r.en}, {"type", kCustomTypes[r.type].value}};
    if (r.type == kOptionType) def["options"] = split_options(r.options);
    if (r.required) def["required"] = true;
    defs.push_back(std::move(def));
  }
  if (defs.empty()) draft_["custom_fields"].erase(entity);
  else draft_["custom_fields"][entity] = std::move(defs);
}

void SettingsAdminScreen::draw_custom_fields(Ui& ui) {
  const auto types = custom_field_entities();
  if (types.empty()) return;
  std::vector<std::string> titles;
  for (const EntityDef* e : types) titles.push_back(ui.tr(module_title(*e)));
  if (ui.combo("settings.entity", ui.tr("记录类型", "Record type"), entity_choice_, titles, ui.tr("选择记录类型", "Choose a record type"), ui.px(200)))
    load_custom_rows();
  if (entity_choice_ < 0) entity_choice_ = 0;
  const std::string base = "custom_fields." + types[static_cast<size_t>(entity_choice_)]->name;
  ui.text_colored("settings.custom.hint",
                  ui.tr("表单按这里的顺序显示自定义字段；删除字段后，已有记录的值仍保留", "Forms show these fields in this order; removing one keeps the values records already have"),
                  ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (std::string why = errors_.count(base) ? errors_.at(base) : std::string(); !why.empty())
    ui.text_colored("settings.custom.error", why, kRed);

  std::vector<std::string> type_labels;
  for (const auto& t : kCustomTypes) type_labels.push_back(ui.tr(t.label));
  bool edited = false;
  std::optional<size_t> remove;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("settings.custom", 7, flags)) {
    ui.table_headers({{{"键名", "Key"}}, {{"中文名称", "Chinese name"}}, {{"英文名称", "English name"}}, {{"类型", "Type"}},
                      {{"选项（逗号分隔）", "Choices (comma separated)"}}, {{"必填", "Required"}}, {{"操作", "Actions"}}});
    for (size_t i = 0; i < custom_rows_.size(); ++i) {
      CustomRow& r = custom_rows_[i];
      const std::string id = "settings.custom." + std::to_string(i);
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::SetNextItemWidth(-FLT_MIN);
      // A saved field's key and type stay: records keep their values under the key.
      if (r.is_new) edited |= ui.input(id + ".key", "", r.key, ui.tr("如 scale", "e.g. scale"));
      else ui.text(id + ".key", r.key);
      if (std::string why = errors_at(base + "." + std::to_string(i)); !why.empty()) ui.text_colored(id + ".error", why, kRed);
      ImGui::TableSetColumnIndex(1);
      ImGui::SetNextItemWidth(-FLT_MIN);
      edited |= ui.input(id + ".zh", "", r.zh);
      ImGui::TableSetColumnIndex(2);
      ImGui::SetNextItemWidth(-FLT_MIN);
      edited |= ui.input(id + ".en", "", r.en);
      ImGui::TableSetColumnIndex(3);
      if (r.is_new) {
        int type = r.type;
        if (ui.combo(id + ".type", "", type, type_labels, type_labels[0], -FLT_MIN) && type >= 0) {
          r.type = type;
          edited = true;
        }
      } else {
        ui.text(id + ".type", type_labels[static_cast<size_t>(r.type)]);
      }
      ImGui::TableSetColumnIndex(4);
      if (r.type == kOptionType) {
        ImGui::SetNextItemWidth(-FLT_MIN);
        edited |= ui.input(id + ".options", "", r.options, ui.tr("如 小型, 中型, 大型", "e.g. small, medium, large"));
      }
      ImGui::TableSetColumnIndex(5);
      edited |= ui.checkbox(id + ".required", "", r.required);
      ImGui::TableSetColumnIndex(6);
      if (ui.button(id + ".remove", ui.tr("删除", "Remove"))) remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (ui.button("settings.custom.add", ui.tr("添加自定义字段", "Add a custom field"))) {
    custom_rows_.push_back(CustomRow{});
    custom_rows_.back().is_new = true;
    edited = true;
  }
  if (remove) custom_rows_.erase(custom_rows_.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (edited || remove) store_custom_rows();
}

// ---- menus ----

void SettingsAdminScreen::draw_menus(Ui& ui) {
  ui.text_colored("settings.menus.hint",
                  ui.tr("勾选每个角色在侧栏看到的栏目；「默认」显示该角色可查看的全部栏目", "Tick the modules each role sees in the side bar; “Default” shows every module the role may read"),
                  ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (std::string why = errors_at("menus"); !why.empty()) ui.text_colored("settings.menus.error", why, kRed);
  const auto& roles = user_roles();
  const auto& modules = record_menu_modules();
  json& menus = draft_["menus"];
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame;
  if (!ImGui::BeginTable("settings.menus", static_cast<int>(roles.size()) + 1, flags)) return;
  const std::string module_header = ui.tr("栏目", "Module");
  ui.note(module_header);
  ImGui::TableSetupColumn(module_header.c_str());
  for (const auto& role : roles) {
    const std::string label = role_title(ui, role);
    ui.note(label);
    ImGui::TableSetupColumn(label.c_str());
  }
  ImGui::TableHeadersRow();
  // Each role's menu as it is now (the default when the admin set none).
  std::map<std::string, std::vector<std::string>> shown;
  for (const auto& role : roles)
    for (const EntityDef* e : menu_modules(role, json{{"menus", menus}})) shown[role].push_back(e->name);

  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ui.text("settings.menu.default_row", ui.tr("默认", "Default"));
  for (size_t c = 0; c < roles.size(); ++c) {
    const std::string& role = roles[c];
    ImGui::TableSetColumnIndex(static_cast<int>(c) + 1);
    bool is_default = !menus.contains(role);
    if (ui.checkbox("settings.menu." + role + ".default", "", is_default)) {
      if (is_default) menus.erase(role);
      else menus[role] = shown[role];  // starts from what the role sees now
    }
  }
  for (const auto& name : modules) {
    const EntityDef* module = find_entity(name);
    if (!module) continue;
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ui.text("settings.menu.module." + name, ui.tr(module_title(*module)));
    for (size_t c = 0; c < roles.size(); ++c) {
      const std::string& role = roles[c];
      ImGui::TableSetColumnIndex(static_cast<int>(c) + 1);
      const std::vector<std::string>& now = shown[role];
      bool on = std::find(now.begin(), now.end(), name) != now.end();
      ImGui::BeginDisabled(!role_may(role, name, Action::read));  // a role never sees what it may not read
      if (ui.checkbox("settings.menu." + role + "." + name, "", on)) {
        // The role's list: the modules it has, in their order (kept: an order set through the API stays),
        // the newly ticked one placed before the first that follows it in the default order.
        json list = menus.contains(role) && menus[role].is_array() ? menus[role] : json(now);
        if (on) {
          const auto me = std::find(modules.begin(), modules.end(), name);
          auto at = std::find_if(list.begin(), list.end(), [&](const json& m) {
            const auto it = std::find(modules.begin(), modules.end(), m.is_string() ? m.get<std::string>() : std::string());
            return it != modules.end() && it > me;
          });
          list.insert(at, name);
        } else {
          list.erase(std::remove(list.begin(), list.end(), json(name)), list.end());
        }
        menus[role] = std::move(list);
      }
      ImGui::EndDisabled();
    }
  }
  ImGui::EndTable();
}

}  // namespace kehu::client
