#include "core/search/search_index.h"

#include <algorithm>
#include <vector>

#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

namespace {

bool is_ascii_alnum(std::string_view ch) {
  if (ch.size() != 1) return false;
  char c = ch[0];
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii(std::string_view ch) { return ch.size() == 1; }
bool is_space(std::string_view ch) {
  return (ch.size() == 1 && (ch[0] == ' ' || ch[0] == '\t' || ch[0] == '\n' || ch[0] == '\r')) ||
         ch == "\xE3\x80\x80";
}

std::string hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// The searchable text values of a record, lowered for Latin letters.
std::vector<std::string> searchable_values(const EntityDef& entity, const json& record) {
  std::vector<std::string> out;
  for (const auto& f : entity.fields) {
    if (!f.searchable) continue;
    auto it = record.find(f.name);
    if (it == record.end() || it->is_null()) continue;
    if (it->is_string()) {
      out.push_back(ascii_lower(it->get_ref<const std::string&>()));
      if (f.format == TextFormat::phone) out.push_back(phone_digits(out.back()));
    } else if (it->is_array()) {
      for (const auto& item : *it)
        if (item.is_string()) out.push_back(ascii_lower(item.get_ref<const std::string&>()));
    }
  }
  return out;
}

std::string fts_phrase(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string phone_digits(std::string_view phone) {
  std::string out;
  for (char c : phone)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

std::string trigram_body(const EntityDef& entity, const json& record) {
  std::string body;
  for (const auto& v : searchable_values(entity, record)) {
    if (!body.empty()) body += '\n';
    body += v;
  }
  return body;
}

std::string ngram_body(const EntityDef& entity, const json& record) {
  // Tokens are collected, then sorted and deduplicated (a set's node per token costs more than the
  // tokenizing on a first sync of 100k rows); the body lists each token once, in byte order.
  std::vector<std::string> tokens;
  std::string pair;
  for (const auto& value : searchable_values(entity, record)) {
    auto chars = utf8_chars(value);
    tokens.reserve(tokens.size() + chars.size() * 2);
    std::string word;
    for (size_t i = 0; i < chars.size(); ++i) {
      std::string_view ch = chars[i];
      if (is_ascii_alnum(ch)) {
        word += ch;
      } else if (!word.empty()) {
        tokens.push_back(hex(word));
        word.clear();
      }
      if (!is_ascii(ch) && !is_space(ch)) tokens.push_back(hex(ch));
      if (i + 1 < chars.size()) {
        std::string_view next = chars[i + 1];
        bool pair_ok = !is_space(ch) && !is_space(next) && (!is_ascii(ch) || !is_ascii(next));
        if (pair_ok) {
          pair.assign(ch);
          pair.append(next);
          tokens.push_back(hex(pair));
        }
      }
    }
    if (!word.empty()) tokens.push_back(hex(word));
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  std::string body;
  for (const auto& t : tokens) {
    if (!body.empty()) body += ' ';
    body += t;
  }
  return body;
}

bool is_searchable(const EntityDef& entity) {
  for (const auto& f : entity.fields)
    if (f.searchable) return true;
  return false;
}

Status index_record(Database& db, const EntityDef& entity, int64_t id, const json* record) {
  if (!is_searchable(entity)) return ok_status();
  const std::string tri = entity.name + "_tri";
  const std::string ngram = entity.name + "_ngram";
  KEHU_TRY(db.run("DELETE FROM " + tri + " WHERE rowid = ?1", {id}));
  KEHU_TRY(db.run("DELETE FROM " + ngram + " WHERE rowid = ?1", {id}));
  if (record == nullptr) return ok_status();
  return index_new_record(db, entity, id, *record);
}

Status index_new_record(Database& db, const EntityDef& entity, int64_t id, const json& record) {
  if (!is_searchable(entity)) return ok_status();
  KEHU_TRY(db.run("INSERT INTO " + entity.name + "_tri(rowid, body) VALUES (?1, ?2)", {id, trigram_body(entity, record)}));
  return db.run("INSERT INTO " + entity.name + "_ngram(rowid, body) VALUES (?1, ?2)", {id, ngram_body(entity, record)});
}

std::vector<std::string> search_terms(std::string_view q) {
  const std::string lowered = ascii_lower(q);  // kept: the characters below are views into it
  std::vector<std::string> terms(1);
  for (auto ch : utf8_chars(lowered)) {
    if (is_space(ch)) {
      if (!terms.back().empty()) terms.emplace_back();
    } else {
      terms.back() += ch;
    }
  }
  if (terms.back().empty()) terms.pop_back();
  return terms;
}

Result<SearchPlan> plan_search(std::string_view q) {
  auto bad = [](Text why) {
    Error e = Error::make(ErrorCode::bad_request, {"搜索内容无效", "invalid search text"});
    e.fields["q"] = std::move(why);
    return e;
  };
  if (!is_valid_utf8(q)) return bad({"搜索内容不是有效的 UTF-8 文本", "search text is not valid UTF-8"});
  if (utf8_length(q) > 100) return bad({"搜索内容最多 100 个字符", "search text may have at most 100 characters"});

  SearchPlan plan;
  std::vector<std::string> tri_terms, ngram_terms;
  bool any_term = false;
  for (auto& term : search_terms(q)) {
    if (term.empty()) continue;
    any_term = true;
    auto term_chars = utf8_chars(term);
    if (term_chars.size() >= 3) {
      tri_terms.push_back(fts_phrase(term));
      continue;
    }
    bool all_ascii = true;
    for (auto ch : term_chars) all_ascii = all_ascii && is_ascii(ch);
    if (all_ascii) {
      // Latin/digits: a word prefix. Punctuation-only terms ("-", "@") cannot match a word.
      std::string word;
      for (auto ch : term_chars)
        if (is_ascii_alnum(ch)) word += ch;
      if (word.empty()) {
        plan.matches_nothing = true;
        continue;
      }
      ngram_terms.push_back(hex(word) + "*");
    } else {
      ngram_terms.push_back(hex(term));
    }
  }
  if (!any_term) return plan;  // blank query: no search at all
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
      if (!out.empty()) out += " AND ";
      out += p;
    }
    return out;
  };
  plan.trigram_match = join(tri_terms);
  plan.ngram_match = join(ngram_terms);
  return plan;
}

}  // namespace kehu
