// test_db.h — a fresh, migrated SQLite database file per test, and helpers to write through core.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/db/sqlite_database.h"
#include "core/store/record_store.h"

namespace kehu::test {

// A real database file in a fresh temporary folder, removed with the object.
class TestDb {
 public:
  TestDb();
  ~TestDb();
  SqliteDatabase& db() { return *db_; }
  ManualClock& clock() { return clock_; }
  const std::string& path() const { return path_; }

  // create/update/delete in their own committed WriteTxn, as user 0 unless given.
  nlohmann::json create(const EntityDef& e, const nlohmann::json& input, WriteOptions options = {});
  Result<nlohmann::json> try_create(const EntityDef& e, const nlohmann::json& input, WriteOptions options = {});
  Result<nlohmann::json> try_update(const EntityDef& e, int64_t id, const nlohmann::json& patch, int64_t rev);
  Status try_delete(const EntityDef& e, int64_t id);
  int64_t count(const std::string& sql);
  // Validates and stores settings sections (settings.h), as the admin's PUT does; CHECKs success.
  void put_settings(const nlohmann::json& sections);

 private:
  std::string dir_, path_;
  ManualClock clock_{1763800000000};  // 2025-11-22T08:26:40Z
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace kehu::test
