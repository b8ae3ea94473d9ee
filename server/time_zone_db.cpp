#include "server/time_zone_db.h"

#include <chrono>
#include <exception>

#include <date/tz.h>

namespace kehu::server {

namespace {

class SystemTimeZones final : public TimeZones {
 public:
  std::optional<int64_t> offset_ms(std::string_view name, int64_t unix_ms) const override {
    try {
      const date::time_zone* zone = date::locate_zone(name);
      auto info = zone->get_info(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(unix_ms)));
      return std::chrono::duration_cast<std::chrono::milliseconds>(info.offset).count();
    } catch (const std::exception&) {
      return std::nullopt;  // not in the database (locate_zone throws std::runtime_error)
    }
  }
};

}  // namespace

const TimeZones& system_time_zones() {
  static const SystemTimeZones kZones;
  return kZones;
}

}  // namespace kehu::server
