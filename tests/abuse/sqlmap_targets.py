#!/usr/bin/env python3
"""sqlmap_targets.py — seeds a crm-server with one record of every kind and lists the query parameters
of its list routes, one sqlmap target URL per parameter.

The parameters are found by asking the server, not copied from the code: for every list resource it reads
a record and tries each of its fields as a filter (`GET /api/v1/{res}?{field}={the record's value}`), each
date/time field and created_at/updated_at as `_from`/`_to` ranges, and q, sort, limit, tag and custom.*;
what answers 200 is a parameter, what answers 400 is not. So a filter added later is tested without
touching this file. The baseline value of each target matches the seeded record where it can, so the
page sqlmap compares against is not empty (boolean-based detection needs rows to lose). `cursor` is left
out: it is base64 of a JSON array that is parsed and checked before use, so an injected character only
ever gets the 400 for a malformed cursor (docs/abuse_tests.md).

  sqlmap_targets.py --port P --password PW --targets FILE --params FILE.json [--full]

The audit log's filters are listed too (a fixed list: GET /api/v1/audit is not a record list). --full adds
the statistics, /sync and /directory. Prints the token on the last line.
"""
import argparse
import http.client
import json
import sys
import urllib.parse

from abuse_common import login

RESOURCES = ["customers", "contacts", "products", "opportunities", "contracts", "orders", "activities",
             "tickets", "campaigns", "emails", "announcements", "views", "users", "teams"]
STATS = {
    "sales": {"group": "month", "from": "2000-01-01", "to": "2100-01-01", "customer_id": "{customer}",
              "owner_id": "1", "team_id": "{team}", "product_id": "{product}"},
    "sales/by-customer": {"group": "month", "from": "2000-01-01", "to": "2100-01-01", "limit": "10", "offset": "0"},
    "sales/by-team": {"from": "2000-01-01", "to": "2100-01-01"},
    "contracts": {"from": "2000-01-01", "to": "2100-01-01", "owner_id": "1", "team_id": "{team}"},
    "funnel": {"from": "2000-01-01", "to": "2100-01-01", "owner_id": "1", "team_id": "{team}"},
    "forecast": {"from": "2000-01-01", "to": "2100-01-01", "owner_id": "1", "team_id": "{team}"},
    "campaigns": {"campaign_id": "{campaign}"},
    "tickets": {"from": "2000-01-01", "to": "2100-01-01"},
    "customers": {"from": "2000-01-01", "to": "2100-01-01", "owner_id": "1", "team_id": "{team}"},
    "churn": {"days": "90", "limit": "10"},
}


EMPTY_LIST_FIELDS = {
    "emails": {"direction": "inbound", "campaign_id": None, "customer_id": None, "contact_id": None,
               "from_addr": "a@example.com", "to_addr": "b@example.com", "subject": "Hello", "body_text": "Hello",
               "status": "received", "error": "", "message_id": "<1@example.com>", "at": "2026-01-01T00:00:00Z"},
}


NULL_STAND_INS = ["2026-01-01T00:00:00Z", "2026-01-01", "1", "true", "x"]


class Api:
    def __init__(self, port, token):
        self.port = port
        self.token = token

    def call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": "Bearer " + self.token, "Accept-Language": "en"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        try:
            return resp.status, json.loads(data) if data else None
        except ValueError:
            return resp.status, None

    def create(self, res, body):
        status, out = self.call("POST", "/api/v1/" + res, body)
        if status != 201:
            print("seed: POST /api/v1/%s answered %d: %s" % (res, status, json.dumps(out, ensure_ascii=False)[:300]))
            return None
        return out["id"]


