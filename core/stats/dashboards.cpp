#include "core/stats/dashboards.h"

namespace kehu {

const std::vector<Dashboard>& dashboards() {
  static const std::vector<Dashboard> kAll = {
      {"sales", {"销售业绩", "Sales"}, {"sales", "sales/by-team", "sales/by-customer"}},
      {"pipeline", {"销售漏斗与预测", "Pipeline and forecast"}, {"funnel", "forecast"}},
      {"contracts", {"合同", "Contracts"}, {"contracts"}},
      {"customers", {"客户", "Customers"}, {"customers"}},
      {"service", {"服务反馈", "Service tickets"}, {"tickets"}},
      {"campaigns", {"市场活动", "Campaigns"}, {"campaigns"}},
  };
  return kAll;
}

const Dashboard* find_dashboard(std::string_view id) {
  for (const auto& d : dashboards())
    if (d.id == id) return &d;
  return nullptr;
}

bool dashboards_read(const std::vector<std::string>& issued, std::string_view stat) {
  for (const auto& id : issued)
    if (const Dashboard* d = find_dashboard(id))
      for (const auto& s : d->stats)
        if (s == stat) return true;
  return false;
}

}  // namespace kehu
