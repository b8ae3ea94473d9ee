// list_query.h — GET /{res}?q=&field=&field_from=&field_to=&sort=&limit=&cursor= (SPEC §5).
//
// parse_list_query() turns query parameters into a ListQuery, rejecting anything unknown or malformed
// with ErrorCode::bad_request naming the parameter. run_list_query() executes it with keyset pagination:
// the cursor carries the last row's sort value and id, so pages stay stable while rows are inserted, and
// no page costs more than the previous one (no OFFSET). `total` stops counting at 10,000
// (`total_exact: false`) so a broad search never scans everything. With `q` and the default id order the
// FTS index drives the query in rowid order and stops at `limit`.
//
// Scope: the viewer's read reach (record_scope.h) is the first filter of every query; a client's own cache
// passes Viewer::system(), since everything in it is already the user's to see.
//
// Filters: enumerated fields take one value or a comma-separated list; references and whole numbers take
// an id, "null" (e.g. owner_id=null: the pool) or a comma-separated list of them (owner_id=3,5,null); text fields match exactly; booleans take true/false; dates, datetimes
// and created_at/updated_at take _from/_to (inclusive; a bare date in _to includes that whole day);
// `tag=` matches one tag; `custom.key=` matches a custom field's value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/entity/entity_def.h"
#include "core/search/search_index.h"
#include "core/users/record_scope.h"

namespace kehu {

constexpr int kMaxListLimit = 500;
constexpr int kDefaultListLimit = 50;
constexpr int64_t kTotalCap = 10000;
// A search that also filters (a scoped user's search is one) counts among at most this many search
// matches: when a user sees few of a broad query's matches, counting to the cap would otherwise look at
// every match. Past it, `total` is what was found among them, a lower bound (`total_exact: false`).
constexpr int64_t kCountCandidateCap = 10000;

struct ListFilter {
  std::string sql;                // condition on alias "r", with ?N placeholders renumbered at build time
  std::vector<SqlValue> args;
};

struct ListQuery {
  std::string q;
  std::string sort_field = "id";
  bool descending = true;
  int limit = kDefaultListLimit;
  std::vector<ListFilter> filters;
  SearchPlan plan;        // `q` planned once by parse_list_query (search_index.h)
  bool has_cursor = false;
  SqlValue cursor_value;  // last row's sort value
  int64_t cursor_id = 0;  // last row's id
};

struct ListPage {
  nlohmann::json items = nlohmann::json::array();
  std::string next_cursor;  // empty: no more pages
  int64_t total = 0;
  bool total_exact = true;
};

// A bad_request naming query parameter `name` and what is wrong with it (every query parser's error).
Error bad_query_param(const std::string& name, Text why);
// A whole number of at most 18 characters, optionally negative, into `out`; false if `text` is not one.
bool parse_query_int(const std::string& text, int64_t& out);

// The only way to make a ListQuery: it validates every parameter, plans the search and scopes it to `viewer`.
// `filter_values`: for enumerated fields with a configured option list, the values a filter may name
// (settings.h filter_choices); others use the built-in values.
Result<ListQuery> parse_list_query(const EntityDef& entity, const std::multimap<std::string, std::string>& params,
                                   const Viewer& viewer,
                                   const std::map<std::string, std::vector<std::string>>* filter_values = nullptr);

// Reads the page and its count in one read transaction: call it outside any open transaction.
Result<ListPage> run_list_query(Database& db, const EntityDef& entity, const ListQuery& query);

// Every matching id in the query's order (filters, search and sort as the page; no cursor), at most
// `max`: what a client's list needs to scroll through all results while reading only the visible rows.
Result<std::vector<int64_t>> list_ids(Database& db, const EntityDef& entity, const ListQuery& query, int64_t max);

// The SQL and arguments of the page query, for the bench's comparison with the sqlite3 CLI.
struct BuiltSql {
  std::string sql;
  std::vector<SqlValue> args;
  std::string candidates_sql;  // build_count_sql only; see there
  std::vector<SqlValue> candidates_args;
};
Result<BuiltSql> build_page_sql(const EntityDef& entity, const ListQuery& query);
// The capped count behind `total` (counts at most kTotalCap + 1 rows; a filtered search looks at most at
// kCountCandidateCap matches, and `candidates` is then the SQL counting those matches, else empty).
Result<BuiltSql> build_count_sql(const EntityDef& entity, const ListQuery& query);

// The same page as JSON text, the body of GET /{res}: {items, next_cursor, total, total_exact}. Written
// straight from the rows (record_codec.h: append_row_json), which is what keeps a 50-500 row answer cheap.
Result<std::string> run_list_query_json(Database& db, const EntityDef& entity, const ListQuery& query);

}  // namespace kehu
