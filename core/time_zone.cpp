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

}  // namespace kehu
