// write_records.h — records a fuzz input asks for, written before the target reads them back (cursor and
// sync): one "resource {json body}" per line, each created as the system in its own committed transaction
// through core's write path. Lines that name no entity, or whose body does not parse or validate, are
// skipped; at most kMaxRecords are written, so an input cannot make one run slow.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/entity/entity_def.h"
#include "core/store/record_store.h"
#include "core/store/write_txn.h"
#include "server/http/json_body.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_db.h"

namespace kehu::fuzz {

constexpr size_t kMaxRecords = 16;

inline void write_records(Database& db, const std::vector<std::string_view>& lines) {
  for (size_t i = 0; i < lines.size() && i < kMaxRecords; ++i) {
    const size_t space = lines[i].find(' ');
    if (space == std::string_view::npos) continue;
    const EntityDef* entity = find_entity(lines[i].substr(0, space));
    if (!entity) continue;
    auto body = server::parse_json_object("application/json", std::string(lines[i].substr(space + 1)));
    if (!body.ok()) continue;
    auto txn = WriteTxn::begin(db, fuzz_clock(), Actor{});
    FUZZ_CHECK(txn.ok());
    auto made = create_record(**txn, *entity, *body);
    if (made.ok()) FUZZ_CHECK((*txn)->commit().ok());
  }
}

}  // namespace kehu::fuzz
