#include "web/cache/phone_book.h"

#include <algorithm>
#include <map>

#include "core/search/search_index.h"
#include "core/text/utf8.h"

namespace kehu::client {

namespace {

// Whether `column`'s number, with the usual separators taken out ("0571-8888 1234" holds "88881234"),
// contains ?2. instr on a column that is there: a third faster than LIKE over 200,000 contacts.
std::string number_holds(const std::string& column) {
  std::string digits = column;
  for (const char* sep : {" ", "-", "(", ")", "+", "."}) digits = "replace(" + digits + ", '" + sep + "', '')";
  return "(" + column + " IS NOT NULL AND instr(" + digits + ", ?2) > 0)";
}

// `text` for a LIKE pattern: its own % and _ matched as themselves.
std::string like_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Whether the search is a number typed any way (digits and separators only).
bool is_number(std::string_view search) {
  bool digit = false;
  for (char c : search) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '+' && c != '.') return false;
  }
  return digit;
}

// Whether the search index can narrow `search` to a superset of what the exact conditions below match:
// every term of 3 or more characters is found as a substring (trigrams), one of 1–2 characters with a
// Chinese character in it as that character or pair; a short Latin or digit term only as the start of a
// word, which would miss "an" in "Dan", so such a search scans instead.
bool index_can_narrow(std::string_view search, const SearchPlan& plan) {
  if (plan.matches_nothing || (plan.trigram_match.empty() && plan.ngram_match.empty())) return false;
  for (const auto& term : search_terms(search)) {
    const bool ascii = std::all_of(term.begin(), term.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii && term.size() < 3) return false;
  }
  return true;
}

// SQL for the ids of `table`'s records whose search index matches `plan` (both of its tables when both
// take part); the MATCH expressions are appended to `args` and numbered after the ones already there
// (numbered, as an unnumbered ? here would take a number the exact conditions after it already use).
std::string indexed_ids(const std::string& table, const SearchPlan& plan, std::vector<SqlValue>& args) {
  std::string sql;
  if (!plan.trigram_match.empty()) {
    args.emplace_back(plan.trigram_match);
    sql = "SELECT rowid FROM " + table + "_tri WHERE " + table + "_tri MATCH ?" + std::to_string(args.size());
  }
  if (!plan.ngram_match.empty()) {
    args.emplace_back(plan.ngram_match);
    sql += (sql.empty() ? "" : " INTERSECT ") + ("SELECT rowid FROM " + table + "_ngram WHERE " + table + "_ngram MATCH ?" +
                                                  std::to_string(args.size()));
  }
  return sql;
}

}  // namespace

Result<std::vector<int64_t>> phone_book_ids(Database& cache, std::string_view search) {
  const std::string text(trim(search));
  const std::string digits = is_number(text) ? phone_digits(text) : "";
  // The exact conditions: part of a name (the contact's or the customer's), or part of a number with its
  // separators ignored. Two customers of one name stay two groups (cu.id in the order).
  const std::string name_holds = "(ct.name LIKE '%' || ?1 || '%' ESCAPE '\\' OR cu.name LIKE '%' || ?1 || '%' ESCAPE '\\')";
  const std::string number_matches = "(" + number_holds("ct.mobile") + " OR " + number_holds("ct.phone") + ")";
  const std::string order = " ORDER BY cu.name, cu.id, ct.name, ct.id";
  std::vector<SqlValue> args{like_escaped(text), digits};
  std::string sql;
  auto plan = plan_search(digits.empty() ? text : digits);
  if (text.empty()) {
    // Everyone: customers in name order (customers_name), each one's contacts in name order read from
    // the cache's contacts_phone_book index; nothing to sort.
    args.clear();
    sql = "SELECT ct.id FROM contacts ct JOIN customers cu ON cu.id = ct.customer_id" + order;
  } else if (plan.ok() && index_can_narrow(digits.empty() ? text : digits, *plan)) {
    // The candidates from the search index (a contact's own text, or its customer's for a name), then
    // the exact conditions on those only.
    std::string candidates = indexed_ids("contacts", *plan, args);
    if (digits.empty()) {
      const std::string customers = indexed_ids("customers", *plan, args);
      candidates += " UNION SELECT id FROM contacts WHERE customer_id IN (" + customers + ")";
    }
    sql = "WITH candidate(id) AS (" + candidates + ") "
          "SELECT ct.id FROM candidate CROSS JOIN contacts ct ON ct.id = candidate.id CROSS JOIN customers cu ON cu.id = ct.customer_id "
          "WHERE " + (digits.empty() ? name_holds : number_matches) + order;
  } else {
    sql = "SELECT ct.id FROM contacts ct JOIN customers cu ON cu.id = ct.customer_id WHERE " +
          (digits.empty() ? name_holds : number_matches) + order;
  }
  auto st = cache.prepare(sql);
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  std::vector<int64_t> ids;
  while (true) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    ids.push_back((*st)->column_int(0));
  }
  return ids;
}

Result<std::vector<PhoneBookEntry>> phone_book_entries(Database& cache, const std::vector<int64_t>& ids) {
  std::vector<PhoneBookEntry> entries;
  if (ids.empty()) return entries;
  std::string in;
  for (size_t i = 0; i < ids.size(); ++i) in += (i ? "," : "") + std::to_string(ids[i]);
  auto st = cache.prepare(
      "SELECT ct.id, ct.name, coalesce(ct.title, ''), coalesce(ct.mobile, ''), coalesce(ct.phone, ''), coalesce(ct.email, ''), "
      "cu.id, cu.name FROM contacts ct JOIN customers cu ON cu.id = ct.customer_id "
      "WHERE ct.id IN (" + in + ")");
  if (!st.ok()) return st.take_error();
  std::map<int64_t, PhoneBookEntry> found;
  while (true) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    const Statement& s = **st;
    PhoneBookEntry e{s.column_int(0), std::string(s.column_text(1)), std::string(s.column_text(2)), std::string(s.column_text(3)),
                     std::string(s.column_text(4)), std::string(s.column_text(5)), s.column_int(6), std::string(s.column_text(7))};
    found.emplace(e.id, std::move(e));
  }
  for (int64_t id : ids)
    if (auto it = found.find(id); it != found.end()) entries.push_back(std::move(it->second));
  return entries;
}

}  // namespace kehu::client
