#include "bench/bench_queries.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kehu::bench {

const std::vector<QuerySet>& query_sets() {
  static const std::vector<QuerySet> kSets = {
      {"1char", {"科", "鑫", "华", "贸", "医", "通", "京", "深", "王", "𠮷"}},
      {"2char", {"科技", "华夏", "贸易", "鑫源", "物流", "恒通", "上海", "医药", "张伟", "电子"}},
      {"4char", {"华夏科技", "鑫源贸易", "恒通物流", "宏达建材", "金桥电子", "永安医药", "上海鑫源", "北京华夏",
                 "有限公司", "重点客户"}},
  };
  return kSets;
}

double time_ms(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Percentiles percentiles(std::vector<double> ms) {
  Percentiles p;
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double q) {
    return ms[static_cast<size_t>(std::max(1.0, std::ceil(q * static_cast<double>(ms.size())))) - 1];
  };
  p.p50 = rank(0.50);
  p.p95 = rank(0.95);
  p.max = ms.back();
  return p;
}

}  // namespace kehu::bench
