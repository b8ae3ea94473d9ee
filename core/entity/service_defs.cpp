// service_defs.cpp — activities (联系活动/记事本) and service tickets (服务反馈/工单) (SPEC §4, GLOSSARY.md).
//
// Their rules (last_contact_at, the ticket state machine and its progress log) are in sales_rules.h and
// workflows.h.
#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"

namespace kehu {

namespace {

using namespace fields;

EntityDef make_activities() {
  EntityDef e;
  e.name = "activities";
  e.label = {"联系活动", "activity"};
  e.fields = {
      required(enumerated("type", {"活动类型", "type"},
                          {{"call", {"电话", "Call"}},
                           {"visit", {"拜访", "Visit"}},
                           {"meeting", {"会议", "Meeting"}},
                           {"email", {"邮件", "Email"}},
                           {"note", {"记事", "Note"}},
                           {"task", {"任务", "Task"}}})),
      required(listed(searchable(text("subject", {"主题", "subject"}, 200)))),
      searchable(text("content", {"内容", "content"}, 10000)),
      reference("customer_id", {"客户", "customer"}, "customers"),
      reference("contact_id", {"联系人", "contact"}, "contacts"),
      reference("opportunity_id", {"商机", "opportunity"}, "opportunities"),
      owner(),
      when("start_at", {"开始时间", "start"}, FieldType::datetime),
      when("end_at", {"结束时间", "end"}, FieldType::datetime),
      when("due_at", {"截止时间", "due"}, FieldType::datetime),
      listed(typed("done", {"已完成", "done"}, FieldType::boolean)),
      when("remind_at", {"提醒时间", "reminder"}, FieldType::datetime),
  };
  return e;
}

EntityDef make_tickets() {
  EntityDef e;
  e.name = "tickets";
  e.label = {"工单", "ticket"};
  // Who sees a ticket follows its customer's owner (SPEC §3: sales read their own customers' tickets).
  e.scope_via = "customer_id";
  FieldDef code = listed(searchable(text("code", {"工单编号", "ticket code"}, 32)));
  code.format = TextFormat::code;
  e.fields = {
      code,
      required(enumerated("type", {"工单类型", "type"},
                          {{"feedback", {"服务反馈", "Feedback"}},
                           {"complaint", {"投诉", "Complaint"}},
                           {"inquiry", {"咨询", "Inquiry"}},
                           {"after_sales", {"售后", "After-sales"}}})),
      required(listed(searchable(text("subject", {"主题", "subject"}, 200)))),
      searchable(text("description", {"问题描述", "description"}, 10000)),
      reference("customer_id", {"客户", "customer"}, "customers", true),
      reference("contact_id", {"联系人", "contact"}, "contacts"),
      reference("opportunity_id", {"商机", "opportunity"}, "opportunities"),
      enumerated("priority", {"优先级", "priority"},
                 {{"low", {"低", "Low"}}, {"normal", {"普通", "Normal"}}, {"high", {"高", "High"}}, {"urgent", {"紧急", "Urgent"}}}),
      server_set(enumerated("status", {"工单状态", "status"},
                            {{"new", {"新建", "New"}},
                             {"assigned", {"已分配", "Assigned"}},
                             {"in_progress", {"处理中", "In progress"}},
                             {"resolved", {"已解决", "Resolved"}},
                             {"closed", {"已关闭", "Closed"}},
                             {"reopened", {"重新打开", "Reopened"}}})),
      reference("assignee_id", {"处理人", "assignee"}, "users"),
      when("due_at", {"截止时间", "due"}, FieldType::datetime),
      server_set(when("resolved_at", {"解决时间", "resolved at"}, FieldType::datetime)),
      searchable(text("resolution", {"处理结果", "resolution"}, 5000)),
      integer("satisfaction", {"满意度", "satisfaction"}, 1, 5),
  };
  return e;
}

}  // namespace

const EntityDef& activities_def() {
  static const EntityDef kDef = make_activities();
  return kDef;
}
const EntityDef& tickets_def() {
  static const EntityDef kDef = make_tickets();
  return kDef;
}

}  // namespace kehu
