// A 409 merged field by field: one side's changes merge, both sides' different changes are conflicts the
// user settles, and without the base nothing is taken over anyone's change unseen.
#include <doctest/doctest.h>

#include "core/sync/field_merge.h"

using namespace kehu;
using nlohmann::json;

TEST_CASE("fields changed on one side merge; on both sides they are conflicts") {
  const json base = {{"id", 7}, {"rev", 10}, {"name", "华夏科技"}, {"level", "B"}, {"phone", "0571-1"}, {"notes", "旧"}, {"region", nullptr}};
  // The server meanwhile: level raised, notes rewritten, region filled in.
  const json theirs = {{"id", 7}, {"rev", 14}, {"name", "华夏科技"}, {"level", "A"}, {"phone", "0571-1"}, {"notes", "他们的备注"}, {"region", "杭州"}};
  // This edit: name and phone changed (the server did not touch them), notes changed too, region set the same.
  const json mine = {{"rev", 10}, {"name", "华夏科技有限公司"}, {"phone", "0571-2"}, {"notes", "我的备注"}, {"region", "杭州"}};
  FieldMerge m = merge_fields(base, mine, theirs);
  CHECK(m.patch == json{{"name", "华夏科技有限公司"}, {"phone", "0571-2"}, {"rev", 14}});
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0].field == "notes");
  CHECK(m.conflicts[0].base == "旧");
  CHECK(m.conflicts[0].mine == "我的备注");
  CHECK(m.conflicts[0].theirs == "他们的备注");
  CHECK_FALSE(m.settled());
  // level (theirs only) is not sent: the server's A stays.
  CHECK_FALSE(m.patch.contains("level"));

  CHECK(settle(m, {{"notes", true}}) == json{{"name", "华夏科技有限公司"}, {"phone", "0571-2"}, {"notes", "我的备注"}, {"rev", 14}});
  CHECK(settle(m, {{"notes", false}}) == m.patch);
  CHECK(settle(m, {}) == m.patch);  // no choice made: theirs
}

TEST_CASE("an edit whose every change the server already has leaves nothing to send") {
  const json base = {{"rev", 3}, {"name", "甲"}, {"status", "potential"}};
  const json theirs = {{"rev", 5}, {"name", "乙"}, {"status", "active"}};
  FieldMerge m = merge_fields(base, {{"rev", 3}, {"name", "乙"}}, theirs);
  CHECK(m.settled());
  CHECK_FALSE(changes_anything(m.patch));
  CHECK(m.patch == json{{"rev", 5}});
  // Mine kept the old value of a field the server changed (a form sent it unchanged): theirs wins quietly.
  FieldMerge kept = merge_fields(base, {{"rev", 3}, {"status", "potential"}}, theirs);
  CHECK(kept.settled());
  CHECK_FALSE(changes_anything(kept.patch));
}

TEST_CASE("custom fields merge key by key and are sent whole") {
  const json base = {{"rev", 1}, {"custom", {{"budget", 100}, {"source_detail", "展会"}, {"region_code", "HZ"}}}};
  const json theirs = {{"rev", 2}, {"custom", {{"budget", 200}, {"source_detail", "展会"}, {"region_code", "HZ"}, {"added", true}}}};
  // A form sends the whole object: here source_detail changed and region_code was cleared.
  FieldMerge m = merge_fields(base, {{"rev", 1}, {"custom", {{"budget", 100}, {"source_detail", "老客户介绍"}}}}, theirs);
  CHECK(m.settled());
  // The server replaces the object: theirs (budget 200, added) with the merged keys over it.
  CHECK(m.patch == json{{"custom", {{"budget", 200}, {"source_detail", "老客户介绍"}, {"added", true}}}, {"rev", 2}});
  FieldMerge both = merge_fields(base, {{"rev", 1}, {"custom", {{"budget", 150}, {"source_detail", "展会"}, {"region_code", "HZ"}}}}, theirs);
  REQUIRE(both.conflicts.size() == 1);
  CHECK(both.conflicts[0].field == "custom.budget");
  CHECK(settle(both, {{"custom.budget", true}}) ==
        json{{"custom", {{"budget", 150}, {"source_detail", "展会"}, {"region_code", "HZ"}, {"added", true}}}, {"rev", 2}});
  CHECK(settle(both, {{"custom.budget", false}}) == json{{"rev", 2}});
}

TEST_CASE("without the base row every differing field asks the user") {
  const json theirs = {{"rev", 9}, {"name", "丙"}, {"level", "A"}};
  FieldMerge m = merge_fields(nullptr, {{"rev", 4}, {"name", "丁"}, {"level", "A"}}, theirs);
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0].field == "name");
  CHECK(m.conflicts[0].base.is_null());
  CHECK(m.patch == json{{"rev", 9}});
}

TEST_CASE("a value the server cleared and this edit changed is a conflict; one it set where the edit cleared too") {
  const json base = {{"rev", 1}, {"email", "a@x.example"}, {"website", "x.example"}};
  const json theirs = {{"rev", 2}, {"email", nullptr}, {"website", nullptr}};
  FieldMerge m = merge_fields(base, {{"rev", 1}, {"email", "b@x.example"}, {"website", nullptr}}, theirs);
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0].field == "email");
  CHECK(m.conflicts[0].theirs.is_null());
  CHECK_FALSE(m.patch.contains("website"));  // both cleared it
}