def seed(api):
    """One record of each kind with its fields filled in; returns their ids by resource."""
    ids = {}
    ids["teams"] = api.create("teams", {"name": "Abuse test team", "manager_id": 1})
    status, _ = api.call("POST", "/api/v1/users", {"username": "sqlmapsales", "display_name": "Sqlmap Sales",
                                                   "email": "sales@example.com", "role": "sales", "team_id": ids["teams"],
                                                   "active": True, "password": "sqlmap-sales-pass"})
    c = api.create("customers", {"code": "SQLMAP01", "name": "Injection Test Trading Co", "type": "enterprise",
                                 "source": "website", "level": "A", "status": "active", "industry": "Retail",
                                 "phone": "+86 10 1234 5678", "email": "buyer@example.com", "address": "1 Test Road",
                                 "region": "Beijing", "website": "https://example.com", "owner_id": 1,
                                 "tags": ["vip", "sqlmap"], "notes": "seeded for sqlmap"})
    ids["customers"] = c
    ids["contacts"] = api.create("contacts", {"customer_id": c, "name": "Li Lei", "gender": "male", "title": "Buyer",
                                              "department": "Purchasing", "phone": "+86 10 8765 4321",
                                              "mobile": "+86 138 0000 0000", "email": "lilei@example.com", "im": "lilei",
                                              "address": "1 Test Road", "birthday": "1990-05-04", "is_primary": True,
                                              "do_not_email": False, "notes": "seeded"})
    ids["products"] = api.create("products", {"sku": "SKU-SQLMAP", "name": "Test Widget", "category": "Widgets",
                                              "unit": "pcs", "price": 1999, "stock": 1000, "active": True})
    ids["campaigns"] = api.create("campaigns", {"name": "Spring Fair", "type": "event", "status": "active",
                                                "start_date": "2026-03-01", "end_date": "2026-03-31", "budget": 100000,
                                                "actual_cost": 5000, "expected_revenue": 900000, "description": "seeded",
                                                "owner_id": 1})
    ids["opportunities"] = api.create("opportunities", {"customer_id": c, "contact_id": ids["contacts"], "title": "Big deal",
                                                        "stage": "proposal", "amount": 500000, "currency": "CNY",
                                                        "probability": 60, "expected_close_date": "2026-12-31",
                                                        "owner_id": 1, "campaign_id": ids["campaigns"]})
    ids["contracts"] = api.create("contracts", {"code": "HT-SQLMAP", "customer_id": c, "opportunity_id": ids["opportunities"],
                                                "title": "Supply contract", "amount": 500000, "currency": "CNY",
                                                "signed_date": "2026-06-01", "start_date": "2026-06-01",
                                                "end_date": "2027-05-31", "owner_id": 1, "notes": "seeded"})
    ids["orders"] = api.create("orders", {"code": "DD-SQLMAP", "customer_id": c, "contract_id": ids["contracts"],
                                          "owner_id": 1, "order_date": "2026-06-02", "status": "confirmed", "currency": "CNY",
                                          "items": [{"product_id": ids["products"], "quantity": 2, "unit_price": 1999}],
                                          "notes": "seeded"})
    ids["activities"] = api.create("activities", {"type": "call", "subject": "Follow-up call", "content": "seeded",
                                                  "customer_id": c, "contact_id": ids["contacts"],
                                                  "opportunity_id": ids["opportunities"], "owner_id": 1,
                                                  "start_at": "2030-01-02T03:04:05Z", "end_at": "2030-01-02T04:04:05Z",
                                                  "due_at": "2030-01-03T00:00:00Z", "done": False,
                                                  "remind_at": "2030-01-01T00:00:00Z"})
    ids["tickets"] = api.create("tickets", {"code": "GD-SQLMAP", "type": "complaint", "subject": "Broken widget",
                                            "description": "seeded", "customer_id": c, "contact_id": ids["contacts"],
                                            "priority": "high", "due_at": "2030-01-05T00:00:00Z", "satisfaction": 4})
    ids["announcements"] = api.create("announcements", {"title": "Office closed", "body": "seeded",
                                                        "publish_at": "2026-01-01T00:00:00Z",
                                                        "expire_at": "2030-01-01T00:00:00Z", "audience": ["sales"]})
    ids["views"] = api.create("views", {"name": "My view", "resource": "customers", "filters": {"level": "A"},
                                        "sort": "-id", "columns": ["name", "level"]})
    return ids


def accepted(api, res, params):
    """(status, item count) of GET /api/v1/{res}?params."""
    status, body = api.call("GET", "/api/v1/%s?%s" % (res, urllib.parse.urlencode(params)))
    items = body.get("items") if isinstance(body, dict) else None
    return status, len(items) if isinstance(items, list) else 0


