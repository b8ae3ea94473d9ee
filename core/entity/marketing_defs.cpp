// marketing_defs.cpp — campaigns (市场活动) and e-mail records (SPEC §4, GLOSSARY.md).
//
// Campaign members are a sub-resource (campaign_members.h); sending mail is the e-mail job's, not here.
#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"

namespace kehu {

namespace {

using namespace fields;

EntityDef make_campaigns() {
  EntityDef e;
  e.name = "campaigns";
  e.label = {"市场活动", "campaign"};
  e.fields = {
      required(listed(searchable(text("name", {"活动名称", "name"}, 200)))),
      enumerated("type", {"活动类型", "type"},
                 {{"email", {"邮件营销", "Email"}},
                  {"event", {"活动/会议", "Event"}},
                  {"advertising", {"广告", "Advertising"}},
                  {"social", {"社交媒体", "Social media"}},
                  {"other", {"其他", "Other"}}}),
      enumerated("status", {"活动状态", "status"},
                 {{"planned", {"计划中", "Planned"}},
                  {"active", {"进行中", "Active"}},
                  {"completed", {"已结束", "Completed"}},
                  {"cancelled", {"已取消", "Cancelled"}}}),
      when("start_date", {"开始日期", "start date"}, FieldType::date),
      when("end_date", {"结束日期", "end date"}, FieldType::date),
      money("budget", {"预算", "budget"}),
      money("actual_cost", {"实际花费", "actual cost"}),
      money("expected_revenue", {"预期收入", "expected revenue"}),
      notes("description", {"活动描述", "description"}),
      owner(),
  };
  return e;
}

EntityDef make_emails() {
  EntityDef e;
  e.name = "emails";
  e.label = {"邮件", "email"};
  // A rep sees the mail of their own customers; unmatched inbound mail (no customer) only those who read all.
  e.scope_via = "customer_id";
  FieldDef from = searchable(text("from_addr", {"发件人", "from"}, 254));
  FieldDef to = searchable(text("to_addr", {"收件人", "to"}, 254));
  e.fields = {
      required(enumerated("direction", {"方向", "direction"}, {{"outbound", {"发出", "Outbound"}}, {"inbound", {"收到", "Inbound"}}})),
      reference("campaign_id", {"市场活动", "campaign"}, "campaigns"),
      reference("customer_id", {"客户", "customer"}, "customers"),
      reference("contact_id", {"联系人", "contact"}, "contacts"),
      from,
      to,
      required(listed(searchable(text("subject", {"主题", "subject"}, 500)))),
      searchable(text("body_text", {"正文", "body"}, 100000)),
      enumerated("status", {"邮件状态", "status"},
                 {{"queued", {"待发送", "Queued"}},
                  {"sent", {"已发送", "Sent"}},
                  {"failed", {"发送失败", "Failed"}},
                  {"received", {"已接收", "Received"}},
                  {"unmatched", {"未匹配", "Unmatched"}}}),
      text("error", {"错误", "error"}, 1000),
      text("message_id", {"邮件 ID", "message id"}, 500),
      when("at", {"时间", "time"}, FieldType::datetime),
  };
  return e;
}

}  // namespace

const EntityDef& campaigns_def() {
  static const EntityDef kDef = make_campaigns();
  return kDef;
}
const EntityDef& emails_def() {
  static const EntityDef kDef = make_emails();
  return kDef;
}

}  // namespace kehu
