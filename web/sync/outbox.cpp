#include "web/sync/outbox.h"

#include <random>

#include "core/entity/validation.h"
#include "core/rules/record_rules.h"
#include "core/settings/settings.h"
#include "core/sync/field_merge.h"
#include "core/sync/sync_applier.h"

namespace kehu::client {

using nlohmann::json;

namespace {

Result<std::vector<OutboxEntry>> read_entries(Database& db, const std::string& where, const std::vector<SqlValue>& args) {
  auto st = db.prepare("SELECT seq, method, entity, record_id, body, idempotency_key, ifnull(action, '') FROM outbox WHERE " + where +
                       " ORDER BY seq");
  if (!st.ok()) return st.take_error();
  (*st)->bind_all(args);
  std::vector<OutboxEntry> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    const Statement& r = **st;
    OutboxEntry e;
    e.seq = r.column_int(0);
    e.method = std::string(r.column_text(1));
    e.entity = std::string(r.column_text(2));
    e.record_id = r.column_int(3);
    e.body = json::parse(r.column_text(4), nullptr, false);
    e.idempotency_key = std::string(r.column_text(5));
    e.action = std::string(r.column_text(6));
    out.push_back(std::move(e));
  }
  return out;
}

// The row an entry changed, as it was before (null for a creation or an unreadable one).
Result<json> entry_before(Database& db, int64_t seq) {
  auto st = db.prepare("SELECT before FROM outbox WHERE seq = ?1");
  if (!st.ok()) return st.take_error();
  (*st)->bind(1, seq);
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  json previous = *row && (*st)->column_type(0) != ColumnType::null ? json::parse((*st)->column_text(0), nullptr, false) : json();
  st->reset();
  return previous.is_object() ? previous : json();
}

int count_where(Database& db, const char* state) {
  auto n = db.query_int("SELECT count(*) FROM outbox WHERE state = ?1", {std::string(state)});
  return n.ok() ? static_cast<int>(n->value_or(0)) : 0;
}

}  // namespace

std::string new_idempotency_key() {
  static std::random_device device;  // crypto.getRandomValues in the browser, /dev/urandom natively
  static const char* kHex = "0123456789abcdef";
  std::string key;
  for (int i = 0; i < 8; ++i) {
    uint32_t v = device();
    for (int j = 0; j < 4; ++j) {
      key += kHex[(v >> (j * 8 + 4)) & 0xF];
      key += kHex[(v >> (j * 8)) & 0xF];
    }
  }
  return key.substr(0, 32);
}

Result<int64_t> Outbox::queue(const std::string& method, const EntityDef& entity, int64_t record_id, const json& body,
                              const json& before, const std::string& action) {
  KEHU_TRY(cache_.db().run(
      "INSERT INTO outbox (method, entity, record_id, body, idempotency_key, before, created_ms, action) VALUES (?1,?2,?3,?4,?5,?6,"
      "CAST(unixepoch('subsec') * 1000 AS INTEGER), ?7)",
      {method, entity.name, record_id, body.dump(), new_idempotency_key(), before.is_null() ? SqlValue(nullptr) : SqlValue(before.dump()),
       action.empty() ? SqlValue(nullptr) : SqlValue(action)}));
  return cache_.db().last_insert_rowid();
}

Result<Outbox::Queued> Outbox::create(const EntityDef& entity, const json& input, const std::string& now, int64_t user_id,
                                      bool force) {
  const FieldChoices choices = writable_choices(cache_.settings(), entity);  // the admin's option lists
  auto valid = validate_input(entity, input, WriteMode::create, &choices);
  if (!valid.ok()) return valid.take_error();
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto id = cache_.next_local_id(entity);
  if (!id.ok()) return id.take_error();
  json row = *valid;
  row["id"] = *id;
  row["rev"] = 0;
  row["created_at"] = row["updated_at"] = now;
  row["created_by"] = row["updated_by"] = user_id > 0 ? json(user_id) : json(nullptr);
  // What the server will fill in: defaults, and the creator as owner when nobody was named.
  apply_record_defaults(entity, row, true);
  if (entity.field("owner_id") && !row.contains("owner_id") && user_id > 0) row["owner_id"] = user_id;
  // The server numbers codes; until then a placeholder keeps the cache's UNIQUE(code) satisfied.
  if (entity.field("code") && !row.value("code", json()).is_string()) row["code"] = "~" + std::to_string(-*id);
  KEHU_TRY(store_server_record(cache_.db(), entity, row));
  json body = *valid;
  if (force) body["force"] = true;
  auto seq = queue("POST", entity, *id, body, nullptr);
  if (!seq.ok()) return seq.take_error();
  KEHU_TRY((*txn)->commit());
  return Queued{row, *seq};
}

