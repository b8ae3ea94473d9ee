// A 409 on a queued edit, over a real SQLite cache: what merges is queued again against the server's rev
// and shown at once; fields both sides changed wait for the user, stay visible (even after a sync puts the
// server's row back), and the user's answer is queued or, when nothing is left, done.
#include <doctest/doctest.h>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/sync/sync_applier.h"
#include "web/cache/local_cache.h"
#include "web/sync/outbox.h"

using namespace kehu;
using namespace kehu::client;
using nlohmann::json;

namespace {

struct Fixture {
  std::unique_ptr<LocalCache> cache;
  std::unique_ptr<Outbox> outbox;
  json server_row = {{"id", 5},       {"rev", 1},          {"code", "C000005"}, {"name", "华夏科技"}, {"level", "B"},
                     {"notes", "旧"}, {"created_at", "2026-11-20T01:00:00.000Z"}, {"updated_at", "2026-11-20T01:00:00.000Z"}};
  Fixture() {
    auto db = SqliteDatabase::open(":memory:", SqliteOptions{});
    REQUIRE(db.ok());
    auto attached = LocalCache::attach(std::move(db.value()));
    REQUIRE(attached.ok());
    cache = std::move(*attached);
    outbox = std::make_unique<Outbox>(*cache);
    REQUIRE(store_server_record(cache->db(), customers_def(), server_row).ok());
  }
  json row() {
    auto r = cache->record(customers_def(), 5);
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    return **r;
  }
  // The server's row after someone else's change: `changes` over the row, the next rev.
  json theirs(const json& changes) {
    json t = server_row;
    for (const auto& [k, v] : changes.items()) t[k] = v;
    t["rev"] = 2;
    t["updated_at"] = "2026-11-21T02:00:00.000Z";
    t["updated_by"] = 9;
    return t;
  }
};

const json kConflictError = {{"error", {{"code", "conflict"}, {"message", "someone else changed this record"}}}};

}  // namespace

TEST_CASE("a conflict on fields only this edit changed is merged and sent again against the server's rev") {
  Fixture f;
  auto queued = f.outbox->update(customers_def(), 5, {{"name", "华夏科技有限公司"}}, 1, "2026-11-21T03:00:00.000Z", 1);
  REQUIRE(queued.ok());
  auto entry = f.outbox->next();
  REQUIRE(entry.has_value());
  const json theirs = f.theirs({{"level", "A"}});
  auto merged = f.outbox->conflicted(*entry, theirs, kConflictError);
  REQUIRE(merged.ok());
  CHECK(*merged == Outbox::Merged::resend);
  auto again = f.outbox->next();
  REQUIRE(again.has_value());
  CHECK(again->seq == entry->seq);                          // the same entry, the same Idempotency-Key
  CHECK(again->idempotency_key == entry->idempotency_key);
  CHECK(again->body == json{{"name", "华夏科技有限公司"}, {"rev", 2}});
  CHECK(f.row()["level"] == "A");                            // theirs
  CHECK(f.row()["name"] == "华夏科技有限公司");              // mine
  CHECK(f.row()["rev"] == 2);
  CHECK(f.outbox->failed_count() == 0);
}

TEST_CASE("an edit the server already holds is done after a conflict") {
  Fixture f;
  REQUIRE(f.outbox->update(customers_def(), 5, {{"level", "A"}}, 1, "2026-11-21T03:00:00.000Z", 1).ok());
  auto entry = f.outbox->next();
  REQUIRE(entry.has_value());
  auto merged = f.outbox->conflicted(*entry, f.theirs({{"level", "A"}, {"notes", "他们的"}}), kConflictError);
  REQUIRE(merged.ok());
  CHECK(*merged == Outbox::Merged::nothing_left);
  CHECK(f.outbox->empty());
  CHECK(f.row()["notes"] == "他们的");
}

