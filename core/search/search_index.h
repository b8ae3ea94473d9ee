// search_index.h — full-text search that finds Chinese substrings of any length (SPEC §5).
//
// FTS5's trigram tokenizer finds any substring of 3+ characters fast, but nothing shorter, and 1-2
// character queries (科技, 华夏, 鑫) are the common case in Chinese. So each searchable entity has two
// contentless FTS5 tables, kept in the same transaction as the row:
//   {entity}_tri    trigram over the record's text: terms of 3+ code points match as substrings.
//   {entity}_ngram  one token per non-ASCII character, per adjacent pair involving a non-ASCII character
//                   (CJK bigrams), and per Latin/digit word; tokens are hex-encoded UTF-8 so the plain
//                   `ascii` tokenizer keeps them whole. Terms of 1-2 code points match a unigram or bigram
//                   exactly, or (pure Latin/digits: codes, phones, e-mail names) a word by prefix, using
//                   the prefix index.
// A query is split on whitespace; every term must match (AND). Latin letters match case-insensitively.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/entity/entity_def.h"
#include "core/result.h"

#include <nlohmann/json.hpp>

namespace kehu {

// The text a record contributes to each index (exposed for tests and the bench).
std::string trigram_body(const EntityDef& entity, const nlohmann::json& record);
std::string ngram_body(const EntityDef& entity, const nlohmann::json& record);

// Whether `entity` has any searchable field (and so its two FTS tables); the index calls do nothing when not.
bool is_searchable(const EntityDef& entity);

// Replaces (or removes, with record == nullptr) a row's index entries. Call inside the write transaction.
Status index_record(Database& db, const EntityDef& entity, int64_t id, const nlohmann::json* record);
// Adds the entries of a row that has none yet (a new id): index_record without the removal, which on a
// contentless FTS5 table costs as much as the insertion even when there is nothing to remove.
Status index_new_record(Database& db, const EntityDef& entity, int64_t id, const nlohmann::json& record);

// A parsed query: one MATCH expression per table that takes part.
struct SearchPlan {
  std::string trigram_match;  // empty: the trigram table is not consulted
  std::string ngram_match;    // empty: the n-gram table is not consulted
  bool matches_nothing = false;  // the query had no searchable characters
};

// The terms of a query: `q` with Latin letters lowered, split on white space (the ideographic space too).
std::vector<std::string> search_terms(std::string_view q);

// Validates and plans `q` (≤ 100 code points, valid UTF-8); a bad query is ErrorCode::bad_request on field "q".
Result<SearchPlan> plan_search(std::string_view q);

// Digits of a phone number ("+86 138-0013-8000" -> "8613800138000").
std::string phone_digits(std::string_view phone);

}  // namespace kehu
