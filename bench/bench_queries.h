// bench_queries.h — what the search benches share: the query sets (drawn from kehu-gen's vocabulary, so
// every query has matches), timing a piece of work, and nearest-rank percentiles of timings.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kehu::bench {

struct QuerySet {
  std::string name;  // "1char", "2char", "4char"
  std::vector<std::string> queries;
};

// 字号 (华夏, 鑫源, ...), 行业词 (科技, 贸易, ...), cities, surnames (王, the rare 𠮷), tags (重点客户) and the
// ubiquitous 有限公司 (the broadest 4-character query): ten queries per set.
const std::vector<QuerySet>& query_sets();

struct Percentiles {
  double p50 = 0, p95 = 0, max = 0;
};

// How long `work` took, in milliseconds (steady clock).
double time_ms(const std::function<void()>& work);

// Nearest-rank percentiles of durations in milliseconds (all zero for none).
Percentiles percentiles(std::vector<double> ms);

}  // namespace kehu::bench
