// record_write_fuzz.cpp — POST /api/v1/{res} and PATCH /api/v1/{res}/{id}: a body down the write path.
//
// Input (request_line.h):
//   POST customers 3                       PATCH customers/1 2
//   {"name": "华夏科技", "level": "A"}        {"rev": 14, "level": "B", "force": true}
// words: method, resource[/id], viewer. The body goes the route's way (server/routes/record_routes.cpp):
// parse_json_object(), `force` taken out (a boolean; only roles that may override), `rev` taken out for
// PATCH; then core's one write path, create_record() or update_record(), for that viewer, in a WriteTxn
// on the seeded database that is never committed. So validation, references, record scope, the entity's
// rules (codes, the duplicate guard, stock, workflows), the search index and the statistics upkeep all see
// the fuzzer's values, and the next input finds the database as it was.
// Checked beyond "no crash, no leak, no UB":
//   - a write is never refused with ErrorCode::storage: that is a 500, some input reached SQL that
//     cannot hold it (a refusal must be a 4xx naming the field);
//   - a written record reads back as the answer said (get_record), and sending its own writable values
//     back as a PATCH at its rev changes nothing: the same record, the same rev (record_store.h).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/query/list_query.h"
#include "core/store/record_store.h"
#include "core/users/role_rights.h"
#include "server/http/json_body.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"
#include "tests/fuzz/request_line.h"

using namespace kehu;
using nlohmann::json;

namespace {

bool served(const EntityDef* entity) {
  for (const EntityDef* e : served_entities())
    if (e == entity) return true;
  return false;
}

bool may(const Viewer& viewer, const EntityDef& entity, Action action) {
  return viewer.is_system() || role_may(viewer.role, entity.name, action);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::RequestLine request = fuzz::split_request_line({reinterpret_cast<const char*>(data), size});
  if (request.words.size() < 2) return 0;
  const bool create = request.words[0] == "POST";
  if (!create && request.words[0] != "PATCH") return 0;
  std::string resource = request.words[1];
  int64_t id = 0;
  if (!create) {
    const size_t slash = resource.find('/');
    if (slash == std::string::npos || !parse_query_int(resource.substr(slash + 1), id) || id <= 0) return 0;
    resource.resize(slash);
  }
  const EntityDef* entity = find_entity(resource);
  if (!entity || !served(entity)) return 0;
  if (create && entity == &users_def()) return 0;  // POST /users is its own route (a password, user_store.h)
  const Viewer& viewer = fuzz::viewers()[fuzz::word_index(request, 2, fuzz::viewers().size())];
  if (!may(viewer, *entity, create ? Action::create : Action::update)) return 0;  // the route's 403/404

  auto body = server::parse_json_object("application/json", request.payload);
  if (!body.ok()) return 0;
  bool force = false;
  if (auto it = body->find("force"); it != body->end()) {
    if (!it->is_boolean()) return 0;
    force = it->get<bool>();
    body->erase(it);
    if (force && !viewer.is_system() && !role_may_override(viewer.role)) return 0;
  }
  int64_t rev = 0;
  if (!create) {
    auto it = body->find("rev");
    if (it == body->end() || !it->is_number_integer()) return 0;
    rev = it->get<int64_t>();
    body->erase(it);
  }

  Database& db = fuzz::seeded_db();
  auto txn = WriteTxn::begin(db, fuzz::fuzz_clock(), Actor{viewer.user_id, "127.0.0.1"});
  FUZZ_CHECK(txn.ok());
  const WriteOptions options{force, viewer};
  auto written =
      create ? create_record(**txn, *entity, *body, options) : update_record(**txn, *entity, id, *body, rev, options);
  if (!written.ok()) {
    if (written.error().code == ErrorCode::storage)
      std::fprintf(stderr, "storage error: %s\n", written.error().message.en.c_str());
    FUZZ_CHECK(written.error().code != ErrorCode::storage);
    return 0;  // `txn` rolls back
  }
  FUZZ_CHECK((*written)["id"].is_number_integer());
  const int64_t written_id = (*written)["id"].get<int64_t>();
  auto stored = get_record(db, *entity, written_id);
  FUZZ_CHECK(stored.ok());
  FUZZ_CHECK(*stored == *written);

  if (!may(viewer, *entity, Action::update)) return 0;
  json same = json::object();
  for (const FieldDef& f : entity->fields)
    if (f.writable && !f.immutable) same[f.name] = (*stored)[f.name];
  auto again = update_record(**txn, *entity, written_id, same, (*stored)["rev"].get<int64_t>(), options);
  if (!again.ok()) std::fprintf(stderr, "unchanged PATCH refused: %s\n", again.error().message.en.c_str());
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *stored);
  return 0;
}
