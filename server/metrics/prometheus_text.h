// prometheus_text.h — writes the Prometheus text exposition format (version 0.0.4) for GET /metrics.
//
// Each metric family is announced once (HELP and TYPE lines) and then has one sample line per label
// set. Label values are escaped as the format requires (backslash, double quote, newline), so a value
// that came from outside cannot break the page; numbers are written so that integers stay integers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kehu::server {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;
  // `type`: "counter", "gauge" or "histogram".
  void family(const std::string& name, const std::string& help, const std::string& type);
  void sample(const std::string& name, double value, const Labels& labels = {});
  // A family with its one unlabelled sample.
  void single(const std::string& name, const std::string& help, const std::string& type, double value);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace kehu::server