Result<Outbox::Queued> Outbox::update(const EntityDef& entity, int64_t id, const json& patch, int64_t base_rev,
                            const std::string& now, int64_t user_id, bool force) {
  const FieldChoices choices = writable_choices(cache_.settings(), entity);
  auto valid = validate_input(entity, patch, WriteMode::update, &choices);
  if (!valid.ok()) return valid.take_error();
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto current = cache_.record(entity, id);
  if (!current.ok()) return current.take_error();
  if (!current->has_value())
    return Error::make(ErrorCode::not_found, {"找不到该" + entity.label.zh + "，可能已被删除", "no such " + entity.label.en + "; it may have been deleted"});
  json row = **current;
  for (const auto& [key, value] : valid->items()) row[key] = value;
  row["updated_at"] = now;
  row["updated_by"] = user_id > 0 ? json(user_id) : json(nullptr);
  KEHU_TRY(store_server_record(cache_.db(), entity, row));
  // A record not yet on the server: fold the change into its queued creation when that is still waiting.
  int64_t seq = 0;
  if (id < 0) {
    auto creates = read_entries(cache_.db(), "method = 'POST' AND entity = ?1 AND record_id = ?2 AND state = 'pending'",
                                {entity.name, id});
    if (!creates.ok()) return creates.take_error();
    if (!creates->empty() && creates->front().seq != in_flight_) {
      json body = creates->front().body;
      for (const auto& [key, value] : valid->items()) body[key] = value;
      if (force) body["force"] = true;
      KEHU_TRY(cache_.db().run("UPDATE outbox SET body = ?1 WHERE seq = ?2", {body.dump(), creates->front().seq}));
      seq = creates->front().seq;
    }
  }
  if (seq == 0) {
    json body = *valid;
    body["rev"] = base_rev;
    if (force) body["force"] = true;
    auto queued = queue("PATCH", entity, id, body, **current);
    if (!queued.ok()) return queued.take_error();
    seq = *queued;
  }
  KEHU_TRY((*txn)->commit());
  return Queued{row, seq};
}

Outbox::State Outbox::state(int64_t seq, json* error) {
  auto st = cache_.db().prepare("SELECT state, error FROM outbox WHERE seq = ?1");
  if (!st.ok()) return State::gone;
  (*st)->bind(1, seq);
  auto row = (*st)->step();
  State out = State::gone;
  if (row.ok() && *row) {
    out = (*st)->column_text(0) == "failed" ? State::failed : State::pending;
    if (error) *error = json::parse((*st)->column_text(1), nullptr, false);
  }
  st->reset();
  return out;
}

std::string Outbox::path_of(const OutboxEntry& entry) {
  std::string path = "/api/v1/" + entry.entity;
  if (entry.method != "POST" || !entry.action.empty()) path += "/" + std::to_string(entry.record_id);
  if (!entry.action.empty()) path += "/" + entry.action;
  return path;
}

