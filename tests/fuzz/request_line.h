// request_line.h — the one-line header the database-backed fuzz targets read before their payload.
//
// A corpus file reads like the request it stands for, so a person can write a seed and read a crash:
//   POST customers 3            <- line 1: words separated by spaces
//   {"name": "华夏科技"}          <- the rest: the payload (a body, a query string, a cursor)
// Each target documents its words. The viewer word is an index into fuzz::viewers() (0: the system).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kehu::fuzz {

struct RequestLine {
  std::vector<std::string> words;  // line 1 split on spaces (empty words dropped)
  std::string payload;             // everything after the first '\n' ("" without one)
};

inline RequestLine split_request_line(std::string_view input) {
  RequestLine out;
  const size_t newline = input.find('\n');
  const std::string_view line = input.substr(0, newline);
  if (newline != std::string_view::npos) out.payload = std::string(input.substr(newline + 1));
  size_t pos = 0;
  while (pos <= line.size()) {
    size_t space = line.find(' ', pos);
    if (space == std::string_view::npos) space = line.size();
    if (space > pos) out.words.emplace_back(line.substr(pos, space - pos));
    pos = space + 1;
  }
  return out;
}

// Word `i` as a small index below `count` (a single digit; anything else: `fallback`).
inline size_t word_index(const RequestLine& r, size_t i, size_t count, size_t fallback = 0) {
  if (i >= r.words.size() || r.words[i].size() != 1 || r.words[i][0] < '0' || r.words[i][0] > '9') return fallback;
  const size_t n = static_cast<size_t>(r.words[i][0] - '0');
  return n < count ? n : fallback;
}

}  // namespace kehu::fuzz
