#include "test_db.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/schema/migrations.h"
#include "core/settings/settings.h"

namespace kehu::test {

TestDb::TestDb() {
  std::random_device rd;
  dir_ = (std::filesystem::temp_directory_path() / ("kehu-test-" + std::to_string(rd()) + std::to_string(rd()))).string();
  std::filesystem::create_directories(dir_);
  path_ = dir_ + "/test.db";
  SqliteOptions options;
#ifdef KEHU_TEST_WASM
  options.wal = false;  // node's raw file system has no shared memory for the WAL index
#endif
  auto db = SqliteDatabase::open(path_, options);
  REQUIRE(db.ok());
  db_ = std::move(db.value());
  auto v = migrate(*db_);
  REQUIRE(v.ok());
}

TestDb::~TestDb() {
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Result<nlohmann::json> TestDb::try_create(const EntityDef& e, const nlohmann::json& input, WriteOptions options) {
  auto txn = WriteTxn::begin(*db_, clock_, Actor{});
  if (!txn.ok()) return txn.take_error();
  auto r = create_record(**txn, e, input, options);
  if (r.ok()) KEHU_TRY((*txn)->commit());
  return r;
}

nlohmann::json TestDb::create(const EntityDef& e, const nlohmann::json& input, WriteOptions options) {
  auto r = try_create(e, input, options);
  if (!r.ok()) FAIL("create failed: " << r.error().message.en << " " << input.dump());
  return r.value();
}

Result<nlohmann::json> TestDb::try_update(const EntityDef& e, int64_t id, const nlohmann::json& patch, int64_t rev) {
  auto txn = WriteTxn::begin(*db_, clock_, Actor{});
  if (!txn.ok()) return txn.take_error();
  auto r = update_record(**txn, e, id, patch, rev);
  if (r.ok()) KEHU_TRY((*txn)->commit());
  return r;
}

Status TestDb::try_delete(const EntityDef& e, int64_t id) {
  auto txn = WriteTxn::begin(*db_, clock_, Actor{});
  if (!txn.ok()) return txn.take_error();
  KEHU_TRY(delete_record(**txn, e, id));
  return (*txn)->commit();
}

int64_t TestDb::count(const std::string& sql) {
  auto r = db_->query_int(sql);
  REQUIRE(r.ok());
  return r->value_or(-1);
}

void TestDb::put_settings(const nlohmann::json& sections) {
  auto txn = WriteTxn::begin(*db_, clock_, Actor{0, ""});
  REQUIRE(txn.ok());
  auto current = read_settings(*db_);
  REQUIRE(current.ok());
  auto valid = validate_settings(sections, *current);
  REQUIRE_MESSAGE(valid.ok(), "settings refused: " << (valid.ok() ? "" : valid.error().message.en));
  REQUIRE(write_settings(**txn, *valid).ok());
  REQUIRE((*txn)->commit().ok());
}

}  // namespace kehu::test
