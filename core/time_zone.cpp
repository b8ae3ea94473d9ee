#include "core/time_zone.h"

#include "core/clock.h"

namespace kehu {

namespace {

class UtcOnly final : public TimeZones {
 public:
  std::optional<int64_t> offset_ms(std::string_view name, int64_t) const override {
    if (name == "UTC" || name == "Etc/UTC") return 0;
    return std::nullopt;
  }
};

const UtcOnly kUtcOnly;
const TimeZones* g_installed = nullptr;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

const TimeZones& time_zones() { return g_installed ? *g_installed : kUtcOnly; }
void install_time_zones(const TimeZones* zones) { g_installed = zones; }
bool time_zones_installed() { return g_installed != nullptr; }

std::optional<std::string> local_date(std::string_view zone, int64_t unix_ms) {
  auto offset = time_zones().offset_ms(zone, unix_ms);
  if (!offset) return std::nullopt;
  return date_of_day(floor_div(unix_ms + *offset, 86'400'000));
}

std::optional<int64_t> local_midnight_ms(std::string_view zone, std::string_view date) {
  if (date.size() != 10 || date_of_day(day_of_date(date)) != date) return std::nullopt;
  const int64_t utc_midnight = day_of_date(date) * 86'400'000;
  // The offset at the guess settles within two steps; a midnight a jump skips lands on the jump.
  int64_t at = utc_midnight;
  for (int i = 0; i < 2; ++i) {
    auto offset = time_zones().offset_ms(zone, at);
    if (!offset) return std::nullopt;
    at = utc_midnight - *offset;
  }
  // Midnight fell in a jump: the day begins a little later (at most a few hours, in quarter hours).
  for (int i = 0; i < 12 && local_date(zone, at) != std::optional<std::string>(date); ++i) at += 15 * 60'000;
  return at;
}

}  // namespace kehu
