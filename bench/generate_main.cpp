// generate_main.cpp — kehu-gen: fills a Kehu database with realistic Chinese customers for load tests.
//
//   kehu-gen --db PATH --customers N [--contacts-per-customer K] [--activities-per-customer A]
//            [--orders-per-customer O] [--busy-customer-extra X] [--seed S] [--batch B]
//
// Creates and migrates PATH if needed, makes sure the sales users sales01..sales20 exist, then appends N
// customers (and K contacts each, default 2; A activities and O orders each, default 0; the first customer
// X more activities and X/5 more orders) through the production write path (customer_generator.h).
// The same seed and N give the same records. Progress every 100,000 customers; totals and rows/s at the end.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/customer_generator.h"
#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: kehu-gen --db PATH --customers N [--contacts-per-customer K] [--activities-per-customer A]\n"
               "                [--orders-per-customer O] [--busy-customer-extra X] [--seed S] [--batch B]\n");
}

bool parse_count(const char* text, int64_t& out, int64_t min_value) {
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < min_value) return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path;
  kehu::bench::GenerateOptions options;
  options.customers = -1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    int64_t n = 0;
    if (arg == "--db" && value) {
      db_path = value;
    } else if (arg == "--customers" && value && parse_count(value, n, 0)) {
      options.customers = n;
    } else if (arg == "--contacts-per-customer" && value && parse_count(value, n, 0) && n <= 100) {
      options.contacts_per_customer = static_cast<int>(n);
    } else if (arg == "--activities-per-customer" && value && parse_count(value, n, 0) && n <= 100) {
      options.activities_per_customer = static_cast<int>(n);
    } else if (arg == "--orders-per-customer" && value && parse_count(value, n, 0) && n <= 100) {
      options.orders_per_customer = static_cast<int>(n);
    } else if (arg == "--busy-customer-extra" && value && parse_count(value, n, 0) && n <= 1000000) {
      options.busy_customer_extra = static_cast<int>(n);
    } else if (arg == "--seed" && value && parse_count(value, n, 0)) {
      options.seed = static_cast<uint64_t>(n);
    } else if (arg == "--batch" && value && parse_count(value, n, 1) && n <= 1000000) {
      options.batch_size = static_cast<int>(n);
    } else {
      usage();
      return 2;
    }
    ++i;
  }
  if (db_path.empty() || options.customers < 0) {
    usage();
    return 2;
  }

  auto db = kehu::SqliteDatabase::open(db_path);
  if (!db.ok()) {
    std::fprintf(stderr, "kehu-gen: cannot open %s: %s\n", db_path.c_str(), db.error().message.en.c_str());
    return 1;
  }
  auto version = kehu::migrate(**db);
  if (!version.ok()) {
    std::fprintf(stderr, "kehu-gen: migration failed: %s\n", version.error().message.en.c_str());
    return 1;
  }
  // A bigger page cache for the bulk load only (the data written is the same): the FTS segments and
  // the customer indexes stay in memory between batches.
  (void)(*db)->exec("PRAGMA cache_size = -262144");

  std::printf("kehu-gen: %s (schema v%d), %lld customers x %d contacts, seed %llu, %d per transaction\n",
              db_path.c_str(), *version, static_cast<long long>(options.customers), options.contacts_per_customer,
              static_cast<unsigned long long>(options.seed), options.batch_size);
  std::fflush(stdout);

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  constexpr int64_t kProgressEvery = 100000;
  int64_t next_report = kProgressEvery;
  auto progress = [&](const kehu::bench::GenerateStats& s) {
    if (s.customers < next_report) return;
    while (next_report <= s.customers) next_report += kProgressEvery;
    double t = seconds_since(start);
    std::printf("  %9lld customers %9lld contacts %9lld activities %9lld orders  %8.1f s  %8.0f rows/s\n",
                static_cast<long long>(s.customers), static_cast<long long>(s.contacts), static_cast<long long>(s.activities),
                static_cast<long long>(s.orders), t, static_cast<double>(s.customers + s.contacts + s.activities + s.orders) / t);
    std::fflush(stdout);
  };
  auto stats = kehu::bench::generate_customers(**db, options, progress);
  if (!stats.ok()) {
    std::fprintf(stderr, "kehu-gen: %s\n", stats.error().message.en.c_str());
    return 1;
  }
  double t = seconds_since(start);
  int64_t rows = stats->customers + stats->contacts + stats->activities + stats->orders;
  if (stats->busy_customer) std::printf("kehu-gen: busy customer %lld\n", static_cast<long long>(stats->busy_customer));
  std::printf("kehu-gen: done: %lld customers, %lld contacts, %lld activities, %lld orders, %lld new users in %.1f s: %.0f rows/s (%.0f customers/s)\n",
              static_cast<long long>(stats->customers), static_cast<long long>(stats->contacts),
              static_cast<long long>(stats->activities), static_cast<long long>(stats->orders),
              static_cast<long long>(stats->users_created), t, t > 0 ? static_cast<double>(rows) / t : 0.0,
              t > 0 ? static_cast<double>(stats->customers) / t : 0.0);
  return 0;
}
