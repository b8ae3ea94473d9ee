// service_test.cpp — activities, tickets with their state machine and progress log, the customer
// timeline, campaign members, saved views, reassignment and deletes (SPEC §3, §4, §5) over HTTP.
#include <doctest/doctest.h>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("activities: a done call moves the customer's last contact; a note does not") {
  TestServer s;
  s.add_user("zhang.wei", "sales");
  std::string sales = s.login("zhang.wei");
  auto customer = s.request("POST", "/api/v1/customers", sales, {{"name", "深圳鑫源电子"}});
  REQUIRE(customer.status == 201);
  auto contact = s.request("POST", "/api/v1/contacts", sales, {{"customer_id", customer.body["id"]}, {"name", "李四"}});
  auto note = s.request("POST", "/api/v1/activities", sales,
                        {{"type", "note"}, {"subject", "备忘"}, {"customer_id", customer.body["id"]}, {"done", true}});
  REQUIRE(note.status == 201);
  CHECK(s.request("GET", record_path("customers", customer.body["id"]), sales).body["last_contact_at"].is_null());
  // Named by its contact only, the call belongs to that contact's customer.
  auto call = s.request("POST", "/api/v1/activities", sales,
                        {{"type", "call"}, {"subject", "回访"}, {"contact_id", contact.body["id"]}, {"start_at", "2026-11-02T03:00:00Z"}});
  REQUIRE(call.status == 201);
  CHECK(call.body["customer_id"] == customer.body["id"]);
  CHECK(s.request("GET", record_path("customers", customer.body["id"]), sales).body["last_contact_at"].is_null());  // not done yet
  auto done = s.request("PATCH", record_path("activities", call.body["id"]), sales, {{"rev", call.body["rev"]}, {"done", true}});
  REQUIRE(done.status == 200);
  CHECK(s.request("GET", record_path("customers", customer.body["id"]), sales).body["last_contact_at"] == "2026-11-02T03:00:00.000Z");
  auto backwards = s.request("POST", "/api/v1/activities", sales,
                             {{"type", "meeting"}, {"subject", "会议"}, {"start_at", "2026-11-02T05:00:00Z"}, {"end_at", "2026-11-02T04:00:00Z"}});
  CHECK(backwards.status == 422);
  CHECK(backwards.body["error"]["fields"].contains("end_at"));
}

