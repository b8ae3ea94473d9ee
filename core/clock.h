// clock.h — time reaches core only through Clock, so tests can fix or advance it.
//
// Timestamps on the wire and in the database are RFC 3339 UTC with milliseconds
// ("2026-11-22T08:30:00.000Z"): fixed width, so text order is time order and indexes sort correctly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kehu {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;  // milliseconds since the Unix epoch, UTC
};

// The real wall clock (std::chrono::system_clock; works natively and in wasm).
class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
};

// A clock tests set and advance by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() const override { return now_; }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

std::string format_rfc3339_ms(int64_t unix_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a "+HH:MM" offset; -1 if malformed or later than
// 9999-12-31T23:59:59.999Z (what format_rfc3339_ms can write).
int64_t parse_rfc3339_ms(std::string_view text);
// True for a real calendar date "YYYY-MM-DD" (leap years checked).
bool is_valid_date(std::string_view text);

// Calendar days counted from 1970-01-01 (day 0, a Thursday), for date arithmetic: a month's first day,
// the Monday of a week. `day_of_civil` takes month 1-12 and day 1-31 (a day past the month's end
// carries into the next month).
struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1, day = 1;
};
int64_t day_of_civil(int64_t year, unsigned month, unsigned day);
CivilDate civil_of_day(int64_t day);
// "YYYY-MM-DD" of a day.
std::string date_of_day(int64_t day);
// The day of a date "YYYY-MM-DD" (one is_valid_date accepts; INT64_MIN for anything else).
int64_t day_of_date(std::string_view date);

}  // namespace kehu