Status Outbox::remove(const EntityDef& entity, int64_t id) {
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto current = cache_.record(entity, id);
  if (!current.ok()) return current.take_error();
  if (!current->has_value()) return (*txn)->commit();  // already gone
  // The record's creation, unless it is being sent this moment (then the server will have it: delete it there).
  auto creation = cache_.db().query_int("SELECT seq FROM outbox WHERE entity = ?1 AND record_id = ?2 AND method = 'POST' AND action IS NULL",
                                        {entity.name, id});
  if (!creation.ok()) return creation.take_error();
  const bool creation_in_flight = creation->has_value() && **creation == in_flight_;
  if (id < 0 && !creation_in_flight) {
    // Never reached the server: forget it and everything queued about it.
    KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE entity = ?1 AND record_id = ?2 AND state IN ('pending', 'failed')", {entity.name, id}));
    KEHU_TRY(remove_cached_record(cache_.db(), entity, id));
    return (*txn)->commit();
  }
  auto seq = queue("DELETE", entity, id, json::object(), **current);
  if (!seq.ok()) return seq.take_error();
  KEHU_TRY(remove_cached_record(cache_.db(), entity, id));
  return (*txn)->commit();
}

Result<int64_t> Outbox::act(const EntityDef& entity, int64_t id, const std::string& action, const json& body) {
  if (!body.is_object()) return Error::make(ErrorCode::bad_request, {"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  auto current = cache_.record(entity, id);
  if (!current.ok()) return current.take_error();
  // The row as the action found it: its rev tells which later edits were made on top of it.
  return queue("POST", entity, id, body, current->has_value() ? **current : json(), action);
}

bool Outbox::has_pending_action(const EntityDef& entity, int64_t id) {
  auto n = cache_.db().query_int(
      "SELECT count(*) FROM outbox WHERE entity = ?1 AND record_id = ?2 AND state = 'pending' AND (action IS NOT NULL OR method = 'DELETE')",
      {entity.name, id});
  return !n.ok() || n->value_or(0) > 0;
}

Status Outbox::withdraw(int64_t seq) {
  auto entries = read_entries(cache_.db(), "seq = ?1", {seq});
  if (!entries.ok()) return entries.take_error();
  if (entries->empty()) return ok_status();
  const OutboxEntry& e = entries->front();
  const EntityDef* entity = find_entity(e.entity);
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  if (entity) {
    auto previous = entry_before(cache_.db(), seq);
    if (!previous.ok()) return previous.take_error();
    // A conflict kept for the user holds the server's row: newer than the one the edit began from.
    json error;
    const bool failed = state(seq, &error) == State::failed && error.is_object();
    if (failed && error.contains("merge") && error["merge"].value("theirs", json()).is_object()) *previous = error["merge"]["theirs"];
    // An edit of a record the server no longer has: the record goes, rather than coming back as it was.
    const bool gone = failed && e.method == "PATCH" && error.value("error", json::object()).value("code", "") == "not_found";
    if (gone) KEHU_TRY(remove_cached_record(cache_.db(), *entity, e.record_id));
    else if (e.method == "POST" && e.action.empty()) KEHU_TRY(remove_cached_record(cache_.db(), *entity, e.record_id));
    else if (e.action.empty() && previous->is_object()) KEHU_TRY(restore_row(*entity, *previous));
  }
  KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {seq}));
  return (*txn)->commit();
}

int Outbox::pending_count() { return count_where(cache_.db(), "pending"); }
int Outbox::failed_count() { return count_where(cache_.db(), "failed"); }

bool Outbox::empty() {
  auto any = cache_.db().query_int("SELECT EXISTS (SELECT 1 FROM outbox)");
  return any.ok() && any->value_or(1) == 0;
}

bool Outbox::has_pending() {
  auto any = cache_.db().query_int("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending')");
  return !any.ok() || any->value_or(1) != 0;
}

std::string Outbox::last_failure() {
  auto st = cache_.db().prepare("SELECT error FROM outbox WHERE state = 'failed' ORDER BY seq DESC LIMIT 1");
  if (!st.ok()) return {};
  auto row = (*st)->step();
  json error = row.ok() && *row ? json::parse((*st)->column_text(0), nullptr, false) : json();
  st->reset();
  if (error.is_object() && error.contains("error") && error["error"].is_object()) return error["error"].value("message", "");
  return error.is_string() ? error.get<std::string>() : std::string();
}

std::optional<OutboxEntry> Outbox::next() {
  auto entries = read_entries(cache_.db(), "state = 'pending' AND seq = (SELECT min(seq) FROM outbox WHERE state = 'pending')", {});
  if (!entries.ok() || entries->empty()) return std::nullopt;
  return entries->front();
}

