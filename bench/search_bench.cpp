// search_bench.cpp — kehu-bench-search: how fast customer search and GET-by-id are, in process and over HTTP.
//
//   kehu-bench-search --db PATH [--iterations N] [--gets N] [--url http://127.0.0.1:PORT --token TOKEN]
//                     [--no-inproc] [--print-sql] [--id-range]
//
// Three query sets — 1, 2 and 4 characters, ten queries each, from kehu-gen's vocabulary — run through
// parse_list_query + run_list_query (limit 50, default sort: the path GET /customers takes) on a read-only
// connection, N times each after one warm-up pass; then get_record for random ids. With --url the same
// requests go to a running crm-server (GET /api/v1/customers?q=&limit=50, GET /api/v1/customers/{id}).
// --print-sql prints, instead of timing, each search as the two statements GET /customers runs (the page
// from build_page_sql, then the capped count from build_count_sql) with their arguments inlined as SQL
// literals, one search per line ("PAGE; COUNT; -- set=1char q=科"), so the sqlite3 CLI can time the same work. --id-range prints "MIN MAX" of the customer ids.
//
// Result lines (for run_search_bench.sh) are:  mode set n p50_ms p95_ms max_ms ops_s
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <httplib.h>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/entity/entity_def.h"
#include "core/query/list_query.h"
#include "core/store/record_store.h"
#include "core/text/percent_encode.h"