TEST_CASE("tickets: feedback needs contact and opportunity; the state machine and its progress log") {
  TestServer s;
  std::string admin = s.admin_token();
  int64_t rep = s.add_user("zhang.wei", "sales");
  s.add_user("li.na", "sales");
  int64_t agent = s.add_user("sun.li", "service");
  std::string sales = s.login("zhang.wei"), other = s.login("li.na"), service = s.login("sun.li");
  auto customer = s.request("POST", "/api/v1/customers", sales, {{"name", "广州白云物流"}});
  auto contact = s.request("POST", "/api/v1/contacts", sales, {{"customer_id", customer.body["id"]}, {"name", "王五"}});
  auto opp = s.request("POST", "/api/v1/opportunities", sales, {{"customer_id", customer.body["id"]}, {"title", "仓储系统"}});

  auto feedback = s.request("POST", "/api/v1/tickets", service, {{"type", "feedback"}, {"subject", "系统反馈"}, {"customer_id", customer.body["id"]}});
  CHECK(feedback.status == 422);
  CHECK(feedback.body["error"]["fields"].contains("contact_id"));
  CHECK(feedback.body["error"]["fields"].contains("opportunity_id"));
  auto no_subject = s.request("POST", "/api/v1/tickets", service, {{"type", "complaint"}});
  CHECK(no_subject.body["error"]["fields"].contains("subject"));
  CHECK(no_subject.body["error"]["fields"].contains("customer_id"));
  CHECK(s.request("POST", "/api/v1/tickets", sales, {{"type", "complaint"}, {"subject", "x"}, {"customer_id", customer.body["id"]}}).status == 403);

  auto t = s.request("POST", "/api/v1/tickets", service,
                     {{"type", "feedback"}, {"subject", "系统反馈"}, {"customer_id", customer.body["id"]},
                      {"contact_id", contact.body["id"]}, {"opportunity_id", opp.body["id"]}});
  REQUIRE(t.status == 201);
  CHECK(t.body["code"] == "GD000001");
  CHECK(t.body["status"] == "new");
  CHECK(t.body["priority"] == "normal");
  auto go = [&](const std::string& token, json body) {
    return s.request("POST", record_path("tickets", t.body["id"], "/transition"), token, body);
  };
  CHECK(go(service, {{"to", "in_progress"}}).body["error"]["code"] == "invalid_transition");
  auto unassigned = go(service, {{"to", "assigned"}});
  CHECK(unassigned.status == 422);
  CHECK(unassigned.body["error"]["fields"].contains("assignee_id"));
  // The customer's rep reads the ticket but does not work it; another rep does not see it at all.
  CHECK(s.request("GET", record_path("tickets", t.body["id"]), sales).status == 200);
  CHECK(go(sales, {{"to", "assigned"}, {"assignee_id", rep}}).status == 403);
  CHECK(s.request("GET", record_path("tickets", t.body["id"]), other).status == 404);
  CHECK(go(other, {{"to", "assigned"}, {"assignee_id", rep}}).status == 404);

  CHECK(go(service, {{"to", "assigned"}, {"assignee_id", agent}, {"note", "转交孙丽"}}).body["status"] == "assigned");
  CHECK(go(service, {{"to", "in_progress"}}).status == 200);
  auto unresolved = go(service, {{"to", "resolved"}});
  CHECK(unresolved.body["error"]["fields"].contains("resolution"));
  auto resolved = go(service, {{"to", "resolved"}, {"resolution", "已远程修复"}});
  REQUIRE(resolved.status == 200);
  CHECK(resolved.body["resolved_at"].is_string());
  CHECK(resolved.body["resolution"] == "已远程修复");
  auto reopened = go(service, {{"to", "reopened"}, {"note", "客户反馈问题复现"}});
  CHECK(reopened.body["resolved_at"].is_null());
  CHECK(go(service, {{"to", "closed"}}).body["error"]["code"] == "invalid_transition");
  auto patch_status = s.request("PATCH", record_path("tickets", t.body["id"]), service, {{"rev", reopened.body["rev"]}, {"status", "closed"}});
  CHECK(patch_status.status == 422);

  CHECK(s.request("POST", record_path("tickets", t.body["id"], "/notes"), service, {{"text", "  "}}).status == 422);
  CHECK(s.request("POST", record_path("tickets", t.body["id"], "/notes"), sales, {{"text", "催一下"}}).status == 403);
  auto added = s.request("POST", record_path("tickets", t.body["id"], "/notes"), service, {{"text", "已联系客户，约明天上门"}});
  REQUIRE(added.status == 201);
  CHECK(added.body["user_id"] == agent);
  auto log = s.request("GET", record_path("tickets", t.body["id"], "/notes"), sales);
  REQUIRE(log.status == 200);
  REQUIRE(log.body["items"].size() == 5);
  CHECK(log.body["items"][0]["from_status"] == "new");
  CHECK(log.body["items"][0]["to_status"] == "assigned");
  CHECK(log.body["items"][0]["text"] == "转交孙丽");
  CHECK(log.body["items"][3]["to_status"] == "reopened");
  CHECK(log.body["items"][4]["text"] == "已联系客户，约明天上门");
  CHECK(s.request("GET", record_path("tickets", t.body["id"], "/notes"), other).status == 404);
  (void)admin;
}