namespace {

// Whether `v` holds a negative integer anywhere: a reference to a record created here, not yet sent.
bool names_local_record(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>() < 0;
  if (v.is_object() || v.is_array())
    for (const auto& item : v)
      if (names_local_record(item)) return true;
  return false;
}

}  // namespace

std::vector<OutboxEntry> Outbox::sendable_alongside(size_t max, const std::set<std::pair<std::string, int64_t>>& in_flight) {
  std::vector<OutboxEntry> out;
  if (max == 0) return out;
  // A window of the queue: pipelining needs only the next few; the rest wait their turn.
  auto waiting = read_entries(cache_.db(), "state = 'pending' AND seq IN (SELECT seq FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 16)", {});
  if (!waiting.ok()) return out;
  std::set<std::pair<std::string, int64_t>> held = in_flight;  // records whose turn has not come
  for (auto& e : *waiting) {
    if (send_alone_.count(e.seq)) break;  // in flight alone, or next to go alone
    std::pair<std::string, int64_t> record{e.entity, e.record_id};
    if (held.count(record)) continue;  // in flight, or an older entry of it waits: after those
    const bool plain_edit = e.method == "PATCH" && e.action.empty() && e.record_id > 0 && !names_local_record(e.body);
    if (!plain_edit) break;
    held.insert(record);
    out.push_back(std::move(e));
    if (out.size() >= max) break;
  }
  return out;
}

Status Outbox::accepted(const OutboxEntry& entry, const json& record) {
  const EntityDef* entity = find_entity(entry.entity);
  if (!entity) return cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {entry.seq});
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  int64_t server_id = record.value("id", int64_t{0});
  int64_t server_rev = record.value("rev", int64_t{0});
  if (entry.method == "DELETE") {  // gone on the server too (the sync's tombstone agrees)
    KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {entry.seq}));
    return (*txn)->commit();
  }
  if (!entry.action.empty()) {
    // The answer is the record when the action changed it (a transition, a claim); anything else (a
    // note) arrives with the next sync.
    const bool is_record = record.is_object() && record.value("id", json()) == json(entry.record_id) && record.contains("rev") &&
                           record.contains("created_at");
    if (is_record) {
      // Edits queued after the action were made on the rev it found: they now expect the server's new one.
      auto found = entry_before(cache_.db(), entry.seq);
      if (!found.ok()) return found.take_error();
      if (found->is_object())
        KEHU_TRY(cache_.db().run(
            "UPDATE outbox SET body = json_set(body, '$.rev', ?1) WHERE method = 'PATCH' AND entity = ?2 AND record_id = ?3 "
            "AND seq > ?4 AND json_extract(body, '$.rev') = ?5",
            {record.value("rev", int64_t{0}), entity->name, entry.record_id, entry.seq, found->value("rev", int64_t{0})}));
      KEHU_TRY(store_server_record(cache_.db(), *entity, record));
    }
    KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {entry.seq}));
    KEHU_TRY(reapply_pending_of(entity->name, entry.record_id));
    return (*txn)->commit();
  }
  if (entry.record_id < 0 && entry.method == "POST") {
    KEHU_TRY(remove_cached_record(cache_.db(), *entity, entry.record_id));
    // Later entries about the same record, and children pointing at it, now name the server's id.
    KEHU_TRY(cache_.db().run("UPDATE outbox SET record_id = ?1 WHERE entity = ?2 AND record_id = ?3",
                             {server_id, entity->name, entry.record_id}));
    for (const auto* child : record_entities())
      for (const auto& f : child->fields)
        if (f.type == FieldType::reference && f.ref_table == entity->name) {
          KEHU_TRY(cache_.db().run("UPDATE " + child->name + " SET " + f.name + " = ?1 WHERE " + f.name + " = ?2",
                                   {server_id, entry.record_id}));
          KEHU_TRY(cache_.db().run("UPDATE outbox SET body = json_set(body, '$." + f.name + "', ?1) WHERE entity = ?2 AND "
                                   "json_extract(body, '$." + f.name + "') = ?3",
                                   {server_id, child->name, entry.record_id}));
        }
  }
  // Later edits of this record were made on top of this one: they now expect the server's new rev.
  int64_t base_rev = entry.body.is_object() ? entry.body.value("rev", int64_t{-1}) : -1;
  if (entry.method == "POST") base_rev = 0;
  KEHU_TRY(cache_.db().run(
      "UPDATE outbox SET body = json_set(body, '$.rev', ?1) WHERE method = 'PATCH' AND entity = ?2 AND record_id = ?3 "
      "AND seq > ?4 AND (json_extract(body, '$.rev') = ?5 OR ?6)",
      {server_rev, entity->name, server_id, entry.seq, base_rev, int64_t{entry.method == "POST" ? 1 : 0}}));
  KEHU_TRY(store_server_record(cache_.db(), *entity, record));
  KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {entry.seq}));
  KEHU_TRY(reapply_pending_of(entity->name, server_id));
  return (*txn)->commit();
}

