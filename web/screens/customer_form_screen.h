// customer_form_screen.h — create and edit a customer, with core's validation shown at each field as
// the user types and the server's per-field errors shown at the same place after sending.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/ui/widgets.h"

namespace kehu::client {

struct FormIntent {
  enum Kind { save, cancel } kind = cancel;
  nlohmann::json values;  // save: the fields to send (a create's input, or an edit's changed fields)
};

class CustomerFormScreen {
 public:
  // Starts a new form (id 0) or an edit of `record`.
  void open_new();
  void open_edit(const nlohmann::json& record);

  std::optional<FormIntent> draw(Ui& ui, bool saving);

  int64_t id() const { return id_; }
  int64_t base_rev() const { return base_rev_; }
  // Shows an error from core or the server: its message and the fields it names.
  void show_error(const std::string& message, const std::map<std::string, std::string>& fields);

 private:
  std::optional<FormIntent> submit(Ui& ui);
  int64_t id_ = 0;
  int64_t base_rev_ = 0;
  nlohmann::json original_ = nlohmann::json::object();
  std::map<std::string, std::string> text_;   // field -> edited text
  std::map<std::string, int> choice_;         // enumerated field -> index (-1 none)
  std::map<std::string, std::string> field_errors_;
  std::string error_;
};

}  // namespace kehu::client
