// stats_test_support.h — what the statistics tests share: a fixed-offset time zone database, users of a
// role, and the exactness check (the kept figures against a count from scratch).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "core/stats/stats_upkeep.h"
#include "core/store/write_txn.h"
#include "core/time_zone.h"
#include "core/users/user_store.h"
#include "tests/core/test_db.h"

namespace kehu::test {

// Asia/Shanghai as a fixed UTC+8 (it has had no daylight saving since 1991); UTC as itself.
class TestZones final : public TimeZones {
 public:
  std::optional<int64_t> offset_ms(std::string_view name, int64_t) const override {
    if (name == "Asia/Shanghai") return 8 * 3600 * 1000;
    if (name == "UTC") return 0;
    return std::nullopt;
  }
};

struct ZonesInstalled {
  TestZones zones;
  ZonesInstalled() { install_time_zones(&zones); }
  ~ZonesInstalled() { install_time_zones(nullptr); }
};

inline int64_t add_user(TestDb& t, const std::string& name, const std::string& role) {
  auto txn = WriteTxn::begin(t.db(), t.clock(), Actor{});
  REQUIRE(txn.ok());
  auto u = create_user(**txn, NewUser{name, name, name + "@example.com", role}, "$argon2id$x");
  REQUIRE(u.ok());
  REQUIRE((*txn)->commit().ok());
  return u->id;
}

inline void require_exact(TestDb& t) {
  auto differences = check_statistics(t.db());
  REQUIRE(differences.ok());
  for (const auto& d : *differences) MESSAGE(d);
  REQUIRE(differences->empty());
}

}  // namespace kehu::test
