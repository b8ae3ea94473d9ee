// cursor_fuzz.cpp — the opaque page cursors: made by one page, handed back for the next.
//
// A list cursor (core/query/list_query.cpp) is base64url (core/text/base64url.h) of the JSON array
// [sort key, last row's sort value, last row's id]; a timeline cursor (core/query/customer_timeline.cpp)
// of [entity, time, id]. A client may send anything back, so decoding must refuse all else cleanly;
// and what the server made must lead exactly to the next page. Two kinds of input (request_line.h):
//
//   cursor customers -name        <- words: "cursor", resource, [sort]
//   WyItbmFtZSIsIuWNjuWkjyIsM10   <- a cursor as a client sends it back (after percent-decoding)
// goes to parse_list_query() with that sort, and to read_customer_timeline(); accepted ones must run.
//
//   walk 3                        <- words: "walk", viewer
//   customers sort=-region&limit=2               <- resource and the list's query string
//   customers {"name": "华夏", "region": null}    <- then records to write first, one per line
// writes the records (core's write path, as the system) into a scratch copy of the seeded database,
// then reads the list page by page, each page's next_cursor sent back with the same parameters, and the
// customer timeline of customer 1 likewise. Checked: every cursor the server made is accepted back, a
// next page comes only after a full one, and the pages together hold exactly the rows list_ids() (or
// one big timeline page) gives, in the same order, each once: keyset paging neither skips nor repeats,
// whatever values, NULLs and ties the fuzzer put in the sort column.
//
// Every input also checks base64url: decode(encode(bytes)) == bytes, and a text that decodes re-encodes
// to the same length and decodes the same.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <httplib.h>

#include "core/query/customer_timeline.h"
#include "core/query/list_query.h"
#include "core/settings/settings.h"
#include "core/store/record_store.h"
#include "core/text/base64url.h"
#include "server/http/json_body.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"
#include "tests/fuzz/write_records.h"
#include "tests/fuzz/request_line.h"

using namespace kehu;
using nlohmann::json;

