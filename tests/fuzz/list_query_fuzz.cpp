// list_query_fuzz.cpp — GET /api/v1/{res}?q=&{field}=&{field}_from=&sort=&limit=&cursor= and the other
// list-like query strings (GET /customers/{id}/timeline, GET /audit).
//
// Input (request_line.h):
//   customers 3                       <- words: resource, viewer
//   q=%E7%A7%91%E6%8A%80&level=A,B&sort=-name&limit=2
// The query string is split and percent-decoded by httplib's own parser, as the server does, then goes
// to core/query/list_query.h parse_list_query() for that viewer with the settings' option lists (the
// route's way, server/routes/record_routes.cpp), and, when accepted, runs on the seeded database. The
// same parameters also go to read_customer_timeline() (customer 1) and read_audit().
// Checked beyond "no crash, no leak, no UB":
//   - a refusal is a bad_request naming the parameter; a query that was accepted runs: no storage error
//     (that would be a 500: some parameter reached SQL or an FTS5 MATCH it breaks);
//   - the page's JSON text (run_list_query_json, what the server sends) is valid JSON equal to the page
//     read as values (run_list_query), and `total` is never below the number of items shown;
//   - without a cursor, the page's ids are the first ids list_ids() gives for the same query (the
//     client's scrolling list and the server's page agree).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <httplib.h>

#include "core/audit/audit_query.h"
#include "core/query/customer_timeline.h"
#include "core/query/list_query.h"
#include "core/settings/settings.h"
#include "core/users/role_rights.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"
#include "tests/fuzz/request_line.h"

using namespace kehu;
using nlohmann::json;

namespace {

const std::map<std::string, std::vector<std::string>>& choices_of(const EntityDef& entity) {
  static std::map<std::string, std::map<std::string, std::vector<std::string>>> cache;
  auto it = cache.find(entity.name);
  if (it == cache.end()) {
    auto settings = read_settings(fuzz::seeded_db());
    FUZZ_CHECK(settings.ok());
    it = cache.emplace(entity.name, filter_choices(*settings, entity)).first;
  }
  return it->second;
}

bool served(const EntityDef* entity) {
  for (const EntityDef* e : served_entities())
    if (e == entity) return true;
  return false;
}

void check_refusal(const Error& error) {
  FUZZ_CHECK(error.code == ErrorCode::bad_request);
  FUZZ_CHECK(!error.fields.empty());
}

void check_list(Database& db, const EntityDef& entity, const ListQuery& query) {
  auto text = run_list_query_json(db, entity, query);
  if (!text.ok()) std::fprintf(stderr, "list query failed: %s\n", text.error().message.en.c_str());
  FUZZ_CHECK(text.ok());
  const json sent = json::parse(*text, nullptr, false);
  FUZZ_CHECK(sent.is_object() && sent["items"].is_array());
  FUZZ_CHECK(sent["items"].size() <= static_cast<size_t>(query.limit));
  FUZZ_CHECK(sent["total"].is_number_integer() &&
             sent["total"].get<int64_t>() >= static_cast<int64_t>(sent["items"].size()));

  auto page = run_list_query(db, entity, query);
  FUZZ_CHECK(page.ok());
  FUZZ_CHECK(page->items == sent["items"]);
  FUZZ_CHECK(page->total == sent["total"].get<int64_t>());
  FUZZ_CHECK(sent["next_cursor"] == (page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)));

  if (query.has_cursor) return;  // list_ids() lists from the start
  auto ids = list_ids(db, entity, query, query.limit);
  FUZZ_CHECK(ids.ok());
  FUZZ_CHECK(ids->size() == page->items.size());
  for (size_t i = 0; i < ids->size(); ++i) FUZZ_CHECK(page->items[i]["id"] == (*ids)[i]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::RequestLine request = fuzz::split_request_line({reinterpret_cast<const char*>(data), size});
  if (request.words.empty()) return 0;
  const EntityDef* entity = find_entity(request.words[0]);
  if (!entity || !served(entity)) return 0;
  const Viewer& viewer = fuzz::viewers()[fuzz::word_index(request, 1, fuzz::viewers().size())];
  httplib::Params params;
  httplib::detail::parse_query_text(request.payload, params);
  Database& db = fuzz::seeded_db();

  if (viewer.is_system() || role_may(viewer.role, entity->name, Action::read)) {
    auto query = parse_list_query(*entity, params, viewer, &choices_of(*entity));
    if (query.ok())
      check_list(db, *entity, *query);
    else
      check_refusal(query.error());
  }

  auto timeline = read_customer_timeline(db, 1, viewer, params);
  if (!timeline.ok()) FUZZ_CHECK(timeline.error().code != ErrorCode::storage);
  if (viewer.is_system()) {
    auto audit = read_audit(db, params);
    if (!audit.ok()) check_refusal(audit.error());
  }
  return 0;
}