def as_filter_value(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, str)):
        return str(v)
    return None  # lists and objects: tag= and custom.* below


def discover(api, res):
    """{param: baseline value} of the list route of `res`, found by asking the server."""
    status, page = api.call("GET", "/api/v1/%s?limit=1" % res)
    if status != 200:
        print("discover: GET /api/v1/%s answered %d" % (res, status))
        return {}
    # No record to read the fields from (e-mail records come only from the mail jobs): the fields of the
    # SPEC §4 e-mail record stand in, with values of their types.
    item = page["items"][0] if page["items"] else EMPTY_LIST_FIELDS.get(res, {})
    candidates = {"q": None, "sort": "-id", "limit": "5"}
    for field, v in item.items():
        fv = as_filter_value(v)
        if fv is not None:
            candidates[field] = fv
        candidates[field + "_from"] = "2000-01-01"
        candidates[field + "_to"] = "2100-01-01"
    for system in ("created_at", "updated_at"):
        candidates[system + "_from"] = "2000-01-01"
        candidates[system + "_to"] = "2100-01-01"
    tags = item.get("tags")
    candidates["tag"] = tags[0] if isinstance(tags, list) and tags else "vip"
    candidates["custom.tier"] = "gold"
    # q: a word of the record's first text field, so the search finds it.
    words = [str(v).split()[0] for k, v in item.items() if isinstance(v, str) and v.strip() and k not in ("created_at", "updated_at")]
    candidates["q"] = words[0] if words else "test"
    found = {}
    for name, value in candidates.items():
        # A field the record leaves empty: its type is unknown here, so a value of each type is tried.
        tries = [value] + (NULL_STAND_INS if value == "null" else [])
        for v in tries:
            status, count = accepted(api, res, {name: v})
            if status == 200:
                found[name] = v
                break
            if status != 400:
                print("discover: %s?%s=%s answered %d" % (res, name, v, status))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", required=True)
    ap.add_argument("--targets", required=True, help="sqlmap -m file: one URL per line")
    ap.add_argument("--params", required=True, help="the parameters found, as JSON")
    ap.add_argument("--full", action="store_true", help="also statistics, sync and directory")
    args = ap.parse_args()

    api = Api(args.port, login(args.port, args.user, args.password))
    ids = seed(api)
    base = "http://127.0.0.1:%d" % args.port
    targets, params = [], {}
    for res in RESOURCES:
        found = discover(api, res)
        params["/api/v1/" + res] = sorted(found)
        for name, value in found.items():
            targets.append("%s/api/v1/%s?%s" % (base, res, urllib.parse.urlencode({name: value})))
    extra = {"audit": {"entity": "customers", "entity_id": str(ids["customers"]), "user_id": "1", "action": "create",
                       "from": "2000-01-01", "to": "2100-01-01", "limit": "5"}}
    if args.full:
        extra.update({"sync": {"since": "0", "limit": "100"}, "directory": {"q": "Sqlmap"}})
        for path, values in STATS.items():
            extra["stats/" + path] = {k: v.format(customer=ids["customers"], team=ids["teams"], product=ids["products"],
                                                  campaign=ids["campaigns"]) for k, v in values.items()}
    for path, values in extra.items():
        ok = {}
        for name, value in values.items():
            status, _ = api.call("GET", "/api/v1/%s?%s" % (path, urllib.parse.urlencode({name: value})))
            if status == 200:
                ok[name] = value
            else:
                print("discover: /api/v1/%s?%s=%s answered %d; not tested" % (path, name, value, status))
        params["/api/v1/" + path] = sorted(ok)
        for name, value in ok.items():
            targets.append("%s/api/v1/%s?%s" % (base, path, urllib.parse.urlencode({name: value})))
    with open(args.targets, "w") as f:
        f.write("\n".join(targets) + "\n")
    with open(args.params, "w") as f:
        json.dump(params, f, indent=1)
    print("sqlmap targets: %d parameters on %d routes" % (len(targets), len(params)))
    print(api.token)
    return 0 if targets else 1


if __name__ == "__main__":
    sys.exit(main())
