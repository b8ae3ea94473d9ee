// time_zone_test.cpp — local dates and the start of a local day against the system's tz database
// (server/time_zone_db.h), where daylight saving is real: the instants below were worked out from the
// zones' published rules (Chile moves its clocks at midnight, so some days begin at 01:00).
#include <doctest/doctest.h>

#include "core/clock.h"
#include "core/time_zone.h"
#include "server/time_zone_db.h"

using namespace kehu;

namespace {

struct SystemZones {
  SystemZones() { install_time_zones(&server::system_time_zones()); }
  ~SystemZones() { install_time_zones(nullptr); }
};

std::string midnight(const char* zone, const char* date) {
  auto at = local_midnight_ms(zone, date);
  return at ? format_rfc3339_ms(*at) : "none";
}

}  // namespace

TEST_CASE("a local day begins at its midnight, or when a clock change that skips midnight ends") {
  SystemZones zones;
  CHECK(midnight("Asia/Shanghai", "2026-11-20") == "2026-11-19T16:00:00.000Z");
  CHECK(midnight("Asia/Shanghai", "2024-02-29") == "2024-02-28T16:00:00.000Z");
  CHECK(midnight("UTC", "2026-01-01") == "2026-01-01T00:00:00.000Z");
  CHECK(midnight("America/New_York", "2026-03-08") == "2026-03-08T05:00:00.000Z");  // the jump is at 02:00
  CHECK(midnight("America/New_York", "2026-03-09") == "2026-03-09T04:00:00.000Z");
  CHECK(midnight("America/Santiago", "2026-09-06") == "2026-09-06T04:00:00.000Z");  // 00:00 skipped: begins 01:00 -03
  CHECK(midnight("America/Santiago", "2026-04-05") == "2026-04-05T04:00:00.000Z");  // 23:00-24:00 twice: 00:00 -04
  CHECK(local_date("America/Santiago", parse_rfc3339_ms("2026-09-06T03:59:59.999Z")) == "2026-09-05");
  // What cannot be answered says so.
  CHECK(midnight("Mars/Olympus", "2026-01-01") == "none");
  CHECK(midnight("Asia/Shanghai", "2026-02-30") == "none");
  CHECK(midnight("Asia/Shanghai", "2026-1-1") == "none");
  CHECK(midnight("Asia/Shanghai", "") == "none");
}
