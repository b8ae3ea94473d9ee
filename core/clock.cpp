#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace kehu {

int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
unsigned days_in_month(int y, int m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}
}  // namespace

std::string format_rfc3339_ms(int64_t unix_ms) {
  int64_t days = unix_ms >= 0 ? unix_ms / 86400000 : (unix_ms - 86399999) / 86400000;
  int64_t ms_of_day = unix_ms - days * 86400000;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y), m, d,
                static_cast<int>(ms_of_day / 3600000), static_cast<int>(ms_of_day / 60000 % 60),
                static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000));
  return buf;
}

int64_t day_of_civil(int64_t year, unsigned month, unsigned day) { return days_from_civil(year, month, 1) + day - 1; }

CivilDate civil_of_day(int64_t day) {
  CivilDate c;
  civil_from_days(day, c.year, c.month, c.day);
  return c;
}

std::string date_of_day(int64_t day) {
  const CivilDate c = civil_of_day(day);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buf;
}

bool is_valid_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return static_cast<unsigned>(d) <= days_in_month(y, m);
}

int64_t day_of_date(std::string_view s) {
  int y, m, d;
  if (!is_valid_date(s)) return INT64_MIN;
  digits(s, 0, 4, y), digits(s, 5, 2, m), digits(s, 8, 2, d);
  return day_of_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int64_t parse_rfc3339_ms(std::string_view s) {
  if (s.size() < 20 || !is_valid_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
    return -1;
  int hh, mm, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' || !digits(s, 17, 2, ss))
    return -1;
  if (hh > 23 || mm > 59 || ss > 60) return -1;
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100, nd = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (nd < 3) ms += (s[pos] - '0') * scale, scale /= 10;
      ++pos, ++nd;
    }
    if (nd == 0) return -1;
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) return -1;
    offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
  } else {
    return -1;
  }
  int y, mo, d;
  digits(s, 0, 4, y), digits(s, 5, 2, mo), digits(s, 8, 2, d);
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t unix_ms = ((days * 86400 + hh * 3600 + mm * 60 + ss) - offset_min * 60) * 1000 + ms;
  // An offset or a leap second can carry 9999-12-31 into year 10000, which format_rfc3339_ms() writes
  // with five digits: such a bound sorts before every stored time as text, so a filter from it would
  // match everything. Refused like any malformed time.
  constexpr int64_t kLastWritableMs = 253402300799999;  // 9999-12-31T23:59:59.999Z
  return unix_ms > kLastWritableMs ? -1 : unix_ms;
}

}  // namespace kehu
