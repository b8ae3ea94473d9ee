// customer_generator.h — realistic Chinese customers and contacts for load tests (kehu-gen, the search bench).
//
// CustomerGenerator makes record inputs (the JSON a client would POST) from a seeded std::mt19937_64, so a
// seed always gives the same records: company names as 城市 + 字号 + 行业词 + 有限公司, ~10% individuals with
// Chinese personal names (a rare surname such as 𠮷 now and then, to exercise 4-byte UTF-8), mobiles and
// landlines, e-mails, 省市区街道 addresses, region, industry, the enum fields, owners (~20% in the pool) and tags.
//
// generate_customers() writes them through kehu::create_record — the production write path, so rev, the
// search index, customer codes and the audit trail are exactly what the server would leave — in batches of
// `batch_size` customers per WriteTxn, forcing past the duplicate guard (random name collisions are
// expected at a million rows). The vocabulary accessors below let the bench pick queries that match.
//
// Threads: a generator and the database it writes belong to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::bench {

// Vocabulary the generator draws from (the bench chooses its queries among these).
const std::vector<std::string>& brand_words();      // established 2-character 字号: 华夏, 鑫源, 恒通, ...
const std::vector<std::string>& brand_chars();      // ~300 single 字号 characters, for random pairs
const std::vector<std::string>& industry_words();   // 科技, 贸易, 电子, ...

class CustomerGenerator {
 public:
  explicit CustomerGenerator(uint64_t seed);

  // A customer input; owner_id is one of `owner_ids` or null (the pool) about 20% of the time.
  nlohmann::json customer(const std::vector<int64_t>& owner_ids);
  // A contact input for `customer_id`; `primary` marks the customer's first contact.
  nlohmann::json contact(int64_t customer_id, bool primary);
  // An activity (call, visit, meeting, e-mail, note or task) on `customer_id` for `owner_id`, at a time
  // in the two years before `now_ms`; about 70% done.
  nlohmann::json activity(int64_t customer_id, int64_t owner_id, int64_t now_ms);
  // A confirmed order of 1-3 lines of `product_ids` for `customer_id`, dated in the year before `now_ms`.
  nlohmann::json order(int64_t customer_id, int64_t owner_id, const std::vector<int64_t>& product_ids, int64_t now_ms);

  struct City;  // a city with its province, area code, region and districts (defined in the .cpp)

 private:
  const City& pick_city();
  std::string person_name();
  std::string mobile();
  std::string landline(const City& city);
  std::string latin(size_t min_len, size_t max_len);
  std::string address(const City& city);
  std::string company_name(const City& city, const std::string& industry_word);
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng_)];
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::mt19937_64 rng_;
};

struct GenerateOptions {
  int64_t customers = 0;
  int contacts_per_customer = 2;
  uint64_t seed = 1;
  int batch_size = 5000;  // customers (with their contacts) per write transaction
  int sales_users = 20;   // sales01..salesNN, created unless present
  int activities_per_customer = 0;
  int orders_per_customer = 0;
  // The first customer generated gets this many extra activities and a fifth as many extra orders: the
  // "busy customer" whose timeline the domain bench reads.
  int busy_customer_extra = 0;
};

struct GenerateStats {
  int64_t customers = 0;
  int64_t contacts = 0;
  int64_t activities = 0;
  int64_t orders = 0;
  int64_t users_created = 0;
  int64_t busy_customer = 0;  // id of the busy customer (0: none)
};

// Called after each committed batch with the running totals.
using ProgressFn = std::function<void(const GenerateStats&)>;

// Ensures the users exist, then appends `options.customers` customers to the migrated database `db`.
Result<GenerateStats> generate_customers(Database& db, const GenerateOptions& options, const ProgressFn& progress);

}  // namespace kehu::bench
