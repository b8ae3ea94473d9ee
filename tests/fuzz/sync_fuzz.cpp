// sync_fuzz.cpp — GET /api/v1/sync (SPEC §6): the server's answer and the client applying it.
//
// A pull sends only since, limit and count; the route checks them (server/routes/sync_routes.cpp:
// refuse_unknown_params, int_param, fuzzed in server_params_fuzz) and core/sync/sync_reader.h
// read_changes() answers. There is no sync push: a client's edits are the record routes' POST, PATCH
// and DELETE (record_write_fuzz). The client parses the answer into its cache with
// core/sync/sync_applier.h apply_sync_changes(). Two kinds of input (request_line.h):
//
//   pull 3 0 2 1                         <- words: "pull", viewer, since, limit, count (the route's ranges:
//                                           since >= 0, limit 1-5000, count 0 or 1; others are skipped)
//   customers {"name": "华夏", "tags": ["a"]}   <- records to write first, one per line
// writes the records (core's write path, as the system) into a scratch copy of the seeded database,
// then pulls batch after batch from `since` as the web client does: each answer is sent as JSON text,
// parsed, and applied to an empty client cache in one transaction. Checked: every batch's changes come
// in rev order after the rev asked from and end at its `next`; the server's answer is always one the
// client applies; and a pull from 0 leaves the cache holding exactly the viewer's rows of every synced
// entity, each equal to the server's (get_record on both sides): what the fuzzer wrote survives the trip.
//
//   apply                                <- words: "apply"
//   {"changes": [{"entity": "customers", "id": 1, "rev": 2, "row": {...}}]}
// applies any answer body to an empty cache, in a transaction rolled back afterwards. Checked: a
// malformed answer is refused (bad_request; or conflict where the cache's schema refuses a row, a
// missing created_at), never a crash or an exception out of core.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/query/list_query.h"
#include "core/store/record_store.h"
#include "core/sync/sync_applier.h"
#include "core/sync/sync_reader.h"
#include "core/users/role_rights.h"
#include "server/http/json_body.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"
#include "tests/fuzz/write_records.h"
#include "tests/fuzz/request_line.h"

using namespace kehu;
using nlohmann::json;

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    lines.push_back(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  }
  return lines;
}

std::set<int64_t> ids_of(Database& db, const EntityDef& entity) {
  std::set<int64_t> ids;
  auto st = db.prepare("SELECT id FROM " + entity.name);
  FUZZ_CHECK(st.ok());
  for (;;) {
    auto row = (*st)->step();
    FUZZ_CHECK(row.ok());
    if (!*row) break;
    ids.insert((*st)->column_int(0));
  }
  return ids;
}

// After a pull from 0: the cache holds exactly the rows `viewer` reads on the server, equal to them.
void check_converged(Database& server, Database& cache, const Viewer& viewer) {
  for (const EntityDef* entity : record_entities()) {
    std::set<int64_t> expected;
    for (int64_t id : ids_of(server, *entity)) {
      auto visible = row_in_reach(server, *entity, id, viewer, Action::read);
      FUZZ_CHECK(visible.ok());
      if (*visible) expected.insert(id);
    }
    const std::set<int64_t> cached = ids_of(cache, *entity);
    if (cached != expected)
      std::fprintf(stderr, "%s: the cache holds %zu rows, the viewer reads %zu\n", entity->name.c_str(), cached.size(),
                   expected.size());
    FUZZ_CHECK(cached == expected);
    for (int64_t id : expected) {
      auto there = get_record(server, *entity, id);
      auto here = get_record(cache, *entity, id);
      FUZZ_CHECK(there.ok() && here.ok());
      if (*there != *here)
        std::fprintf(stderr, "%s %lld:\n  server %s\n  cache  %s\n", entity->name.c_str(), static_cast<long long>(id),
                     there->dump().c_str(), here->dump().c_str());
      FUZZ_CHECK(*there == *here);
    }
  }
}