TEST_CASE("timeline: a customer's activities, e-mails, tickets, orders and contracts, newest first, paged and scoped") {
  TestServer s;
  s.add_user("zhang.wei", "sales");
  s.add_user("li.na", "sales");
  s.add_user("sun.li", "service");
  std::string admin = s.admin_token(), sales = s.login("zhang.wei"), other = s.login("li.na"), service = s.login("sun.li");
  auto customer = s.request("POST", "/api/v1/customers", sales, {{"name", "杭州西湖软件"}});
  const json cid = customer.body["id"];
  auto product = s.request("POST", "/api/v1/products", admin, {{"sku", "S-1"}, {"name", "软件许可"}, {"price", 100}, {"stock", 100}});
  REQUIRE(s.request("POST", "/api/v1/activities", sales, {{"type", "visit"}, {"subject", "拜访"}, {"customer_id", cid}, {"start_at", "2026-10-01T02:00:00Z"}}).status == 201);
  REQUIRE(s.request("POST", "/api/v1/orders", sales, {{"customer_id", cid}, {"order_date", "2026-10-15"}, {"items", {{{"product_id", product.body["id"]}, {"quantity", 1}}}}}).status == 201);
  REQUIRE(s.request("POST", "/api/v1/contracts", sales, {{"customer_id", cid}, {"title", "框架协议"}, {"signed_date", "2026-09-01"}}).status == 201);
  REQUIRE(s.request("POST", "/api/v1/tickets", service, {{"type", "inquiry"}, {"subject", "咨询报价"}, {"customer_id", cid}}).status == 201);
  // Somebody else's activity on the same customer is not the rep's to see.
  auto elsewhere = s.request("POST", "/api/v1/activities", admin, {{"type", "call"}, {"subject", "管理员来电"}, {"customer_id", cid}, {"start_at", "2026-10-20T02:00:00Z"}});
  REQUIRE(elsewhere.status == 201);

  auto all = s.request("GET", record_path("customers", cid, "/timeline"), admin);
  REQUIRE(all.status == 200);
  std::vector<std::string> kinds;
  for (const auto& item : all.body["items"]) kinds.push_back(item["entity"]);
  CHECK(kinds == std::vector<std::string>{"tickets", "activities", "orders", "activities", "contracts"});
  CHECK(all.body["items"][0]["record"]["subject"] == "咨询报价");

  auto mine = s.request("GET", record_path("customers", cid, "/timeline"), sales);
  REQUIRE(mine.status == 200);
  CHECK(mine.body["items"].size() == 4);  // not the admin's call
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = s.request("GET", record_path("customers", cid, "/timeline?limit=1") + (cursor.empty() ? "" : "&cursor=" + cursor), sales);
    REQUIRE(r.status == 200);
    for (const auto& item : r.body["items"]) paged.push_back(item["entity"]);
    if (r.body["next_cursor"].is_null()) break;
    cursor = r.body["next_cursor"];
  }
  CHECK(paged == std::vector<std::string>{"tickets", "orders", "activities", "contracts"});
  CHECK(s.request("GET", record_path("customers", cid, "/timeline"), other).status == 404);
  CHECK(s.request("GET", record_path("customers", cid, "/timeline?cursor=bogus"), sales).status == 400);
  CHECK(s.request("GET", record_path("customers", cid, "/timeline?limit=0"), sales).status == 400);
}

TEST_CASE("reassignment takes the customer's open opportunities and activities along; closed ones stay") {
  TestServer s;
  std::string admin = s.admin_token();
  int64_t a = s.add_user("zhang.wei", "sales");
  int64_t b = s.add_user("li.na", "sales");
  std::string rep_a = s.login("zhang.wei"), rep_b = s.login("li.na");
  auto customer = s.request("POST", "/api/v1/customers", rep_a, {{"name", "成都天府传媒"}});
  const json cid = customer.body["id"];
  auto open_opp = s.request("POST", "/api/v1/opportunities", rep_a, {{"customer_id", cid}, {"title", "年度广告"}});
  auto won_opp = s.request("POST", "/api/v1/opportunities", rep_a, {{"customer_id", cid}, {"title", "首单"}, {"stage", "won"}});
  auto open_task = s.request("POST", "/api/v1/activities", rep_a, {{"type", "task"}, {"subject", "寄样品"}, {"customer_id", cid}});
  auto done_call = s.request("POST", "/api/v1/activities", rep_a, {{"type", "call"}, {"subject", "首次电话"}, {"customer_id", cid}, {"done", true}});
  auto moved = s.request("PATCH", record_path("customers", cid), admin, {{"rev", s.request("GET", record_path("customers", cid), admin).body["rev"]}, {"owner_id", b}});
  REQUIRE(moved.status == 200);
  auto owner = [&](const std::string& res, const Response& r) { return s.request("GET", record_path(res, r.body["id"]), admin).body["owner_id"]; };
  CHECK(owner("opportunities", open_opp) == b);
  CHECK(owner("activities", open_task) == b);
  CHECK(owner("opportunities", won_opp) == a);
  CHECK(owner("activities", done_call) == a);
  CHECK(s.request("GET", record_path("opportunities", open_opp.body["id"]), rep_b).status == 200);
  // The closed opportunity stayed with A, but its customer is B's now: A cannot hang work on that customer
  // through it (nor move B's customer's last contact).
  const json before = s.request("GET", record_path("customers", cid), admin).body;
  auto through = s.request("POST", "/api/v1/activities", rep_a, {{"type", "call"}, {"subject", "借道"}, {"opportunity_id", won_opp.body["id"]}, {"done", true}});
  CHECK(through.status == 422);
  CHECK(through.body["error"]["fields"].contains("opportunity_id"));
  const json after = s.request("GET", record_path("customers", cid), admin).body;
  CHECK(after["rev"] == before["rev"]);
  CHECK(after["last_contact_at"] == before["last_contact_at"]);
  CHECK(s.request("GET", record_path("opportunities", open_opp.body["id"]), rep_a).status == 404);
  // The old owner's next sync removes what moved away.
  auto sync = s.request("GET", "/api/v1/sync?since=" + std::to_string(open_task.body["rev"].get<int64_t>()), rep_a);
  bool removed = false;
  for (const auto& c : sync.body["changes"])
    if (c["entity"] == "opportunities" && c["id"] == open_opp.body["id"]) removed = c["deleted"] == true;
  CHECK(removed);
}

