// client_cache_bench.cpp — kehu-bench-cache: the client's local cache, built natively and to wasm, so the
// same work can be timed in both (the budget: local search p95 ≤ 30 ms and ≤ 2× the same query natively).
//
//   kehu-bench-cache --server-db PATH [--iterations N] [--page P] [--visible V]
//
// 1. First sync: reads the server database's changes the way GET /sync does (read_changes, P per page,
//    default 2000 as the client asks) and serializes each page to JSON text; the timed client side parses
//    each page and applies it in one transaction (apply_sync_changes) to a cache on the client's own
//    chunk VFS (web/cache/chunk_vfs.h), opened with the client's SqliteOptions. Prints rows, seconds
//    and rows/s for the client side, and the server side's time for reference.
// 2. Local search: each query of bench_queries.h as the customer list runs it on every keystroke —
//    LocalCache::find_ids (every matching id, default sort) then the V visible rows (default 40) read by
//    LocalCache::records — N times after one warm-up pass (default 10). Per set: p50, p95, max.
//
// The wasm build runs under node with NODERAWFS (the server database is read from the real file); V8 is
// the engine Chromium runs the client's wasm with. Result lines, for run_client_cache_bench.sh:
//   sync  <rows> <client_s> <rows_per_s> <parse_s> <server_s> <cache_mb>   (parse_s: the JSON part of client_s)
//   search <set> <n> <p50_ms> <p95_ms> <max_ms>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/sync/sync_applier.h"
#include "core/sync/sync_reader.h"
#include "web/cache/chunk_vfs.h"
#include "web/cache/local_cache.h"
#include "web/cache/phone_book.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-cache: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(kehu::Result<T> r, const char* what) {
  if (!r.ok()) fail(std::string(what) + ": " + r.error().message.en);
  return std::move(r).value();
}

void must(const kehu::Status& s, const char* what) {
  if (!s.ok()) fail(std::string(what) + ": " + s.error().message.en);
}

bool parse_int(const char* text, int& out, int min_value) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < min_value || v > 1000000) return false;
  out = static_cast<int>(v);
  return true;
}

// The client's cache: the chunk VFS in memory, the options BrowserPlatform opens it with.
std::unique_ptr<kehu::client::LocalCache> open_client_cache() {
  must(kehu::client::register_chunk_vfs(), "registering the chunk VFS");
  kehu::SqliteOptions options;
  options.client_cache = true;
  options.wal = false;
  options.vfs = kehu::client::kChunkVfsName;
  auto db = must(kehu::SqliteDatabase::open("bench-cache", options), "opening the cache");
  return must(kehu::client::LocalCache::attach(std::move(db)), "preparing the cache");
}

void first_sync(kehu::Database& server, kehu::client::LocalCache& cache, int page) {
  double server_s = 0, client_s = 0, parse_s = 0;
  int64_t rows = 0, since = 0;
  for (bool more = true; more;) {
    auto server_start = Clock::now();
    kehu::SyncBatch batch = must(kehu::read_changes(server, kehu::Viewer::system(), since, page), "reading changes");
    std::string body = kehu::sync_batch_json(batch).dump();
    server_s += seconds_since(server_start);

    auto client_start = Clock::now();
    nlohmann::json parsed = nlohmann::json::parse(body);
    parse_s += seconds_since(client_start);
    auto txn = must(kehu::Transaction::begin(cache.db(), true), "beginning a cache transaction");
    auto stats = must(kehu::apply_sync_changes(cache.db(), parsed["changes"]), "applying a page");
    must(txn->commit(), "committing a page");
    client_s += seconds_since(client_start);

    rows += stats.upserted + stats.removed;
    since = parsed.value("next", since);
    more = parsed.value("more", false);
  }
  auto pages = must(cache.db().query_int("PRAGMA page_count"), "reading the cache size");
  auto page_size = must(cache.db().query_int("PRAGMA page_size"), "reading the cache size");
  double cache_mb = static_cast<double>(pages.value_or(0) * page_size.value_or(0)) / 1e6;
  std::printf("sync %lld %.3f %.0f %.3f %.3f %.1f\n", static_cast<long long>(rows), client_s,
              client_s > 0 ? static_cast<double>(rows) / client_s : 0.0, parse_s, server_s, cache_mb);
  std::fflush(stdout);
}