// Word `i` as a whole number in [min, max], or `fallback` when absent; false when it is not one.
bool number_word(const fuzz::RequestLine& request, size_t i, int64_t fallback, int64_t min, int64_t max, int64_t& out) {
  out = fallback;
  if (i >= request.words.size()) return true;
  return parse_query_int(request.words[i], out) && out >= min && out <= max;
}

void pull(const fuzz::RequestLine& request) {
  const Viewer& viewer = fuzz::viewers()[fuzz::word_index(request, 1, fuzz::viewers().size())];
  if (!viewer.is_system() && !role_may(viewer.role, "customers", Action::read)) return;  // refuse_role_without_sync
  int64_t since = 0, limit = 0, count = 0;
  if (!number_word(request, 2, 0, 0, INT64_MAX / 2, since) || !number_word(request, 3, 1000, 1, kMaxSyncLimit, limit) ||
      !number_word(request, 4, 0, 0, 1, count))
    return;
  const std::vector<std::string_view> lines = lines_of(request.payload);

  Database& server = fuzz::scratch_db();
  fuzz::write_records(server, lines);
  Database& cache = fuzz::empty_cache_db();
  auto rev = committed_rev(server);
  FUZZ_CHECK(rev.ok());
  int64_t from = since;
  for (int batches = 0;; ++batches) {
    FUZZ_CHECK(batches <= *rev + 1);  // each batch moves on by at least one rev
    auto batch = read_changes(server, viewer, from, static_cast<int>(limit), count == 1);
    FUZZ_CHECK(batch.ok());
    FUZZ_CHECK(batch->next >= from);
    for (size_t i = 0; i < batch->changes.size(); ++i) {
      const SyncChange& c = batch->changes[i];
      FUZZ_CHECK(c.rev > from && c.rev <= batch->next);
      if (i > 0) FUZZ_CHECK(batch->changes[i - 1].rev <= c.rev);
    }
    if (count == 1) FUZZ_CHECK(batch->remaining >= 0);
    FUZZ_CHECK(!batch->more || batch->next > from);

    // As the client: the answer's text, parsed and applied in one transaction.
    const json answer = json::parse(sync_batch_json(*batch).dump(), nullptr, false);
    FUZZ_CHECK(answer.is_object());
    auto txn = Transaction::begin(cache, true);
    FUZZ_CHECK(txn.ok());
    auto applied = apply_sync_changes(cache, answer["changes"]);
    if (!applied.ok())
      std::fprintf(stderr, "the client refused the server's answer: %s\n", applied.error().message.en.c_str());
    FUZZ_CHECK(applied.ok());
    FUZZ_CHECK((*txn)->commit().ok());
    from = batch->next;
    if (!batch->more) break;
  }
  if (since == 0) check_converged(server, cache, viewer);
}

void apply(const fuzz::RequestLine& request) {
  const json answer = json::parse(request.payload, nullptr, false);
  if (answer.is_discarded()) return;
  const json& changes = answer.is_object() && answer.contains("changes") ? answer["changes"] : answer;
  Database& cache = fuzz::empty_cache_db();
  auto txn = Transaction::begin(cache, true);
  FUZZ_CHECK(txn.ok());
  auto applied = apply_sync_changes(cache, changes);
  if (applied.ok()) return;
  const ErrorCode code = applied.error().code;
  if (code != ErrorCode::bad_request && code != ErrorCode::conflict)
    std::fprintf(stderr, "apply_sync_changes: %s\n", applied.error().message.en.c_str());
  FUZZ_CHECK(code == ErrorCode::bad_request || code == ErrorCode::conflict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::RequestLine request = fuzz::split_request_line({reinterpret_cast<const char*>(data), size});
  if (request.words.empty()) return 0;
  if (request.words[0] == "pull")
    pull(request);
  else if (request.words[0] == "apply")
    apply(request);
  return 0;
}
