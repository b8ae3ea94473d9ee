// settings_admin_screen.h — 系统设置, where the admin shapes what everyone's forms and menus offer (SPEC §5
// Admin, core/settings/settings.h): the option lists of enumerated fields (relabel, reorder, add, retire),
// the custom fields a record type grows, and the modules each role's menu shows.
//
// The settings are read from the server (GET /admin/settings) and edited here as a draft; 保存 sends the
// three sections at once (PUT), and the server's per-part errors ("custom_fields.customers.0.key") show at
// the row they name. A saved change reaches every client through the sync, which carries the public
// settings: forms grow the custom fields, lists and combos show the new labels, menus follow. Offline the
// screen says so and saves nothing. A draft survives a re-read of the settings until it is saved or undone.
//
// Test ids: settings.title, settings.offline, settings.error, settings.notice, settings.save, settings.undo,
// settings.section.{options|custom|menus};
//   option lists: settings.list (combo over option_list_fields()), settings.list.fixed, settings.list.reset,
//     settings.option.{i}.{value|zh|en|retired|up|down|remove|error}, settings.option.add, settings.list.error;
//   custom fields: settings.entity (combo), settings.custom.{i}.{key|zh|en|type|options|required|remove|error}
//     (type a combo), settings.custom.add, settings.custom.error;
//   menus: settings.menu.{role}.{module} (checkboxes), settings.menu.{role}.default, settings.menus.error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/settings/field_options.h"
#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class SettingsAdminScreen {
 public:
  // The admin's settings document (GET /admin/settings), read when wanted.
  ServerList& document() { return document_; }
  // The answer to a save: the saved document, or the server's errors shown at their rows.
  void saved(Ui& ui, const HttpResponse& answer);
  // Forgets everything (another user signs in).
  void reset();
  // Returns the PUT body when the admin saves.
  std::optional<nlohmann::json> draw(Ui& ui, bool online);

 private:
  enum class Section { options, custom, menus };
  struct OptionRow {
    std::string value, zh, en;
    bool retired = false;
    bool is_new = false;  // added in this draft: its value may still be typed
  };
  struct CustomRow {
    std::string key, zh, en;
    int type = 0;         // index into the custom types
    std::string options;  // an option field's choices, separated by commas
    bool required = false;
    bool is_new = false;  // added in this draft: key and type may still change
  };

  // The draft starts over from the document read.
  void start_draft();
  bool dirty() const;
  void draw_option_lists(Ui& ui);
  void draw_custom_fields(Ui& ui);
  void draw_menus(Ui& ui);
  // Rows of the chosen list or record type, from the draft.
  void load_option_rows();
  void load_custom_rows();
  // Writes the rows back into the draft.
  void store_option_rows();
  void store_custom_rows();
  // Checks the draft with core's rules (settings.h), as the server will: errors_ by path; returns whether
  // it passes.
  bool check_draft(const Ui& ui);
  // The errors of the last save under `path` (the part itself or anything inside it), one per line.
  std::string errors_at(const std::string& path) const;
  // Errors the shown rows do not show (another list's or type's), with the place they name in words.
  std::vector<std::string> errors_elsewhere(const Ui& ui) const;

  ServerList document_{ServerList::Shape::document};
  nlohmann::json draft_;  // {option_lists, custom_fields, menus} as they will be sent
  Section section_ = Section::options;
  int list_choice_ = 0;    // index into option_list_fields()
  int entity_choice_ = 0;  // index into custom_field_entities()
  std::vector<OptionRow> option_rows_;
  std::vector<CustomRow> custom_rows_;
  bool sending_ = false;
  bool adopt_next_ = false;  // a save went through: the next document read replaces the draft
  std::map<std::string, std::string> errors_;  // the last save's errors by path
  nlohmann::json checked_;                     // the draft errors_ were found in: an edit checks it again
  std::string error_, notice_;
};

}  // namespace kehu::client
