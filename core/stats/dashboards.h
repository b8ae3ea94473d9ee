// dashboards.h — the dashboards a kiosk display can be issued (SPEC §5 kiosk tokens, §8 kiosk mode):
// each names the /stats endpoints it is drawn from. A kiosk token reads exactly the endpoints of its
// dashboards, company-wide, and nothing else in the API; the client draws each dashboard from the same
// list. The catalog is fixed in code so server and client agree on what a dashboard shows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"

namespace kehu {

struct Dashboard {
  std::string id;                  // as issued: "sales", "pipeline", ...
  Text title;                      // shown on the display and in the admin's picker
  std::vector<std::string> stats;  // the /stats endpoints it reads ("sales", "sales/by-team", ...)
};

// Every dashboard, in the order a kiosk rotates through them.
const std::vector<Dashboard>& dashboards();
const Dashboard* find_dashboard(std::string_view id);

// Whether one of the `issued` dashboards reads the statistics endpoint `stat` ("funnel").
bool dashboards_read(const std::vector<std::string>& issued, std::string_view stat);

}  // namespace kehu