Status Outbox::refused(const OutboxEntry& entry, const json& error) {
  if (entry.method != "DELETE") return cache_.db().run("UPDATE outbox SET state = 'failed', error = ?1 WHERE seq = ?2", {error.dump(), entry.seq});
  // A refused delete: the record comes back (the entry stays, failed, so the user reads why).
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto previous = entry_before(cache_.db(), entry.seq);
  if (!previous.ok()) return previous.take_error();
  const EntityDef* entity = find_entity(entry.entity);
  if (entity && previous->is_object()) KEHU_TRY(store_server_record(cache_.db(), *entity, *previous));
  KEHU_TRY(cache_.db().run("UPDATE outbox SET state = 'failed', error = ?1, before = NULL WHERE seq = ?2", {error.dump(), entry.seq}));
  return (*txn)->commit();
}

namespace {

// A PATCH body without its instructions (rev, force): the fields the edit changed.
json edited_fields(const json& body) {
  json fields = body.is_object() ? body : json::object();
  fields.erase("rev");
  fields.erase("force");
  return fields;
}

// `row` with `fields` written over it (custom fields key by key), as the cache shows an edit.
json with_fields(json row, const json& fields) {
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (it.key() == "rev") continue;
    if (it.key() == "custom" && it->is_object()) {
      if (!row["custom"].is_object()) row["custom"] = json::object();
      for (auto c = it->begin(); c != it->end(); ++c) row["custom"][c.key()] = *c;
    } else {
      row[it.key()] = *it;
    }
  }
  return row;
}

}  // namespace

Status Outbox::restore_row(const EntityDef& entity, const json& row) {
  const int64_t id = row.value("id", int64_t{0});
  auto current = cache_.record(entity, id);
  if (!current.ok()) return current.take_error();
  if (!current->has_value()) return ok_status();  // removed by a pull since: it stays removed
  // The newest the server has shown of it: `row`, or the one a later pull brought (kept by reapply_pending
  // before the edits were drawn over it).
  json best = row;
  auto kept = cache_.db().prepare("SELECT row FROM outbox_server_rows WHERE entity = ?1 AND id = ?2");
  if (!kept.ok()) return kept.take_error();
  (*kept)->bind_all({entity.name, id});
  auto found = (*kept)->step();
  if (!found.ok()) return found.take_error();
  if (*found) {
    json server_row = json::parse((*kept)->column_text(0), nullptr, false);
    if (server_row.is_object() && server_row.value("rev", int64_t{0}) > best.value("rev", int64_t{0})) best = std::move(server_row);
  }
  kept->reset();
  if ((**current).value("rev", int64_t{0}) > best.value("rev", int64_t{0})) return ok_status();
  return store_server_record(cache_.db(), entity, best);
}

