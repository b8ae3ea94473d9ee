#include "core/schema/migrations.h"

#include <string>

#include "core/stats/stats_upkeep.h"

namespace kehu {

namespace {

// The columns every entity row has (SPEC §4). `id` is AUTOINCREMENT so a deleted row's id is never
// handed out again: a tombstone must keep meaning the same record.
constexpr const char* kEntityColumns =
    "id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "rev INTEGER NOT NULL,"
    "created_at TEXT NOT NULL,"
    "updated_at TEXT NOT NULL,"
    "created_by INTEGER,"
    "updated_by INTEGER,";

std::string v1() {
  std::string e = kEntityColumns;
  return
      // The global change counter (SPEC §6) and other single values.
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
      "INSERT INTO meta VALUES ('rev', 0), ('customer_code_seq', 0);"

      "CREATE TABLE users (" + e +
      "username TEXT NOT NULL COLLATE NOCASE UNIQUE,"
      "display_name TEXT NOT NULL,"
      "email TEXT,"
      "role TEXT NOT NULL,"
      "team_id INTEGER,"
      "active INTEGER NOT NULL DEFAULT 1,"
      "last_login_at TEXT,"
      "password_hash TEXT);"  // server only; never sent anywhere
      "CREATE INDEX users_rev ON users(rev);"

      "CREATE TABLE sessions ("
      "id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "user_id INTEGER NOT NULL REFERENCES users(id),"
      "token_hash TEXT NOT NULL UNIQUE,"   // SHA-256 of the token; the token itself is never stored
      "created_ms INTEGER NOT NULL,"
      "last_seen_ms INTEGER NOT NULL,"
      "expires_ms INTEGER NOT NULL,"       // absolute expiry
      "ip TEXT, user_agent TEXT);"
      "CREATE INDEX sessions_user ON sessions(user_id);"

      "CREATE TABLE customers (" + e +
      "code TEXT NOT NULL UNIQUE,"
      "name TEXT NOT NULL,"
      "type TEXT, source TEXT, level TEXT, status TEXT, industry TEXT,"
      "phone TEXT, phone_norm TEXT,"       // digits only, for the duplicate guard and prefix search
      "email TEXT, address TEXT, region TEXT, website TEXT,"
      "owner_id INTEGER REFERENCES users(id),"
      "tags TEXT NOT NULL DEFAULT '[]',"
      "notes TEXT,"
      "custom TEXT NOT NULL DEFAULT '{}',"
      "last_contact_at TEXT, last_order_at TEXT);"
      "CREATE INDEX customers_rev ON customers(rev);"
      "CREATE INDEX customers_name ON customers(name, id);"
      "CREATE INDEX customers_owner ON customers(owner_id, id);"
      "CREATE INDEX customers_status ON customers(status, id);"
      "CREATE INDEX customers_level ON customers(level, id);"
      "CREATE INDEX customers_type ON customers(type, id);"
      "CREATE INDEX customers_source ON customers(source, id);"
      "CREATE INDEX customers_region ON customers(region, id);"
      "CREATE INDEX customers_created ON customers(created_at, id);"
      "CREATE INDEX customers_updated ON customers(updated_at, id);"
      "CREATE INDEX customers_phone_norm ON customers(phone_norm);"

      "CREATE TABLE contacts (" + e +
      "customer_id INTEGER NOT NULL REFERENCES customers(id),"
      "name TEXT NOT NULL,"
      "gender TEXT, title TEXT, department TEXT, phone TEXT, mobile TEXT, email TEXT, im TEXT, address TEXT,"
      "birthday TEXT,"
      "is_primary INTEGER NOT NULL DEFAULT 0,"
      "do_not_email INTEGER NOT NULL DEFAULT 0,"
      "notes TEXT);"
      "CREATE INDEX contacts_rev ON contacts(rev);"
      "CREATE INDEX contacts_customer ON contacts(customer_id, id);"
      "CREATE INDEX contacts_name ON contacts(name, id);"

      // Full-text search (search_index.h): trigram for queries of 3+ characters; single characters,
      // CJK bigrams and Latin/digit words (hex-encoded tokens) for 1-2 character queries.
      "CREATE VIRTUAL TABLE customers_tri USING fts5(body, tokenize='trigram', content='', contentless_delete=1);"
      "CREATE VIRTUAL TABLE customers_ngram USING fts5(body, tokenize='ascii', content='', contentless_delete=1,"
      " detail='none', prefix='2 4');"
      "CREATE VIRTUAL TABLE contacts_tri USING fts5(body, tokenize='trigram', content='', contentless_delete=1);"
      "CREATE VIRTUAL TABLE contacts_ngram USING fts5(body, tokenize='ascii', content='', contentless_delete=1,"
      " detail='none', prefix='2 4');"

      // Deleted rows leave a tombstone (SPEC §4, §6): the sync reader sends it as a removal.
      "CREATE TABLE tombstones (entity TEXT NOT NULL, id INTEGER NOT NULL, rev INTEGER NOT NULL,"
      " deleted_at TEXT NOT NULL, deleted_by INTEGER, PRIMARY KEY (entity, id)) WITHOUT ROWID;"
      "CREATE INDEX tombstones_rev ON tombstones(rev);"

      // Append-only audit trail (SPEC §4); triggers refuse edits and deletes.
      "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user_id INTEGER,"
      " action TEXT NOT NULL, entity TEXT, entity_id INTEGER, changes TEXT, ip TEXT);"
      "CREATE INDEX audit_at ON audit(at);"
      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"

      // POST results kept for Idempotency-Key replays (30 days).
      "CREATE TABLE idempotency (user_id INTEGER NOT NULL, key TEXT NOT NULL, request TEXT NOT NULL,"
      " status INTEGER NOT NULL, body TEXT NOT NULL, created_ms INTEGER NOT NULL, PRIMARY KEY (user_id, key))"
      " WITHOUT ROWID;"
      "CREATE INDEX idempotency_created ON idempotency(created_ms);";
}

// Record scope (record_scope.h): teams, the rev at which each user's scope last changed (their next sync
// starts over), and the owners a removed or moved row had, so removals reach exactly those who saw it.
std::string v2() {
  std::string e = kEntityColumns;
  return
      "CREATE TABLE teams (" + e +
      "name TEXT NOT NULL,"
      "manager_id INTEGER REFERENCES users(id));"
      "CREATE INDEX teams_rev ON teams(rev);"
      "ALTER TABLE users ADD COLUMN scope_rev INTEGER NOT NULL DEFAULT 0;"
      "CREATE INDEX users_team ON users(team_id);"
      // The scope owner of a deleted row (record_scope.h); NULL: the pool, or an entity without owner.
      "ALTER TABLE tombstones ADD COLUMN scope_owner INTEGER;"
      // Rows deleted before scopes existed had owners nobody recorded: -1 (no user) sends their removals
      // only to the roles that read everything, not to every rep as pool rows.
      "UPDATE tombstones SET scope_owner = -1;"
      "CREATE TABLE scope_moves (rev INTEGER NOT NULL, entity TEXT NOT NULL, id INTEGER NOT NULL,"
      " from_owner INTEGER, to_owner INTEGER, PRIMARY KEY (rev, entity, id)) WITHOUT ROWID;"
      "CREATE INDEX audit_entity ON audit(entity, entity_id, id);"
      "CREATE INDEX audit_user ON audit(user_id, id);"
      // Before this version every staff role synced every record: a database that already has users starts
      // every one of them over (one new rev for all; their directory rows carry it, so a client's `next`
      // reaches scope_rev after one full pull and the reset is not repeated). A new database is untouched.
      "UPDATE meta SET value = value + 1 WHERE key = 'rev' AND EXISTS (SELECT 1 FROM users);"
      "UPDATE users SET rev = (SELECT value FROM meta WHERE key = 'rev'), scope_rev = (SELECT value FROM meta WHERE key = 'rev');";
}


// The rest of the domain (SPEC §4): products, opportunities, contracts, orders, activities, tickets and
// their progress log, campaigns and their members, e-mail records, announcements and saved views.
// References are kept by the record store (record_store.h: checked on write, cleared or refused on delete)
// rather than by foreign keys, so a client cache holding only the rows its user sees uses the same tables.
std::string v3() {
  std::string e = kEntityColumns;
  auto search = [](const std::string& table) {
    return "CREATE VIRTUAL TABLE " + table + "_tri USING fts5(body, tokenize='trigram', content='', contentless_delete=1);"
           "CREATE VIRTUAL TABLE " + table + "_ngram USING fts5(body, tokenize='ascii', content='', contentless_delete=1,"
           " detail='none', prefix='2 4');";
  };
  auto indexes = [](const std::string& table, std::initializer_list<const char*> columns) {
    std::string out = "CREATE INDEX " + table + "_rev ON " + table + "(rev);";
    for (const char* c : columns) out += "CREATE INDEX " + table + "_" + c + " ON " + table + "(" + c + ", id);";
    return out;
  };
  return
      "INSERT INTO meta VALUES ('contracts_code_seq', 0), ('orders_code_seq', 0), ('tickets_code_seq', 0);"
      // The administrator's settings (settings.h): one JSON document with the rev of its last change.
      "CREATE TABLE settings (id INTEGER PRIMARY KEY CHECK (id = 1), rev INTEGER NOT NULL, value TEXT NOT NULL);"

      "CREATE TABLE products (" + e +
      "sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, category TEXT, unit TEXT, price INTEGER,"
      "stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0), active INTEGER NOT NULL DEFAULT 0);" +
      indexes("products", {"name", "category"}) + search("products") +

      "CREATE TABLE campaigns (" + e +
      "name TEXT NOT NULL, type TEXT, status TEXT, start_date TEXT, end_date TEXT, budget INTEGER, actual_cost INTEGER,"
      "expected_revenue INTEGER, description TEXT, owner_id INTEGER);" +
      indexes("campaigns", {"status", "start_date", "owner_id"}) + search("campaigns") +

      "CREATE TABLE opportunities (" + e +
      "customer_id INTEGER NOT NULL, contact_id INTEGER, title TEXT NOT NULL, stage TEXT, amount INTEGER, currency TEXT,"
      "probability INTEGER, expected_close_date TEXT, owner_id INTEGER, campaign_id INTEGER, lost_reason TEXT, closed_at TEXT);" +
      indexes("opportunities", {"customer_id", "owner_id", "stage", "expected_close_date", "campaign_id"}) + search("opportunities") +

      "CREATE TABLE contracts (" + e +
      "code TEXT NOT NULL UNIQUE, customer_id INTEGER NOT NULL, opportunity_id INTEGER, title TEXT NOT NULL, amount INTEGER,"
      "currency TEXT, status TEXT NOT NULL, signed_date TEXT, start_date TEXT, end_date TEXT, owner_id INTEGER,"
      "approved_by INTEGER, approved_at TEXT, reject_reason TEXT, notes TEXT);" +
      indexes("contracts", {"customer_id", "owner_id", "status", "signed_date", "opportunity_id"}) + search("contracts") +

      "CREATE TABLE orders (" + e +
      "code TEXT NOT NULL UNIQUE, customer_id INTEGER NOT NULL, contract_id INTEGER, owner_id INTEGER, order_date TEXT,"
      "status TEXT NOT NULL, items TEXT NOT NULL DEFAULT '[]', total INTEGER NOT NULL DEFAULT 0, currency TEXT, notes TEXT);" +
      indexes("orders", {"customer_id", "owner_id", "order_date", "contract_id"}) + search("orders") +

      "CREATE TABLE activities (" + e +
      "type TEXT NOT NULL, subject TEXT NOT NULL, content TEXT, customer_id INTEGER, contact_id INTEGER,"
      "opportunity_id INTEGER, owner_id INTEGER, start_at TEXT, end_at TEXT, due_at TEXT,"
      "done INTEGER NOT NULL DEFAULT 0, remind_at TEXT);" +
      indexes("activities", {"customer_id", "owner_id", "start_at", "due_at", "contact_id", "opportunity_id"}) +
      search("activities") +

      "CREATE TABLE tickets (" + e +
      "code TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subject TEXT NOT NULL, description TEXT, customer_id INTEGER NOT NULL,"
      "contact_id INTEGER, opportunity_id INTEGER, priority TEXT, status TEXT NOT NULL, assignee_id INTEGER, due_at TEXT,"
      "resolved_at TEXT, resolution TEXT, satisfaction INTEGER);" +
      indexes("tickets", {"customer_id", "status", "assignee_id", "contact_id", "opportunity_id"}) + search("tickets") +
      // The progress log (处理进度): every transition and note, append-only like the audit.
      "CREATE TABLE ticket_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL, at TEXT NOT NULL,"
      " user_id INTEGER, from_status TEXT, to_status TEXT, text TEXT);"
      "CREATE INDEX ticket_notes_ticket ON ticket_notes(ticket_id, id);"

      "CREATE TABLE emails (" + e +
      "direction TEXT NOT NULL, campaign_id INTEGER, customer_id INTEGER, contact_id INTEGER, from_addr TEXT, to_addr TEXT,"
      "subject TEXT NOT NULL, body_text TEXT, status TEXT, error TEXT, message_id TEXT, at TEXT);" +
      indexes("emails", {"customer_id", "campaign_id", "at", "contact_id"}) + search("emails") +

      "CREATE TABLE announcements (" + e +
      "title TEXT NOT NULL, body TEXT, publish_at TEXT, expire_at TEXT, audience TEXT NOT NULL DEFAULT '[]');" +
      indexes("announcements", {"publish_at"}) + search("announcements") +

      "CREATE TABLE views (" + e +
      "name TEXT NOT NULL, resource TEXT NOT NULL, filters TEXT NOT NULL DEFAULT '{}', sort TEXT,"
      "columns TEXT NOT NULL DEFAULT '[]', owner_id INTEGER);" +
      indexes("views", {"owner_id"}) +

      // Campaign members (SPEC §5 /campaigns/{id}/members): one row per customer or contact targeted.
      "CREATE TABLE campaign_members (id INTEGER PRIMARY KEY AUTOINCREMENT, campaign_id INTEGER NOT NULL,"
      " customer_id INTEGER NOT NULL, contact_id INTEGER, status TEXT NOT NULL, added_at TEXT NOT NULL, added_by INTEGER);"
      "CREATE UNIQUE INDEX campaign_members_target ON campaign_members(campaign_id, customer_id, ifnull(contact_id, 0));"
      "CREATE INDEX campaign_members_customer ON campaign_members(customer_id);";
}

// Statistics (SPEC §5 /stats, §7): aggregates kept by the record store in each write's transaction
// (core/stats/stat_facts.h says what each record adds). Keys never hold NULL: 0 is "no owner".
std::string v4() {
  const std::string counters = "orders INTEGER NOT NULL, quantity INTEGER NOT NULL, amount INTEGER NOT NULL,";
  return "CREATE TABLE stat_sales_day (day TEXT NOT NULL, owner_id INTEGER NOT NULL, currency TEXT NOT NULL," + counters +
         " PRIMARY KEY (day, owner_id, currency)) WITHOUT ROWID;"
         "CREATE TABLE stat_sales_month (month TEXT NOT NULL, owner_id INTEGER NOT NULL, currency TEXT NOT NULL," + counters +
         " PRIMARY KEY (month, owner_id, currency)) WITHOUT ROWID;"
         "CREATE TABLE stat_sales_customer_day (customer_id INTEGER NOT NULL, day TEXT NOT NULL, owner_id INTEGER NOT NULL,"
         " currency TEXT NOT NULL," + counters + " PRIMARY KEY (customer_id, day, owner_id, currency)) WITHOUT ROWID;"
         "CREATE TABLE stat_sales_customer_month (customer_id INTEGER NOT NULL, month TEXT NOT NULL, owner_id INTEGER NOT NULL,"
         " currency TEXT NOT NULL," + counters + " PRIMARY KEY (customer_id, month, owner_id, currency)) WITHOUT ROWID;"
         "CREATE INDEX stat_sales_customer_month_month ON stat_sales_customer_month(month);"
         "CREATE TABLE stat_sales_product_day (product_id INTEGER NOT NULL, day TEXT NOT NULL, owner_id INTEGER NOT NULL,"
         " currency TEXT NOT NULL," + counters + " PRIMARY KEY (product_id, day, owner_id, currency)) WITHOUT ROWID;"
         "CREATE TABLE stat_sales_product_month (product_id INTEGER NOT NULL, month TEXT NOT NULL, owner_id INTEGER NOT NULL,"
         " currency TEXT NOT NULL," + counters + " PRIMARY KEY (product_id, month, owner_id, currency)) WITHOUT ROWID;";
}

// The churn list (core/stats/churn.cpp) finds the longest forgotten customers by this expression, and
// the campaign statistics count members by status without reading the rows.
std::string v5() {
  return "CREATE INDEX customers_last_touch ON customers(max(ifnull(last_contact_at, ''), ifnull(last_order_at, ''), created_at));"
         "CREATE INDEX campaign_members_status ON campaign_members(campaign_id, status);";
}

// Kiosk tokens (SPEC §5): a display's bearer token for the dashboards it was issued. Server only: only
// the token's SHA-256 is stored, and revoking keeps the row (the list shows what was revoked, and when).
std::string v6() {
  return "CREATE TABLE kiosk_tokens ("
         "id INTEGER PRIMARY KEY AUTOINCREMENT,"
         "name TEXT NOT NULL,"
         "dashboards TEXT NOT NULL,"          // JSON array of dashboard ids (core/stats/dashboards.h)
         "token_hash TEXT NOT NULL UNIQUE,"
         "created_at TEXT NOT NULL,"
         "created_by INTEGER,"
         "last_seen_ms INTEGER,"              // written at most once a minute, as for sessions
         "revoked_at TEXT);";
}

// The churn list's "orders fell" comparison kept ahead (core/stats/churn_window.h): per customer and
// currency, the amounts of the last `days` days and of the `days` before, for the window in the one-row
// state table. The partial index holds exactly the customers whose orders fell by more than half,
// largest fall first, so the list reads its first rows. Queries repeat its WHERE word for word, each
// comparison with the column first: SQLite turns "amount_now * 2 < amount_before" around and then
// finds the index unusable. Not named stat_*: reset_statistics() drops
// those, and this table is kept by the window's own rules.
std::string v7() {
  return "CREATE TABLE churn_window (customer_id INTEGER NOT NULL, currency TEXT NOT NULL,"
         " amount_now INTEGER NOT NULL, amount_before INTEGER NOT NULL, PRIMARY KEY (customer_id, currency)) WITHOUT ROWID;"
         "CREATE INDEX churn_window_fell ON churn_window(amount_before - amount_now DESC, customer_id)"
         " WHERE amount_before > 0 AND amount_before > 2 * amount_now;"
         "CREATE TABLE churn_window_state (id INTEGER PRIMARY KEY CHECK (id = 1), days INTEGER NOT NULL, as_of TEXT NOT NULL);";
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kAll = {
      {1, "users, sessions, customers, contacts, search, tombstones, audit, idempotency", v1()},
      {2, "teams, record scope: users.scope_rev, tombstones.scope_owner, scope_moves; audit indexes", v2()},
      {3, "products, opportunities, contracts, orders, activities, tickets and notes, campaigns and members, emails, "
          "announcements, views, settings", v3()},
      // Version 4's tables are counted by version 5, which makes them again in their present form.
      {4, "statistics: sales by day and month, per customer and per product", v4(), nullptr},
      {5, "statistics kept for the company and per owner; contracts, funnel, forecast, campaigns, tickets, customers", v5(),
       reset_statistics},
      {6, "kiosk tokens", v6()},
      {7, "the churn list's kept comparison of orders now and before", v7()},
      // Sales per customer by year, quarter and month for the rankings (replacing the yearly table), and
      // monthly sums' indexes that cover the counters: made again by counting.
      {8, "sales per customer ranked by year, quarter and month", "", reset_statistics},
      // Every customer's sales of all time beside the years (stat_facts.h kAllTime), and each team's
      // rankings: made again by counting.
      {9, "sales per customer ranked over all time, and per team", "", reset_statistics},
      // A user's own forgotten customers, longest forgotten first: the dashboard's reminder (in the
      // client's cache) and a rep's churn list read them straight from this index. The expression is
      // churn.h's kCustomerLastTouch, written out: a migration's text never changes.
      {10, "customers by owner and last touch",
       "CREATE INDEX customers_owner_touch ON customers(owner_id, max(ifnull(last_contact_at, ''), ifnull(last_order_at, ''), created_at));"},
      // Server only (server/auth/trusted_devices.h): browsers that signed in to an account, by the
      // SHA-256 of their device cookie, so another's guessing does not lock the account's owner out.
      {11, "devices trusted for signing in",
       "CREATE TABLE trusted_devices (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
       " created_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL) WITHOUT ROWID;"
       "CREATE INDEX trusted_devices_user ON trusted_devices(user_id, last_used_ms);"},
  };
  return kAll;
}

int latest_schema_version() { return migrations().back().version; }

Result<int> schema_version(Database& db) {
  auto v = db.query_int("PRAGMA user_version");
  if (!v.ok()) return v.take_error();
  return static_cast<int>(v->value_or(0));
}

Result<int> migrate(Database& db, int target) {
  if (target < 0) target = latest_schema_version();
  auto current = schema_version(db);
  if (!current.ok()) return current.take_error();
  if (*current > latest_schema_version()) {
    std::string v = std::to_string(*current);
    return Error::make(ErrorCode::storage, {"数据库版本 " + v + " 比本程序新，请升级程序",
                                            "database schema version " + v + " is newer than this program; upgrade it"});
  }
  int version = *current;
  for (const auto& m : migrations()) {
    if (m.version <= version || m.version > target) continue;
    auto txn = Transaction::begin(db, true);
    if (!txn.ok()) return txn.take_error();
    KEHU_TRY(db.exec(m.sql));
    if (m.then) KEHU_TRY(m.then(db));
    KEHU_TRY(db.exec("PRAGMA user_version=" + std::to_string(m.version)));
    KEHU_TRY((*txn)->commit());
    version = m.version;
  }
  return version;
}

}  // namespace kehu