TEST_CASE("campaign members, saved views, and what a delete does to the records around it") {
  TestServer s;
  std::string admin = s.admin_token();
  s.add_user("chen.jing", "manager");
  s.add_user("zhang.wei", "sales");
  std::string manager = s.login("chen.jing"), sales = s.login("zhang.wei");
  auto customer = s.request("POST", "/api/v1/customers", sales, {{"name", "南京紫金医药"}});
  auto other = s.request("POST", "/api/v1/customers", admin, {{"name", "苏州园区制造"}});
  auto contact = s.request("POST", "/api/v1/contacts", sales, {{"customer_id", customer.body["id"]}, {"name", "周七"}});
  auto campaign = s.request("POST", "/api/v1/campaigns", manager, {{"name", "春季展会"}, {"type", "event"}, {"budget", 5000000}});
  REQUIRE(campaign.status == 201);
  CHECK(s.request("POST", "/api/v1/campaigns", sales, {{"name", "私人活动"}}).status == 403);
  auto member = s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), admin,
                          {{"customer_id", customer.body["id"]}, {"contact_id", contact.body["id"]}});
  REQUIRE(member.status == 200);
  CHECK(member.body["status"] == "targeted");
  auto mismatched = s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), admin,
                              {{"customer_id", other.body["id"]}, {"contact_id", contact.body["id"]}});
  CHECK(mismatched.status == 422);
  CHECK(mismatched.body["error"]["fields"].contains("contact_id"));
  CHECK(s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), admin, {{"customer_id", other.body["id"]}, {"status", "won"}}).status == 422);
  REQUIRE(s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), admin, {{"customer_id", other.body["id"]}}).status == 200);
  auto updated = s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), admin, {{"customer_id", other.body["id"]}, {"status", "responded"}});
  CHECK(updated.body["status"] == "responded");
  CHECK(s.request("GET", record_path("campaigns", campaign.body["id"], "/members"), admin).body["items"].size() == 2);
  CHECK(s.request("GET", record_path("campaigns", campaign.body["id"], "/members"), sales).body["items"].size() == 1);  // only their customer
  CHECK(s.request("POST", record_path("campaigns", campaign.body["id"], "/members"), sales, {{"customer_id", customer.body["id"]}}).status == 403);
  CHECK(s.request("DELETE", record_path("campaigns", campaign.body["id"], "/members?customer_id=") + std::to_string(other.body["id"].get<int64_t>()), admin).status == 204);
  CHECK(s.request("DELETE", record_path("campaigns", campaign.body["id"], "/members?customer_id=") + std::to_string(other.body["id"].get<int64_t>()), admin).status == 404);

  // An e-mail campaign does not take a contact who refuses e-mail.
  auto mailing = s.request("POST", "/api/v1/campaigns", manager, {{"name", "双十一邮件"}, {"type", "email"}});
  auto refuses = s.request("POST", "/api/v1/contacts", sales, {{"customer_id", customer.body["id"]}, {"name", "拒收者"}, {"do_not_email", true}});
  auto refused = s.request("POST", record_path("campaigns", mailing.body["id"], "/members"), admin,
                           {{"customer_id", customer.body["id"]}, {"contact_id", refuses.body["id"]}});
  CHECK(refused.status == 422);
  CHECK(refused.body["error"]["fields"].contains("contact_id"));
  REQUIRE(s.request("DELETE", record_path("contacts", refuses.body["id"]), sales).status == 204);

  // Saved views are their creator's alone, an administrator's included.
  auto view = s.request("POST", "/api/v1/views", sales, {{"name", "我的A类客户"}, {"resource", "customers"}, {"filters", {{"level", "A"}}}});
  REQUIRE(view.status == 201);
  CHECK(s.request("GET", record_path("views", view.body["id"]), admin).status == 404);
  CHECK(s.request("GET", "/api/v1/views", admin).body["items"].empty());
  CHECK(s.request("POST", "/api/v1/views", sales, {{"name", "x"}, {"resource", "salaries"}}).status == 422);
  CHECK(s.request("POST", "/api/v1/views", sales, {{"name", "x"}, {"resource", "customers"}, {"owner_id", 1}}).status == 422);

  // Deleting the contact clears it from the activity and the membership; deleting the customer takes its
  // contacts and leaves its activity without a customer.
  auto activity = s.request("POST", "/api/v1/activities", sales, {{"type", "call"}, {"subject", "邀约"}, {"contact_id", contact.body["id"]}});
  REQUIRE(activity.status == 201);
  CHECK(s.request("DELETE", record_path("contacts", contact.body["id"]), sales).status == 204);
  auto after = s.request("GET", record_path("activities", activity.body["id"]), sales);
  CHECK(after.body["contact_id"].is_null());
  CHECK(after.body["customer_id"] == customer.body["id"]);
  CHECK(after.body["rev"].get<int64_t>() > activity.body["rev"].get<int64_t>());
  CHECK(s.count("SELECT count(*) FROM campaign_members") == 0);
  // The membership went with the contact, and the campaign's history says so.
  auto history = s.request("GET", "/api/v1/audit?entity=campaigns&entity_id=" + std::to_string(campaign.body["id"].get<int64_t>()), admin);
  REQUIRE(history.status == 200);
  CHECK(history.body["items"][0]["changes"]["member"][0]["contact_id"] == contact.body["id"]);
  CHECK(history.body["items"][0]["changes"]["member"][1].is_null());
  CHECK(s.request("DELETE", record_path("customers", customer.body["id"]), sales).status == 204);
  CHECK(s.request("GET", record_path("activities", activity.body["id"]), sales).body["customer_id"].is_null());
}