Result<Outbox::Merged> Outbox::conflicted(const OutboxEntry& entry, const json& theirs, const json& error) {
  const EntityDef* entity = find_entity(entry.entity);
  if (!entity || entry.method != "PATCH" || !entry.action.empty() || !theirs.is_object()) {
    KEHU_TRY(refused(entry, error));
    return Merged::needs_user;
  }
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto base = entry_before(cache_.db(), entry.seq);
  if (!base.ok()) return base.take_error();
  const json mine = edited_fields(entry.body);
  FieldMerge merge = merge_fields(*base, mine, theirs);
  Merged outcome = Merged::needs_user;
  if (merge.settled()) {
    if (changes_anything(merge.patch)) {
      json body = merge.patch;
      if (entry.body.value("force", false)) body["force"] = true;
      // Theirs is now the row the edit starts from: another conflict merges against it.
      KEHU_TRY(cache_.db().run("UPDATE outbox SET body = ?1, before = ?2, state = 'pending', error = NULL WHERE seq = ?3",
                               {body.dump(), theirs.dump(), entry.seq}));
      outcome = Merged::resend;
    } else {
      KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {entry.seq}));
      outcome = Merged::nothing_left;
    }
    KEHU_TRY(store_server_record(cache_.db(), *entity, theirs));
    KEHU_TRY(reapply_pending_of(entity->name, entry.record_id));
  } else {
    json kept = error.is_object() ? error : json::object();
    json conflicts = json::array();
    for (const auto& c : merge.conflicts)
      conflicts.push_back({{"field", c.field}, {"base", c.base}, {"mine", c.mine}, {"theirs", c.theirs}});
    kept["merge"] = {{"theirs", theirs}, {"conflicts", std::move(conflicts)}};
    KEHU_TRY(cache_.db().run("UPDATE outbox SET state = 'failed', error = ?1 WHERE seq = ?2", {kept.dump(), entry.seq}));
    // Until the user answers, the cache shows theirs with this edit over it: nothing typed disappears.
    KEHU_TRY(store_server_record(cache_.db(), *entity, with_fields(theirs, mine)));
    KEHU_TRY(reapply_pending_of(entity->name, entry.record_id));
  }
  KEHU_TRY((*txn)->commit());
  return outcome;
}

Status Outbox::settle_conflict(int64_t seq, const std::map<std::string, bool>& take_mine) {
  auto entries = read_entries(cache_.db(), "seq = ?1 AND state = 'failed'", {seq});
  if (!entries.ok()) return entries.take_error();
  json error;
  if (entries->empty() || state(seq, &error) != State::failed || !error.is_object() || !error.contains("merge"))
    return Error::make(ErrorCode::not_found, {"没有待合并的修改", "there is no edit waiting to be merged"});
  const OutboxEntry& entry = entries->front();
  const EntityDef* entity = find_entity(entry.entity);
  const json theirs = error["merge"].value("theirs", json());
  if (!entity || !theirs.is_object()) return Error::make(ErrorCode::bad_request, {"待合并的修改已损坏", "the edit waiting to be merged is damaged"});
  auto txn = Transaction::begin(cache_.db(), true);
  if (!txn.ok()) return txn.take_error();
  auto base = entry_before(cache_.db(), seq);
  if (!base.ok()) return base.take_error();
  json patch = settle(merge_fields(*base, edited_fields(entry.body), theirs), take_mine);
  if (changes_anything(patch)) {
    if (entry.body.value("force", false)) patch["force"] = true;
    KEHU_TRY(cache_.db().run("UPDATE outbox SET body = ?1, before = ?2, state = 'pending', error = NULL WHERE seq = ?3",
                             {patch.dump(), theirs.dump(), seq}));
  } else {
    KEHU_TRY(cache_.db().run("DELETE FROM outbox WHERE seq = ?1", {seq}));
  }
  KEHU_TRY(restore_row(*entity, theirs));
  KEHU_TRY(reapply_pending_of(entity->name, entry.record_id));
  return (*txn)->commit();
}

std::vector<Outbox::Failed> Outbox::failed_entries() {
  std::vector<Failed> out;
  auto entries = read_entries(cache_.db(), "state = 'failed'", {});
  if (!entries.ok()) return out;
  for (auto& e : *entries) {
    json error;
    state(e.seq, &error);
    out.push_back(Failed{std::move(e), std::move(error)});
  }
  return out;
}

