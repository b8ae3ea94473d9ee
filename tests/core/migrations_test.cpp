#include <doctest/doctest.h>

#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/schema/migrations.h"
#include "test_db.h"

using namespace kehu;

TEST_CASE("migrating an empty database reaches the latest version, and again is a no-op") {
  auto db = SqliteDatabase::open(":memory:", SqliteOptions{false, false});
  REQUIRE(db.ok());
  auto v = migrate(**db);
  REQUIRE(v.ok());
  CHECK(*v == latest_schema_version());
  auto again = migrate(**db);
  REQUIRE(again.ok());
  CHECK(*again == latest_schema_version());
  CHECK((*db)->query_int("SELECT value FROM meta WHERE key = 'rev'")->value() == 0);
}

TEST_CASE("every migration applies from every older version") {
  for (const auto& m : migrations()) {
    auto db = SqliteDatabase::open(":memory:", SqliteOptions{false, false});
    REQUIRE(db.ok());
    REQUIRE(migrate(**db, m.version - 1).ok());
    auto v = migrate(**db);
    REQUIRE(v.ok());
    CHECK(*v == latest_schema_version());
  }
}

TEST_CASE("a database newer than this program is refused") {
  auto db = SqliteDatabase::open(":memory:", SqliteOptions{false, false});
  REQUIRE(db.ok());
  REQUIRE((*db)->exec("PRAGMA user_version = 999").ok());
  auto v = migrate(**db);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().message.en.find("newer") != std::string::npos);
}

TEST_CASE("every described field has a column (descriptors and schema agree)") {
  test::TestDb t;
  for (const auto* e : record_entities()) {
    for (const auto& f : e->fields) {
      INFO(e->name << "." << f.name);
      CHECK(t.count("SELECT count(*) FROM pragma_table_info('" + e->name + "') WHERE name = '" + f.name + "'") == 1);
    }
  }
}

TEST_CASE("durability settings: WAL, synchronous=FULL, foreign keys on") {
  test::TestDb t;
#ifndef KEHU_TEST_WASM
  auto st = t.db().prepare("PRAGMA journal_mode");
  REQUIRE(st.ok());
  REQUIRE((*st)->step().value());
  CHECK((*st)->column_text(0) == "wal");
#endif
  CHECK(t.count("PRAGMA synchronous") == 2);
  CHECK(t.count("PRAGMA foreign_keys") == 1);
}

TEST_CASE("the audit trail cannot be edited or deleted") {
  test::TestDb t;
  t.create(customers_def(), {{"name", "审计测试"}});
  CHECK(t.count("SELECT count(*) FROM audit") >= 1);
  CHECK_FALSE(t.db().exec("UPDATE audit SET action = 'x'").ok());
  CHECK_FALSE(t.db().exec("DELETE FROM audit").ok());
}

TEST_CASE("v1 -> v2 keeps users and tombstones, adds record scope, and makes every existing user sync again") {
  auto db = SqliteDatabase::open(":memory:", SqliteOptions{false, false});
  REQUIRE(db.ok());
  REQUIRE(migrate(**db, 1).ok());
  REQUIRE((*db)->exec("INSERT INTO users (rev, created_at, updated_at, username, display_name, role) VALUES (1, 'x', 'x', 'li', '李', 'sales');"
                      "INSERT INTO tombstones (entity, id, rev, deleted_at) VALUES ('customers', 7, 2, 'x');").ok());
  REQUIRE(migrate(**db).ok());
  // Every existing user's next sync starts over: they synced every record before scopes existed.
  CHECK((*db)->query_int("SELECT value FROM meta WHERE key = 'rev'")->value_or(-1) == 1);
  CHECK((*db)->query_int("SELECT scope_rev FROM users WHERE username = 'li'")->value_or(-1) == 1);
  CHECK((*db)->query_int("SELECT rev FROM users WHERE username = 'li'")->value_or(-1) == 1);
  CHECK((*db)->query_int("SELECT count(*) FROM tombstones WHERE id = 7 AND scope_owner = -1")->value_or(-1) == 1);
  CHECK((*db)->query_int("SELECT count(*) FROM teams")->value_or(-1) == 0);
  CHECK((*db)->query_int("SELECT count(*) FROM scope_moves")->value_or(-1) == 0);
}