void local_search(kehu::client::LocalCache& cache, int iterations, int visible) {
  const kehu::EntityDef& customers = kehu::customers_def();
  auto run = [&](const std::string& q) {
    std::vector<int64_t> ids = must(cache.find_ids(customers, {{"q", q}, {"sort", "-id"}}), "searching");
    std::vector<int64_t> shown(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), static_cast<size_t>(visible)));
    auto rows = must(cache.records(customers, shown), "reading the visible rows");
    if (rows.size() != shown.size()) fail("visible rows missing for '" + q + "'");
    return ids.size();
  };
  for (const auto& set : kehu::bench::query_sets()) {
    std::vector<double> times;
    for (const auto& q : set.queries) {
      size_t matches = run(q);  // warm-up
      std::vector<double> per_query;
      for (int i = 0; i < iterations; ++i) {
        auto start = Clock::now();
        run(q);
        per_query.push_back(seconds_since(start) * 1000.0);
      }
      auto p = kehu::bench::percentiles(per_query);
      std::printf("  %-6s matches=%-7zu p50=%8.3f p95=%8.3f  q=%s\n", set.name.c_str(), matches, p.p50, p.p95, q.c_str());
      times.insert(times.end(), per_query.begin(), per_query.end());
    }
    auto p = kehu::bench::percentiles(times);
    std::printf("search %s %zu %.3f %.3f %.3f\n", set.name.c_str(), times.size(), p.p50, p.p95, p.max);
    std::fflush(stdout);
  }
}

// The phone book (web/cache/phone_book.h) over every contact: all of them in phone-book order, found by a
// contact's name, by a customer's name and by part of a number, each with the entries of a screenful read,
// as the screen does.
void phone_book(kehu::client::LocalCache& cache, int iterations, int visible) {
  const struct {
    const char* name;
    const char* search;
  } cases[] = {{"phonebook_all", ""}, {"phonebook_name", "王"}, {"phonebook_customer", "科技"}, {"phonebook_number", "0013"}};
  for (const auto& c : cases) {
    size_t matches = 0;
    std::vector<double> times;
    for (int i = 0; i <= iterations; ++i) {  // the first run warms up
      auto start = Clock::now();
      std::vector<int64_t> ids = must(kehu::client::phone_book_ids(cache.db(), c.search), "reading the phone book");
      std::vector<int64_t> shown(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), static_cast<size_t>(visible)));
      auto entries = must(kehu::client::phone_book_entries(cache.db(), shown), "reading the phone book's rows");
      if (entries.size() != shown.size()) fail("phone book rows missing");
      if (i > 0) times.push_back(seconds_since(start) * 1000.0);
      matches = ids.size();
    }
    auto p = kehu::bench::percentiles(times);
    std::printf("search %s %zu %.3f %.3f %.3f  matches=%zu\n", c.name, times.size(), p.p50, p.p95, p.max, matches);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string server_db;
  int iterations = 10, page = 2000, visible = 40;
  for (int i = 1; i < argc; i += 2) {  // every option takes a value
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    bool ok = value != nullptr;
    if (ok && arg == "--server-db") server_db = value;
    else if (ok && arg == "--iterations") ok = parse_int(value, iterations, 1);
    else if (ok && arg == "--page") ok = parse_int(value, page, 1) && page <= kehu::kMaxSyncLimit;
    else if (ok && arg == "--visible") ok = parse_int(value, visible, 1);
    else ok = false;
    if (!ok) {
      std::fprintf(stderr, "usage: kehu-bench-cache --server-db PATH [--iterations N] [--page P] [--visible V]\n");
      return 2;
    }
  }
  if (server_db.empty()) fail("--server-db PATH is required");
  kehu::SqliteOptions server_options;
  server_options.read_only = true;
  auto server = must(kehu::SqliteDatabase::open(server_db, server_options), "opening the server database");
  auto cache = open_client_cache();
  first_sync(*server, *cache, page);
  local_search(*cache, iterations, visible);
  phone_book(*cache, iterations, visible);
  return 0;
}
