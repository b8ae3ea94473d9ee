// domain_bench.cpp — kehu-bench-domain: what a sales rep waits for on a large database (issue 4 budgets),
// in process on a read-only connection, each beside the raw SQL it runs.
//
//   kehu-bench-domain --db PATH [--user USERNAME] [--busy-customer ID] [--iterations N]
//
// As USERNAME (default sales01, a rep: own customers and the pool), times p50/p95/max of:
//   list     GET /customers, /activities, /orders (first page of 50, default order), scoped
//   search   GET /customers?q= for the 2-character query set (bench_queries.h), scoped
//   timeline GET /customers/{busy}/timeline (first page of 50) as the rep and as an administrator
//   sync     a batch of 1,000 changes for the rep from 0, and from the middle of the database
// "raw" is the page statement the list runs (build_page_sql, arguments bound; for search also the capped
// count, build_count_sql) stepped to the end with no JSON: the floor for the same work.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_queries.h"
#include "core/db/sqlite_database.h"
#include "core/query/customer_timeline.h"
#include "core/query/list_query.h"
#include "core/sync/sync_reader.h"
#include "core/users/user_store.h"

namespace {

using kehu::bench::Percentiles;
using kehu::bench::percentiles;
using kehu::bench::time_ms;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "kehu-bench-domain: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(kehu::Result<T> r, const std::string& what) {
  if (!r.ok()) fail(what + ": " + r.error().message.en);
  return std::move(r).value();
}

void report(const std::string& what, std::vector<double> ms, const std::string& note = "") {
  Percentiles p = percentiles(std::move(ms));
  std::printf("%-34s %8.3f %8.3f %8.3f  %s\n", what.c_str(), p.p50, p.p95, p.max, note.c_str());
}

// Steps the list's own page (or count) statement to the end: the work without the JSON.
double raw_list_ms(kehu::Database& db, const kehu::EntityDef& entity, const kehu::ListQuery& query, bool count = false) {
  auto sql = must(count ? kehu::build_count_sql(entity, query) : kehu::build_page_sql(entity, query), "build sql");
  return time_ms([&] {
    auto st = must(db.prepare(sql.sql), "prepare");
    st->bind_all(sql.args);
    for (;;) {
      auto row = st->step();
      if (!row.ok()) fail("raw step: " + row.error().message.en);
      if (!*row) break;
    }
  });
}

void bench_list(kehu::Database& db, const kehu::EntityDef& entity, const kehu::Viewer& viewer,
                const std::multimap<std::string, std::string>& params, const std::string& label, int iterations) {
  std::vector<double> api, raw;
  int64_t total = 0;
  for (int i = 0; i < iterations + 2; ++i) {
    auto query = must(kehu::parse_list_query(entity, params, viewer), "parse " + label);
    double t = time_ms([&] { total = must(kehu::run_list_query(db, entity, query), label).total; });
    double r = raw_list_ms(db, entity, query);
    if (i >= 2) {  // two warm-up runs
      api.push_back(t);
      raw.push_back(r);
    }
  }
  report(label, api, "total " + std::to_string(total));
  report("  raw SQL", raw);
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path, username = "sales01";
  int64_t busy = 0;
  int iterations = 30;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) fail("usage: kehu-bench-domain --db PATH [--user NAME] [--busy-customer ID] [--iterations N]");
    if (arg == "--db") db_path = argv[++i];
    else if (arg == "--user") username = argv[++i];
    else if (arg == "--busy-customer") busy = std::atoll(argv[++i]);
    else if (arg == "--iterations") iterations = std::max(1, std::atoi(argv[++i]));
    else fail("unknown option " + arg);
  }
  if (db_path.empty()) fail("--db PATH is required");
  kehu::SqliteOptions options;
  options.read_only = true;
  auto db = must(kehu::SqliteDatabase::open(db_path, options), "open " + db_path);
  auto user = must(kehu::find_user_by_name(*db, username), "find user");
  if (!user) fail("no user " + username);
  const kehu::Viewer rep{(*user).id, (*user).role, (*user).team_id};
  const kehu::Viewer admin{0, "admin", std::nullopt};
  auto count = [&](const std::string& table) { return must(db->query_int("SELECT count(*) FROM " + table), table).value_or(0); };
  std::printf("kehu-bench-domain: %s as %s (%s): %lld customers, %lld contacts, %lld activities, %lld orders; SQLite %s\n",
              db_path.c_str(), username.c_str(), rep.role.c_str(), static_cast<long long>(count("customers")),
              static_cast<long long>(count("contacts")), static_cast<long long>(count("activities")),
              static_cast<long long>(count("orders")), kehu::sqlite_version());
  std::printf("%-34s %8s %8s %8s\n", "what (ms)", "p50", "p95", "max");

  bench_list(*db, kehu::customers_def(), rep, {}, "list customers (rep)", iterations);
  bench_list(*db, kehu::activities_def(), rep, {}, "list activities (rep)", iterations);
  bench_list(*db, kehu::orders_def(), rep, {}, "list orders (rep)", iterations);
  for (const auto& set : kehu::bench::query_sets()) {
    if (set.name != "2char") continue;
    std::vector<double> api, raw, raw_count;
    for (int i = 0; i < iterations; ++i)
      for (const auto& q : set.queries) {
        auto query = must(kehu::parse_list_query(kehu::customers_def(), {{"q", q}}, rep), "parse q");
        api.push_back(time_ms([&] { must(kehu::run_list_query(*db, kehu::customers_def(), query), "search"); }));
        raw.push_back(raw_list_ms(*db, kehu::customers_def(), query));
        raw_count.push_back(raw_list_ms(*db, kehu::customers_def(), query, true));
      }
    report("search customers 2 chars (rep)", api);
    report("  raw SQL page", raw);
    report("  raw SQL count", raw_count);
  }
  if (busy > 0) {
    for (const auto* who : {&rep, &admin}) {
      std::vector<double> ms;
      size_t items = 0;
      for (int i = 0; i < iterations + 2; ++i) {
        double t = time_ms([&] { items = must(kehu::read_customer_timeline(*db, busy, *who, {}), "timeline").items.size(); });
        if (i >= 2) ms.push_back(t);
      }
      report(std::string("timeline of busy customer (") + (who == &rep ? "rep" : "admin") + ")", ms, std::to_string(items) + " items");
    }
  }
  const int64_t top = must(db->query_int("SELECT value FROM meta WHERE key = 'rev'"), "rev").value_or(0);
  for (int64_t since : {int64_t{0}, top / 2}) {
    std::vector<double> ms;
    size_t n = 0;
    for (int i = 0; i < iterations + 2; ++i) {
      double t = time_ms([&] { n = must(kehu::read_changes(*db, rep, since, 1000), "sync").changes.size(); });
      if (i >= 2) ms.push_back(t);
    }
    report("sync batch of 1000 (rep) since " + std::to_string(since), ms, std::to_string(n) + " changes");
  }
  return 0;
}
