// time_zone.h — local dates in the company's time zone (SPEC §4: statistics use the time_zone setting).
//
// Core knows no time zone database (it also runs in the browser, which has no use for one): the host
// installs its TimeZones at start (the server: the system's tz database, server/time_zone_db.h). Until then
// only UTC is known, so nothing in core silently guesses an offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kehu {

class TimeZones {
 public:
  virtual ~TimeZones() = default;
  // The offset of zone `name` from UTC at instant `unix_ms` (daylight saving included); nullopt for a
  // zone the database does not know.
  virtual std::optional<int64_t> offset_ms(std::string_view name, int64_t unix_ms) const = 0;
};

// The installed time zones (UTC only until install_time_zones). Not owned; lives as long as the process.
const TimeZones& time_zones();
void install_time_zones(const TimeZones* zones);
// Whether a host installed a real database (the settings check then refuses zones it does not know).
bool time_zones_installed();

// "YYYY-MM-DD" of instant `unix_ms` in zone `name`; nullopt for an unknown zone.
std::optional<std::string> local_date(std::string_view zone, int64_t unix_ms);

// The instant local date `date` ("YYYY-MM-DD") begins in zone `name`: its midnight, or the first instant
// after a daylight-saving jump that skips midnight. nullopt for an unknown zone or a malformed date.
std::optional<int64_t> local_midnight_ms(std::string_view zone, std::string_view date);

}  // namespace kehu
