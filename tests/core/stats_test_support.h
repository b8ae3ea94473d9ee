// stats_test_support.h — what the statistics tests share: a fixed-offset time zone database, users of a
// role, the exactness check (the kept figures against a count from scratch), and the random order writer
// of the property tests.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/store/record_store.h"
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

// Random order writes through the record store, for the property tests of the kept figures: of a roll
// 0–99, below 45 a new order (or when there is none), below 85 an edit of a random order (its date,
// lines, owner, status, currency, customer, or only its notes, which moves no figure), below 95 a
// deletion; from 95 on the caller takes its own step (a team move, a merge) or none.
class RandomOrders {
 public:
  // `date`: an order date to write ("" for today in the company zone); `items`: order lines.
  RandomOrders(TestDb& t, std::mt19937& rng, std::function<std::string()> date, std::function<nlohmann::json()> items)
      : t_(t), rng_(rng), date_(std::move(date)), items_(std::move(items)) {}

  // The order written, edited or deleted for `roll`, among `customers` and owned by `reps`; false when
  // the roll is the caller's (95 and up, with an order to write about).
  bool write(int roll, int step, const std::vector<int64_t>& customers, const std::vector<int64_t>& reps) {
    if (orders_.empty() || roll < 45) {
      nlohmann::json input = {{"customer_id", pick(customers)}, {"owner_id", pick(reps)}, {"items", items_()},
                              {"currency", number(0, 3) == 0 ? "USD" : "CNY"}};
      if (const std::string date = date_(); !date.empty()) input["order_date"] = date;
      auto created = t_.try_create(orders_def(), input);
      REQUIRE(created.ok());
      orders_.push_back((*created)["id"].get<int64_t>());
    } else if (roll < 85) {
      const int64_t id = pick(orders_);
      auto current = get_record(t_.db(), orders_def(), id);
      REQUIRE(current.ok());
      nlohmann::json patch;
      switch (number(0, 6)) {
        case 0: patch = {{"order_date", date_or_today()}}; break;
        case 1: patch = {{"items", items_()}}; break;
        case 2: patch = {{"owner_id", pick(reps)}}; break;
        case 3: patch = {{"status", (*current)["status"] == "confirmed" ? "cancelled" : "confirmed"}}; break;
        case 4: patch = {{"currency", (*current)["currency"] == "CNY" ? "USD" : "CNY"}}; break;
        case 5: patch = {{"customer_id", pick(customers)}}; break;
        default: patch = {{"notes", "改了备注 " + std::to_string(step)}}; break;
      }
      REQUIRE(t_.try_update(orders_def(), id, patch, (*current)["rev"].get<int64_t>()).ok());
    } else if (roll < 95) {
      const size_t at = static_cast<size_t>(number(0, static_cast<int64_t>(orders_.size()) - 1));
      REQUIRE(t_.try_delete(orders_def(), orders_[at]).ok());
      orders_.erase(orders_.begin() + static_cast<long>(at));
    } else {
      return false;
    }
    return true;
  }

  int64_t number(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  template <typename T>
  T pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(number(0, static_cast<int64_t>(v.size()) - 1))];
  }

 private:
  // An edit sets a date of the source (an edit cannot unset it to "today"); the source must give one
  // most of the time.
  std::string date_or_today() {
    for (int tries = 0; tries < 1000; ++tries)
      if (std::string date = date_(); !date.empty()) return date;
    FAIL("the date source gave no date in 1000 tries");
    return "";
  }

  TestDb& t_;
  std::mt19937& rng_;
  std::function<std::string()> date_;
  std::function<nlohmann::json()> items_;
  std::vector<int64_t> orders_;
};

}  // namespace kehu::test