TEST_CASE("a field both sides changed waits for the user, stays visible, and takes the user's answer") {
  for (bool take_mine : {true, false}) {
    CAPTURE(take_mine);
    Fixture f;
    REQUIRE(f.outbox->update(customers_def(), 5, {{"notes", "我的"}, {"name", "华夏科技有限公司"}}, 1, "2026-11-21T03:00:00.000Z", 1).ok());
    auto entry = f.outbox->next();
    REQUIRE(entry.has_value());
    const json theirs = f.theirs({{"notes", "他们的"}, {"level", "A"}});
    auto merged = f.outbox->conflicted(*entry, theirs, kConflictError);
    REQUIRE(merged.ok());
    CHECK(*merged == Outbox::Merged::needs_user);
    CHECK_FALSE(f.outbox->next().has_value());  // nothing is sent until the user answers
    auto failed = f.outbox->failed_entries();
    REQUIRE(failed.size() == 1);
    const json& conflicts = failed[0].error["merge"]["conflicts"];
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts[0] == json{{"field", "notes"}, {"base", "旧"}, {"mine", "我的"}, {"theirs", "他们的"}});
    CHECK(failed[0].error["merge"]["theirs"]["updated_by"] == 9);
    CHECK(failed[0].error["error"]["code"] == "conflict");
    // Shown as theirs with the edit over it, also after a sync brings the server's row again.
    CHECK(f.row()["notes"] == "我的");
    CHECK(f.row()["level"] == "A");
    REQUIRE(store_server_record(f.cache->db(), customers_def(), theirs).ok());
    REQUIRE(f.outbox->reapply_pending().ok());
    CHECK(f.row()["notes"] == "我的");
    CHECK(f.row()["name"] == "华夏科技有限公司");

    REQUIRE(f.outbox->settle_conflict(entry->seq, {{"notes", take_mine}}).ok());
    auto sent = f.outbox->next();
    REQUIRE(sent.has_value());
    json expected = {{"name", "华夏科技有限公司"}, {"rev", 2}};
    if (take_mine) expected["notes"] = "我的";
    CHECK(sent->body == expected);
    CHECK(f.row()["notes"] == (take_mine ? "我的" : "他们的"));
    CHECK(f.outbox->failed_count() == 0);
  }
}

TEST_CASE("discarding a conflicted edit shows the server's row, not the older one the edit began from") {
  Fixture f;
  REQUIRE(f.outbox->update(customers_def(), 5, {{"notes", "我的"}}, 1, "2026-11-21T03:00:00.000Z", 1).ok());
  auto entry = f.outbox->next();
  REQUIRE(entry.has_value());
  REQUIRE(f.outbox->conflicted(*entry, f.theirs({{"notes", "他们的"}}), kConflictError).ok());
  REQUIRE(f.outbox->withdraw(entry->seq).ok());
  CHECK(f.outbox->empty());
  CHECK(f.row()["notes"] == "他们的");
  CHECK(f.row()["rev"] == 2);
  // Settling what is no longer there is refused with a reason.
  Status st = f.outbox->settle_conflict(entry->seq, {});
  CHECK_FALSE(st.ok());
}

TEST_CASE("an edit of a record deleted on the server: discarding it removes the record, recreating it keeps the edit") {
  const json gone = {{"error", {{"code", "not_found"}, {"message", "no such customer"}}}};
  {
    Fixture f;
    REQUIRE(f.outbox->update(customers_def(), 5, {{"notes", "我的"}}, 1, "2026-11-21T03:00:00.000Z", 1).ok());
    auto entry = f.outbox->next();
    REQUIRE(entry.has_value());
    REQUIRE(f.outbox->refused(*entry, gone).ok());
    REQUIRE(f.outbox->withdraw(entry->seq).ok());
    auto row = f.cache->record(customers_def(), 5);
    REQUIRE(row.ok());
    CHECK_FALSE(row->has_value());  // not brought back as it was before the edit
  }
  {
    Fixture f;
    REQUIRE(f.outbox->update(customers_def(), 5, {{"notes", "我的"}}, 1, "2026-11-21T03:00:00.000Z", 1).ok());
    auto entry = f.outbox->next();
    REQUIRE(entry.has_value());
    REQUIRE(f.outbox->refused(*entry, gone).ok());
    auto made = f.outbox->recreate(entry->seq, "2026-11-21T04:00:00.000Z", 0);
    REQUIRE(made.ok());
    CHECK(made->row["id"].get<int64_t>() < 0);  // a new record, not yet on the server
    auto sent = f.outbox->next();
    REQUIRE(sent.has_value());
    CHECK(sent->method == "POST");
    CHECK(sent->body["name"] == "华夏科技");
    CHECK(sent->body["notes"] == "我的");
    CHECK(sent->body["level"] == "B");
    CHECK_FALSE(sent->body.contains("code"));
    CHECK(f.outbox->failed_count() == 0);
    auto old = f.cache->record(customers_def(), 5);
    REQUIRE(old.ok());
    CHECK_FALSE(old->has_value());
    // Only an edit of a deleted record can be made again.
    CHECK_FALSE(f.outbox->recreate(sent->seq, "2026-11-21T04:00:00.000Z", 0).ok());
  }
}
