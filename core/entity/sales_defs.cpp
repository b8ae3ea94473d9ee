// sales_defs.cpp — products, opportunities, contracts and orders (SPEC §4, GLOSSARY.md).
//
// Their rules (codes, the contract state machine, stock, final opportunity stages) are in
// sales_rules.h and workflows.h; this file only says what the records are made of.
#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"

namespace kehu {

namespace {

using namespace fields;

FieldDef code(Text label) {
  FieldDef f = listed(searchable(text("code", std::move(label), 32)));
  f.format = TextFormat::code;
  return f;
}

FieldDef customer(bool required_field) {
  return reference("customer_id", {"客户", "customer"}, "customers", required_field);
}

EntityDef make_products() {
  EntityDef e;
  e.name = "products";
  e.label = {"产品", "product"};
  FieldDef sku = required(listed(searchable(text("sku", {"产品编号", "SKU"}, 64))));
  sku.format = TextFormat::code;
  e.fields = {
      sku,
      required(listed(searchable(text("name", {"产品名称", "product name"}, 200)))),
      listed(searchable(text("category", {"产品类别", "category"}, 100))),
      text("unit", {"单位", "unit"}, 20),
      money("price", {"单价", "price"}),
      integer("stock", {"库存", "stock"}, 0, INT64_MAX / 4),  // orders take and return it (order_rules.h)
      listed(typed("active", {"在售", "active"}, FieldType::boolean)),
  };
  return e;
}

EntityDef make_opportunities() {
  EntityDef e;
  e.name = "opportunities";
  e.label = {"商机", "opportunity"};
  e.fields = {
      customer(true),
      reference("contact_id", {"联系人", "contact"}, "contacts"),
      required(listed(searchable(text("title", {"商机名称", "title"}, 200)))),
      enumerated("stage", {"阶段", "stage"},
                 {{"lead", {"初步接洽", "Lead"}},
                  {"qualified", {"需求确认", "Qualified"}},
                  {"proposal", {"方案报价", "Proposal"}},
                  {"negotiation", {"谈判审核", "Negotiation"}},
                  {"won", {"赢单(成功)", "Won"}},
                  {"lost", {"输单(失败)", "Lost"}}}),
      money("amount", {"预计金额", "amount"}),
      currency(),
      integer("probability", {"赢率", "probability"}, 0, 100),
      when("expected_close_date", {"预计成交日期", "expected close date"}, FieldType::date),
      owner(),
      reference("campaign_id", {"市场活动", "campaign"}, "campaigns"),
      searchable(text("lost_reason", {"输单原因", "lost reason"}, 500)),
      server_set(when("closed_at", {"结束时间", "closed at"}, FieldType::datetime)),
  };
  return e;
}

EntityDef make_contracts() {
  EntityDef e;
  e.name = "contracts";
  e.label = {"合同", "contract"};
  e.fields = {
      code({"合同编号", "contract code"}),
      customer(true),
      reference("opportunity_id", {"商机", "opportunity"}, "opportunities"),
      required(listed(searchable(text("title", {"合同名称", "title"}, 200)))),
      money("amount", {"合同金额", "amount"}),
      currency(),
      server_set(enumerated("status", {"合同状态", "status"},
                            {{"draft", {"草稿", "Draft"}},
                             {"pending_approval", {"待审批", "Pending approval"}},
                             {"signed", {"已签署", "Signed"}},
                             {"executing", {"执行中", "Executing"}},
                             {"completed", {"已完成", "Completed"}},
                             {"terminated", {"已终止", "Terminated"}}})),
      when("signed_date", {"签订日期", "signed date"}, FieldType::date),
      when("start_date", {"开始日期", "start date"}, FieldType::date),
      when("end_date", {"结束日期", "end date"}, FieldType::date),
      owner(),
      server_set(reference("approved_by", {"审批人", "approved by"}, "users")),
      server_set(when("approved_at", {"审批时间", "approved at"}, FieldType::datetime)),
      server_set(text("reject_reason", {"驳回原因", "reject reason"}, 500)),
      notes(),
  };
  return e;
}

EntityDef make_orders() {
  EntityDef e;
  e.name = "orders";
  e.label = {"订单", "order"};
  FieldDef items = required(typed("items", {"产品明细", "items"}, FieldType::item_list));
  items.max_len = 200;
  e.fields = {
      code({"订单编号", "order code"}),
      customer(true),
      reference("contract_id", {"合同", "contract"}, "contracts"),
      owner(),
      when("order_date", {"成交日期", "order date"}, FieldType::date),
      enumerated("status", {"订单状态", "status"}, {{"confirmed", {"已确认", "Confirmed"}}, {"cancelled", {"已取消", "Cancelled"}}}),
      items,
      server_set(money("total", {"合计", "total"})),
      currency(),
      notes(),
  };
  return e;
}

}  // namespace

const EntityDef& products_def() {
  static const EntityDef kDef = make_products();
  return kDef;
}
const EntityDef& opportunities_def() {
  static const EntityDef kDef = make_opportunities();
  return kDef;
}
const EntityDef& contracts_def() {
  static const EntityDef kDef = make_contracts();
  return kDef;
}
const EntityDef& orders_def() {
  static const EntityDef kDef = make_orders();
  return kDef;
}

}  // namespace kehu
