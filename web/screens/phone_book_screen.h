// phone_book_screen.h — 电话本 (phone book), the contacts module's second view: every contact with its
// numbers, grouped under its customer (web/cache/phone_book.h), one search over names and numbers. Only the
// rows on screen are read. A click (a tap) opens the contact; a right click (a long press) copies a number.
//
// Test ids: phonebook.search, phonebook.count, phonebook.error, phonebook.row.{id} (the contact's name),
// phonebook.customer.{id} (a group's heading: the customer's name), phonebook.menu.open|copy_mobile|
// copy_phone|copy_email.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "web/cache/local_cache.h"
#include "web/cache/phone_book.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class PhoneBookScreen {
 public:
  // The cache changed: read again when next drawn.
  void mark_stale() { stale_ = true; }
  // Returns the contact to open.
  std::optional<int64_t> draw(Ui& ui, LocalCache& cache);

 private:
  // Reads the entries of rows [first, last) not read yet (and the row before, for its group).
  void read_rows(const Ui& ui, LocalCache& cache, int first, int last);
  std::optional<int64_t> draw_menu(Ui& ui, const PhoneBookEntry& e);

  std::string search_;
  bool stale_ = true;
  std::vector<int64_t> ids_;
  std::map<int64_t, PhoneBookEntry> entries_;  // the rows read, by contact id
  std::string error_;
};

}  // namespace kehu::client