namespace {

void check_base64url(std::string_view bytes) {
  const std::string text = base64url_encode(bytes);
  FUZZ_CHECK(text.size() == (bytes.size() * 4 + 2) / 3);
  const auto back = base64url_decode(text);
  FUZZ_CHECK(back.has_value() && *back == bytes);

  const auto decoded = base64url_decode(bytes);
  if (!decoded) return;
  const std::string again = base64url_encode(*decoded);
  FUZZ_CHECK(again.size() == bytes.size());
  FUZZ_CHECK(base64url_decode(again) == decoded);
}

std::map<std::string, std::vector<std::string>> choices_of(Database& db, const EntityDef& entity) {
  auto settings = read_settings(db);
  FUZZ_CHECK(settings.ok());
  return filter_choices(*settings, entity);
}

// A cursor as a client sends it back: refused as a bad_request on "cursor", or accepted and runnable.
void decode_cursor(const fuzz::RequestLine& request) {
  const EntityDef* entity = request.words.size() > 1 ? find_entity(request.words[1]) : nullptr;
  Database& db = fuzz::seeded_db();
  if (entity) {
    httplib::Params params = {{"cursor", request.payload}};
    if (request.words.size() > 2) params.insert({"sort", request.words[2]});
    const auto choices = choices_of(db, *entity);
    auto query = parse_list_query(*entity, params, Viewer::system(), &choices);
    if (query.ok()) {
      auto page = run_list_query(db, *entity, *query);
      FUZZ_CHECK(page.ok());
    } else {
      FUZZ_CHECK(query.error().code == ErrorCode::bad_request);
    }
  }
  auto timeline = read_customer_timeline(db, 1, Viewer::system(), {{"cursor", request.payload}, {"limit", "2"}});
  if (!timeline.ok()) FUZZ_CHECK(timeline.error().code == ErrorCode::bad_request);
}

void walk_list(Database& db, const EntityDef& entity, httplib::Params params, const Viewer& viewer) {
  params.erase("cursor");
  const auto choices = choices_of(db, entity);
  auto first = parse_list_query(entity, params, viewer, &choices);
  if (!first.ok()) return;
  auto expected = list_ids(db, entity, *first, 1'000'000);
  FUZZ_CHECK(expected.ok());

  std::vector<int64_t> walked;
  std::string cursor;
  const size_t most_pages = expected->size() / static_cast<size_t>(first->limit) + 2;
  for (size_t pages = 0;; ++pages) {
    FUZZ_CHECK(pages < most_pages);
    httplib::Params next = params;
    if (!cursor.empty()) next.insert({"cursor", cursor});
    auto query = parse_list_query(entity, next, viewer, &choices);
    FUZZ_CHECK(query.ok());  // the server's own cursor is always taken back
    auto page = run_list_query(db, entity, *query);
    FUZZ_CHECK(page.ok());
    for (const json& item : page->items) walked.push_back(item["id"].get<int64_t>());
    if (page->next_cursor.empty()) break;
    FUZZ_CHECK(page->items.size() == static_cast<size_t>(query->limit));
    cursor = page->next_cursor;
  }
  if (walked != *expected) {
    std::fprintf(stderr, "pages walked %zu rows, list_ids %zu\n", walked.size(), expected->size());
    for (size_t i = 0; i < std::max(walked.size(), expected->size()); ++i)
      std::fprintf(stderr, "  %lld %lld\n", i < walked.size() ? static_cast<long long>(walked[i]) : -1LL,
                   i < expected->size() ? static_cast<long long>((*expected)[i]) : -1LL);
  }
  FUZZ_CHECK(walked == *expected);
}

void walk_timeline(Database& db, const Viewer& viewer, const std::string& limit) {
  using Item = std::tuple<std::string, int64_t, std::string>;
  auto item_of = [](const json& i) {
    return Item{i["entity"].get<std::string>(), i["id"].get<int64_t>(), i["at"].get<std::string>()};
  };
  auto all = read_customer_timeline(db, 1, viewer, {{"limit", "500"}});
  if (!all.ok()) return;  // a viewer who does not see customer 1
  std::vector<Item> expected, walked;
  for (const json& i : all->items) expected.push_back(item_of(i));
  std::string cursor;
  for (size_t pages = 0;; ++pages) {
    FUZZ_CHECK(pages <= expected.size() + 1);
    std::multimap<std::string, std::string> params = {{"limit", limit}};
    if (!cursor.empty()) params.insert({"cursor", cursor});
    auto page = read_customer_timeline(db, 1, viewer, params);
    FUZZ_CHECK(page.ok());
    for (const json& i : page->items) walked.push_back(item_of(i));
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  FUZZ_CHECK(walked == expected);
}

void walk(const fuzz::RequestLine& request) {
  const Viewer& viewer = fuzz::viewers()[fuzz::word_index(request, 1, fuzz::viewers().size())];
  std::vector<std::string_view> lines;
  std::string_view rest = request.payload;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    lines.push_back(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  if (lines.empty()) return;
  const size_t space = lines[0].find(' ');
  const EntityDef* entity = find_entity(lines[0].substr(0, space));
  if (!entity) return;
  httplib::Params params;
  if (space != std::string_view::npos)
    httplib::detail::parse_query_text(std::string(lines[0].substr(space + 1)), params);

  Database& db = fuzz::scratch_db();
  fuzz::write_records(db, {lines.begin() + 1, lines.end()});
  walk_list(db, *entity, params, viewer);
  auto limit = params.find("limit");
  int64_t n = 0;
  walk_timeline(db, viewer,
                limit != params.end() && parse_query_int(limit->second, n) && n >= 1 && n <= 3 ? limit->second : "1");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_base64url(input);
  const fuzz::RequestLine request = fuzz::split_request_line(input);
  if (request.words.empty()) return 0;
  if (request.words[0] == "cursor")
    decode_cursor(request);
  else if (request.words[0] == "walk")
    walk(request);
  return 0;
}