namespace {

using Clock = std::chrono::steady_clock;

using kehu::bench::percentiles;
using kehu::bench::Percentiles;
using kehu::bench::query_sets;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void print_result(const char* mode, const std::string& set, const std::vector<double>& ms, double ops_s = 0) {
  Percentiles p = percentiles(ms);
  std::printf("%-7s %-6s %6zu %9.3f %9.3f %9.3f %9.0f\n", mode, set.c_str(), ms.size(), p.p50, p.p95, p.max, ops_s);
  std::fflush(stdout);
}

void print_query_line(const char* mode, const std::string& set, const std::string& q, const std::string& total,
                      const std::vector<double>& ms) {
  Percentiles p = percentiles(ms);
  std::printf("  %-6s %-6s total=%-7s p50=%7.3f p95=%7.3f max=%7.3f  q=%s\n", mode, set.c_str(), total.c_str(), p.p50,
              p.p95, p.max, q.c_str());
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-search: %s\n", what.c_str());
  std::exit(1);
}

std::string error_text(const kehu::Error& e) {
  std::string out = e.message.en;
  for (const auto& [field, text] : e.fields) out += " [" + field + ": " + text.en + "]";
  return out;
}

kehu::ListQuery parse_query(const std::string& q) {
  auto query = kehu::parse_list_query(kehu::customers_def(), {{"q", q}, {"limit", "50"}}, kehu::Viewer::system());
  if (!query.ok()) fail("query '" + q + "': " + error_text(query.error()));
  return *query;
}

// ---- --print-sql ------------------------------------------------------------------------------------

std::string sql_literal(const kehu::SqlValue& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  std::string out = "'";
  for (char c : std::get<std::string>(v)) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Replaces the ? and ?N parameter markers outside string literals with the arguments as literals.
std::string inline_args(const std::string& sql, const std::vector<kehu::SqlValue>& args) {
  std::string out;
  size_t next = 0;
  bool in_string = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') in_string = !in_string;
    if (c != '?' || in_string) {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    size_t index = j > i + 1 ? std::stoul(sql.substr(i + 1, j - i - 1)) - 1 : next++;
    if (index >= args.size()) fail("parameter marker without an argument in: " + sql);
    out += sql_literal(args[index]);
    i = j - 1;
  }
  return out;
}

void print_sql() {
  for (const auto& set : query_sets()) {
    for (const auto& q : set.queries) {
      auto page = kehu::build_page_sql(kehu::customers_def(), parse_query(q));
      if (!page.ok()) fail("build_page_sql '" + q + "': " + error_text(page.error()));
      auto count = kehu::build_count_sql(kehu::customers_def(), parse_query(q));
      if (!count.ok()) fail("build_count_sql '" + q + "': " + error_text(count.error()));
      std::printf("%s; %s; -- set=%s q=%s\n", inline_args(page->sql, page->args).c_str(),
                  inline_args(count->sql, count->args).c_str(), set.name.c_str(), q.c_str());
    }
  }
}

// ---- in process ---------------------------------------------------------------------------------------

struct IdRange {
  int64_t min = 0, max = 0;
};

IdRange id_range(kehu::Database& db) {
  auto lo = db.query_int("SELECT min(id) FROM customers");
  auto hi = db.query_int("SELECT max(id) FROM customers");
  if (!lo.ok() || !hi.ok() || !lo->has_value()) fail("the database has no customers");
  return {**lo, **hi};
}

// Times `gets` lookups of random ids (same seed, same ids) through `get_one` and prints the result line.
void time_gets(const char* mode, int gets, IdRange ids, uint64_t seed, const std::function<void(int64_t)>& get_one) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> pick(ids.min, ids.max);
  std::vector<double> times;
  auto start = Clock::now();
  for (int i = 0; i < gets; ++i) {
    int64_t id = pick(rng);
    auto t0 = Clock::now();
    get_one(id);
    times.push_back(ms_since(t0));
  }
  print_result(mode, "get", times, gets / (ms_since(start) / 1000.0));
}

void bench_inproc(kehu::Database& db, int iterations, int gets, IdRange ids) {
  for (const auto& set : query_sets()) {
    std::vector<double> all;
    for (const auto& q : set.queries) {
      std::vector<double> times;
      std::string total;
      for (int it = -1; it < iterations; ++it) {  // -1: the warm-up pass, not counted
        auto t0 = Clock::now();
        auto page = kehu::run_list_query(db, kehu::customers_def(), parse_query(q));
        double ms = ms_since(t0);
        if (!page.ok()) fail("search '" + q + "': " + error_text(page.error()));
        total = std::to_string(page->total) + (page->total_exact ? "" : "+");
        if (it >= 0) times.push_back(ms);
      }
      print_query_line("inproc", set.name, q, total, times);
      all.insert(all.end(), times.begin(), times.end());
    }
    print_result("inproc", set.name, all);
  }
  time_gets("inproc", gets, ids, 42, [&](int64_t id) {
    auto record = kehu::get_record(db, kehu::customers_def(), id);
    if (!record.ok() && record.error().code != kehu::ErrorCode::not_found) fail("get " + std::to_string(id) + ": " + error_text(record.error()));
  });
}

// ---- over HTTP ----------------------------------------------------------------------------------------

void bench_http(const std::string& url, const std::string& token, int iterations, int gets, IdRange ids) {
  httplib::Client cli(url);
  if (!cli.is_valid()) fail("bad --url " + url);
  cli.set_keep_alive(true);
  cli.set_read_timeout(60, 0);
  const httplib::Headers headers = {{"Authorization", "Bearer " + token}};
  auto get = [&](const std::string& path) {
    auto res = cli.Get(path, headers);
    if (!res) fail("GET " + path + ": " + httplib::to_string(res.error()));
    if (res->status != 200) fail("GET " + path + ": HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 300));
    return res->body;
  };
  for (const auto& set : query_sets()) {
    std::vector<double> all;
    for (const auto& q : set.queries) {
      std::vector<double> times;
      std::string total;
      const std::string path = "/api/v1/customers?q=" + kehu::percent_encode(q) + "&limit=50";
      for (int it = -1; it < iterations; ++it) {
        auto t0 = Clock::now();
        std::string body = get(path);
        double ms = ms_since(t0);
        if (it < 0) {
          auto json = nlohmann::json::parse(body, nullptr, false);
          if (json.is_object() && json.contains("total"))
            total = json["total"].dump() + (json.value("total_exact", true) ? "" : "+");
        } else {
          times.push_back(ms);
        }
      }
      print_query_line("http", set.name, q, total, times);
      all.insert(all.end(), times.begin(), times.end());
    }
    print_result("http", set.name, all);
  }
  time_gets("http", gets, ids, 43, [&](int64_t id) { get("/api/v1/customers/" + std::to_string(id)); });
}

void usage() {
  std::fprintf(stderr,
               "usage: kehu-bench-search --db PATH [--iterations N] [--gets N] [--url http://127.0.0.1:PORT --token T]\n"
               "                         [--no-inproc] [--print-sql] [--id-range]\n");
  std::exit(2);
}

int positive(const char* text) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 1 || v > 10000000) usage();
  return static_cast<int>(v);
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path, url, token;
  int iterations = 20, gets = 20000;
  bool inproc = true, want_sql = false, want_range = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--print-sql") want_sql = true;
    else if (arg == "--id-range") want_range = true;
    else if (arg == "--no-inproc") inproc = false;
    else if (!value) usage();
    else if (arg == "--db") db_path = argv[++i];
    else if (arg == "--iterations") iterations = positive(argv[++i]);
    else if (arg == "--gets") gets = positive(argv[++i]);
    else if (arg == "--url") url = argv[++i];
    else if (arg == "--token") token = argv[++i];
    else usage();
  }
  if (want_sql) {
    print_sql();  // needs no database: the SQL depends only on the query
    return 0;
  }
  if (db_path.empty() || (!url.empty() && token.empty())) usage();

  kehu::SqliteOptions options;
  options.read_only = true;
  auto db = kehu::SqliteDatabase::open(db_path, options);
  if (!db.ok()) fail("cannot open " + db_path + ": " + error_text(db.error()));
  IdRange ids = id_range(**db);
  if (want_range) {
    std::printf("%lld %lld\n", static_cast<long long>(ids.min), static_cast<long long>(ids.max));
    return 0;
  }
  std::printf("kehu-bench-search: %s, customer ids %lld..%lld, %d iterations per query, %d gets, SQLite %s\n",
              db_path.c_str(), static_cast<long long>(ids.min), static_cast<long long>(ids.max), iterations, gets,
              kehu::sqlite_version());
  std::printf("%-7s %-6s %6s %9s %9s %9s %9s\n", "mode", "set", "n", "p50_ms", "p95_ms", "max_ms", "ops_s");
  if (inproc) bench_inproc(**db, iterations, gets, ids);
  if (!url.empty()) bench_http(url, token, iterations, gets, ids);
  return 0;
}
