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
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a "+HH:MM" offset; -1 if malformed.
int64_t parse_rfc3339_ms(std::string_view text);
// True for a real calendar date "YYYY-MM-DD" (leap years checked).
bool is_valid_date(std::string_view text);

}  // namespace kehu
