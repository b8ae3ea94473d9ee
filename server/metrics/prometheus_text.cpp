#include "server/metrics/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace kehu::server {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

void PrometheusText::family(const std::string& name, const std::string& help, const std::string& type) {
  out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void PrometheusText::sample(const std::string& name, double value, const Labels& labels) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i)
      out_ += (i ? "," : "") + labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
    out_ += '}';
  }
  out_ += " " + number(value) + "\n";
}

void PrometheusText::single(const std::string& name, const std::string& help, const std::string& type, double value) {
  family(name, help, type);
  sample(name, value);
}

}  // namespace kehu::server
