// record_form_screen.h — create and edit a record of any module, with core's validation shown at each
// field as the user types and the server's per-field errors shown at the same place after sending.
//
// The form grows from the entity's descriptor: every field a person writes (not the server-maintained
// ones, not a status a workflow moves) in descriptor order, each with the input its type needs — a
// combo for options, a picker for references (record_picker.h), a checkbox for yes/no, a text box for
// long notes, money as 12,500.00, and an order's lines as rows of product, quantity and unit price (the
// price left empty takes the product's). Test ids: form.items.{n}.product|quantity|unit_price|remove,
// form.items.add; form.heading, form.{field}, form.error.{field}, form.save,
// form.cancel, form.duplicate (the duplicate answer), form.force (save anyway), form.duplicate.open and
// form.duplicate.fill (the other customer, when the cache holds it), form.filled (the note on a form
// filled from another). Option fields offer the
// administrator's option lists, and the entity's custom fields follow the built-in ones as
// form.custom.{key} (core/settings/field_options.h).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/entity/validation.h"
#include "core/settings/field_options.h"
#include "web/cache/local_cache.h"
#include "web/screens/record_picker.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// The customer a refused one duplicates, as far as this user's cache knows it.
struct DuplicateInCache {
  nlohmann::json record;    // null: not in the cache (the user may not see it)
  bool may_change = false;  // the user may edit it, so what was typed can be added to it
};

struct FormIntent {
  // open_existing: show the customer the new one duplicates (`id`); fill_existing: edit that customer
  // with `values`, what was typed here, in the fields it has empty.
  enum Kind { save, cancel, open_existing, fill_existing } kind = cancel;
  nlohmann::json values;  // save: the fields to send (a create's input, or an edit's changed fields)
  bool force = false;     // save: past the duplicate check (SPEC §3), the user having seen who has the other
  int64_t id = 0;         // open_existing, fill_existing
};

class RecordFormScreen {
 public:
  // Starts a new form (id 0) for `entity`, with `preset` values (a new contact of customer 12), or an
  // edit of `record`.
  // Times are edited in the user's local time (ui's UTC offset).
  void open_new(const Ui& ui, LocalCache& cache, const EntityDef& entity, const nlohmann::json& preset = nlohmann::json::object());
  void open_edit(const Ui& ui, LocalCache& cache, const EntityDef& entity, const nlohmann::json& record);
  // An edit of `record` whose empty fields show `additions` (what was typed for a duplicate of it), to
  // check and save; a note says so.
  void open_edit_filled(const Ui& ui, LocalCache& cache, const EntityDef& entity, const nlohmann::json& record,
                        const nlohmann::json& additions);
  // An edit of `record` showing `edits` over it (the fields of an edit the server refused), to correct and
  // save again: what is sent is what differs from `record`.
  void open_edit_over(const Ui& ui, LocalCache& cache, const EntityDef& entity, const nlohmann::json& record,
                      const nlohmann::json& edits);
  std::optional<FormIntent> draw(Ui& ui, LocalCache& cache, bool saving);
  // What the save button does (Ctrl+S): the values to send, or nullopt with the problems shown.
  std::optional<FormIntent> submit(Ui& ui);
  const EntityDef* entity() const { return entity_; }
  int64_t id() const { return id_; }
  int64_t base_rev() const { return base_rev_; }
  // Shows an error from core or the server: its message and the fields it names.
  void show_error(const std::string& message, const std::map<std::string, std::string>& fields);
  // The server found a duplicate customer (撞单): its message names the other record's owner. A manager or
  // admin (`may_override`) may save anyway (form.force); others are told whom to ask. When the user sees
  // the other customer (`other`), it can be opened, and when they may change it, what was typed for a new
  // one can be added to it instead.
  void show_duplicate(const std::string& message, bool may_override, DuplicateInCache other);
  // Every field as the form holds it now, over the record edited: what the duplicate guard compares.
  nlohmann::json record_now() const;

 private:
  nlohmann::json value_of(const FieldDef& f) const;  // what the form holds for `f` now
  nlohmann::json custom_value_of(const CustomField& c) const;
  // The record's `custom` object as the form would write it: the stored one with the fields shown here
  // set (an emptied one removed).
  nlohmann::json custom_values() const;
  void draw_field_error(Ui& ui, const std::string& name, float indent);

  const EntityDef* entity_ = nullptr;
  std::vector<const FieldDef*> fields_;
  int64_t id_ = 0;
  int64_t base_rev_ = 0;
  int utc_offset_ = 0;  // minutes local time is ahead of UTC, for times
  nlohmann::json settings_;                          // the synced settings when the form opened
  FieldChoices choices_;                             // the values its option lists accept (settings.h)
  std::map<std::string, std::vector<FieldOption>> options_;  // option field -> the choices shown
  std::vector<CustomField> custom_;                  // the entity's custom fields; their state is kept
                                                     // under "custom.{key}" in text_, choice_ and flag_
  nlohmann::json original_ = nlohmann::json::object();
  std::map<std::string, std::string> text_;          // text, number, date and list fields -> edited text
  std::map<std::string, int> choice_;                // option field -> index (-1 none)
  std::map<std::string, bool> flag_;                 // yes/no field
  std::map<std::string, nlohmann::json> reference_;  // reference field -> id or null
  std::map<std::string, RecordPicker> pickers_;
  struct Line {  // one row of an item_list field (an order's lines)
    RecordPicker product;
    nlohmann::json product_id;
    std::string quantity, unit_price;
  };
  std::vector<Line> lines_;
  bool draw_lines(Ui& ui, LocalCache& cache, float width);
  std::map<std::string, std::string> field_errors_;
  std::string error_;
  bool duplicate_ = false, may_force_ = false;
  DuplicateInCache duplicate_of_;  // the customer the server found, when the cache holds it
  bool filled_ = false;          // opened by open_edit_filled
};

}  // namespace kehu::client