Result<Outbox::Queued> Outbox::recreate(int64_t seq, const std::string& now, int64_t user_id) {
  json error;
  auto entries = read_entries(cache_.db(), "seq = ?1", {seq});
  if (!entries.ok()) return entries.take_error();
  if (entries->empty() || state(seq, &error) != State::failed || entries->front().method != "PATCH" ||
      error.value("error", json::object()).value("code", "") != "not_found")
    return Error::make(ErrorCode::not_found, {"没有可重新创建的修改", "there is no edit of a deleted record to create again"});
  const OutboxEntry& e = entries->front();
  const EntityDef* entity = find_entity(e.entity);
  if (!entity) return Error::make(ErrorCode::not_found, {"这项修改的记录类型已不存在", "this edit's record type no longer exists"});
  auto before = entry_before(cache_.db(), seq);
  if (!before.ok()) return before.take_error();
  // The record as this person last saw it, with their edit: its fields only (the server numbers the
  // code and keeps the times).
  json row = with_fields(before->is_object() ? *before : json::object(), edited_fields(e.body));
  json input = json::object();
  for (const auto& f : entity->fields)
    if (f.writable && f.name != "code" && row.contains(f.name) && !row[f.name].is_null()) input[f.name] = row[f.name];
  if (row.value("custom", json()).is_object() && !row["custom"].empty()) input["custom"] = row["custom"];
  auto created = create(*entity, input, now, user_id);  // nothing is lost if this is refused
  if (!created.ok()) return created.take_error();
  KEHU_TRY(withdraw(seq));
  return created;
}

json Outbox::base_row(int64_t seq) {
  json error;
  if (state(seq, &error) == State::failed && error.is_object() && error.contains("merge") && error["merge"].value("theirs", json()).is_object())
    return error["merge"]["theirs"];
  auto before = entry_before(cache_.db(), seq);
  return before.ok() ? *before : json();
}

Status Outbox::retry(int64_t seq) {
  return cache_.db().run(
      "UPDATE outbox SET state = 'pending', error = NULL WHERE seq = ?1 AND state = 'failed' AND json_extract(error, '$.merge') IS NULL", {seq});
}

Status Outbox::reapply_pending() { return reapply("", {}); }

Status Outbox::reapply_pending_of(const std::string& entity, int64_t record_id) {
  return reapply(" AND entity = ?1 AND record_id = ?2", {entity, record_id});
}

Status Outbox::reapply(const std::string& which, const std::vector<SqlValue>& args) {
  // Refused edits too: they stay visible until the user fixes, merges or discards them.
  auto entries = read_entries(cache_.db(), "state IN ('pending', 'failed') AND method = 'PATCH' AND action IS NULL" + which, args);
  if (!entries.ok()) return entries.take_error();
  for (const auto& e : *entries) {
    const EntityDef* entity = find_entity(e.entity);
    if (!entity || !e.body.is_object()) continue;
    auto current = cache_.record(*entity, e.record_id);
    if (!current.ok()) return current.take_error();
    if (!current->has_value()) continue;
    // A row with a newer rev than the one kept came from the server (edits here keep the rev): keep it,
    // before this device's edits are drawn over it.
    KEHU_TRY(cache_.db().run(
        "INSERT INTO outbox_server_rows (entity, id, row) VALUES (?1, ?2, ?3) ON CONFLICT(entity, id) DO UPDATE SET row = ?3 "
        "WHERE json_extract(outbox_server_rows.row, '$.rev') < json_extract(?3, '$.rev')",
        {e.entity, e.record_id, (**current).dump()}));
    json fields = json::object();
    for (const auto& [key, value] : e.body.items())
      if (entity->field(key) || (key == "custom" && value.is_object())) fields[key] = value;
    json row = with_fields(**current, fields);
    if (row != **current) KEHU_TRY(store_server_record(cache_.db(), *entity, row));
  }
  // Records no edit waits on any more need no kept row (looked up through the outbox_record index).
  std::string kept = which.empty() ? "" : " AND entity = ?1 AND id = ?2";
  return cache_.db().run(
      "DELETE FROM outbox_server_rows WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = outbox_server_rows.entity "
      "AND o.record_id = outbox_server_rows.id)" + kept, args);
}

}  // namespace kehu::client
