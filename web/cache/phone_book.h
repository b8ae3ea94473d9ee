// phone_book.h — 电话本 (phone book): the contacts in the cache, listed by customer and then by name, with
// their numbers, found by part of a name (the contact's or the customer's) or of a number typed any way
// ("138 0013", "0571-8888"). It reads the cache only, so it works offline, and returns ids first so a
// screen reads the entries of the rows it shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::client {

struct PhoneBookEntry {
  int64_t id = 0;
  std::string name, title, mobile, phone, email;
  int64_t customer_id = 0;
  std::string customer;  // the customer's name
};

// The contacts matching `search` (all for ""), in phone-book order: by customer name (code point order:
// the cache has no pinyin collation; two customers of one name each keep their group), then by contact name.
Result<std::vector<int64_t>> phone_book_ids(Database& cache, std::string_view search);

// The entries of `ids` still in the cache, in the order of `ids`.
Result<std::vector<PhoneBookEntry>> phone_book_entries(Database& cache, const std::vector<int64_t>& ids);

}  // namespace kehu::client
