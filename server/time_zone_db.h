// time_zone_db.h — the system's time zone database (tzdata, through Howard Hinnant's date library) as
// core's TimeZones; the App installs it, so statistics and dates follow the company's time zone setting.
#pragma once

#include "core/time_zone.h"

namespace kehu::server {

const TimeZones& system_time_zones();

}  // namespace kehu::server