TEST_CASE("announcements: managers and admins write them, every staff role reads and syncs them with their audience") {
  TestServer s;
  std::string admin = s.admin_token();
  s.add_user("chen.jing", "manager");
  s.add_user("zhang.wei", "sales");
  s.add_user("sun.li", "service");
  s.add_user("lobby.tv", "viewer");
  std::string manager = s.login("chen.jing"), sales = s.login("zhang.wei"), service = s.login("sun.li");
  auto all = s.request("POST", "/api/v1/announcements", manager, {{"title", "年会通知"}, {"body", "12月20日"}});
  REQUIRE(all.status == 201);
  auto to_sales = s.request("POST", "/api/v1/announcements", admin, {{"title", "销售冲刺"}, {"audience", {"sales"}}});
  REQUIRE(to_sales.status == 201);
  CHECK(s.request("POST", "/api/v1/announcements", admin, {{"title", "x"}, {"audience", {"boss"}}}).status == 422);
  CHECK(s.request("POST", "/api/v1/announcements", sales, {{"title", "自己发"}}).status == 403);
  // Reference data (SPEC §3): the audience says whose screens show it, the client filters by it.
  CHECK(s.request("GET", "/api/v1/announcements", sales).body["total"] == 2);
  auto mine = s.request("GET", "/api/v1/announcements/" + std::to_string(to_sales.body["id"].get<int64_t>()), service);
  REQUIRE(mine.status == 200);
  CHECK(mine.body["audience"] == json{"sales"});
  auto sync = s.request("GET", "/api/v1/sync?since=0", service);
  int seen = 0;
  for (const auto& c : sync.body["changes"]) seen += c["entity"] == "announcements";
  CHECK(seen == 2);
  CHECK(s.request("GET", "/api/v1/announcements", s.login("lobby.tv")).status == 404);
}
