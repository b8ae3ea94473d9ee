#include "core/stats/stats_upkeep.h"

#include "core/settings/settings.h"
#include "core/stats/stat_facts.h"

namespace kehu {

using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& sep, const std::string& suffix = "") {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i] + suffix;
  return out;
}

std::string text_of(const SqlValue& v) {
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "null";
}

std::string text_of(const std::vector<SqlValue>& values) {
  std::vector<std::string> parts;
  for (const auto& v : values) parts.push_back(text_of(v));
  return "[" + join(parts, ", ") + "]";
}

std::string text_of(const StatCounters& counters) {
  std::vector<std::string> parts;
  for (int64_t c : counters) parts.push_back(std::to_string(c));
  return "[" + join(parts, ", ") + "]";
}

bool all_zero(const StatCounters& counters) {
  for (int64_t c : counters)
    if (c != 0) return false;
  return true;
}

// Adds `counters` to the row `key` (creating it), then drops the row if nothing is left in it, so the
// tables hold exactly the keys some live record counts in.
Status apply_fact(Database& db, const StatKey& key, const StatCounters& counters) {
  const StatTable& t = *key.table;
  std::vector<std::string> params, sets, where;
  for (size_t i = 0; i < t.keys.size() + t.counters.size(); ++i) params.push_back("?" + std::to_string(i + 1));
  for (size_t i = 0; i < t.counters.size(); ++i)
    sets.push_back(t.counters[i] + " = " + t.counters[i] + " + excluded." + t.counters[i]);
  for (size_t i = 0; i < t.keys.size(); ++i) where.push_back(t.keys[i] + " = ?" + std::to_string(i + 1));
  std::vector<SqlValue> args = key.values;
  args.insert(args.end(), counters.begin(), counters.end());
  KEHU_TRY(db.run("INSERT INTO " + t.name + " (" + join(t.keys, ", ") + ", " + join(t.counters, ", ") + ") VALUES (" +
                      join(params, ", ") + ") ON CONFLICT DO UPDATE SET " + join(sets, ", "),
                  args));
  return db.run("DELETE FROM " + t.name + " WHERE " + join(where, " AND ") + " AND " + join(t.counters, " AND ", " = 0"),
                key.values);
}

// What every live record contributes, counted from the records.
Result<StatFacts> count_from_records(Database& db) {
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  StatFacts facts;
  auto orders = db.prepare(
      "SELECT customer_id, owner_id, order_date, created_at, status, items, total, currency FROM orders");
  if (!orders.ok()) return orders.take_error();
  Statement& s = **orders;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    json order = {{"customer_id", s.column_int(0)}, {"status", std::string(s.column_text(4))}, {"total", s.column_int(6)}};
    if (s.column_type(1) != ColumnType::null) order["owner_id"] = s.column_int(1);
    if (s.column_type(2) != ColumnType::null) order["order_date"] = std::string(s.column_text(2));
    order["created_at"] = std::string(s.column_text(3));
    if (s.column_type(7) != ColumnType::null) order["currency"] = std::string(s.column_text(7));
    order["items"] = json::parse(s.column_text(5), nullptr, /*allow_exceptions=*/false);
    add_facts(facts, "orders", order, *zone, +1);
  }
  return facts;
}

// The stored rows of every statistics table.
Result<StatFacts> read_tables(Database& db) {
  StatFacts stored;
  for (const auto& t : stat_tables()) {
    auto rows = db.prepare("SELECT " + join(t.keys, ", ") + ", " + join(t.counters, ", ") + " FROM " + t.name);
    if (!rows.ok()) return rows.take_error();
    Statement& s = **rows;
    for (;;) {
      auto row = s.step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      StatKey key{&t, {}};
      int i = 0;
      for (; i < static_cast<int>(t.keys.size()); ++i) {
        if (s.column_type(i) == ColumnType::integer) key.values.emplace_back(s.column_int(i));
        else key.values.emplace_back(std::string(s.column_text(i)));
      }
      StatCounters counters;
      for (; i < s.column_count(); ++i) counters.push_back(s.column_int(i));
      stored.emplace(std::move(key), std::move(counters));
    }
  }
  return stored;
}

}  // namespace

Result<std::string> company_time_zone(Database& db) {
  auto settings = read_settings(db);
  if (!settings.ok()) return settings.take_error();
  return settings->value("time_zone", std::string("Asia/Shanghai"));
}

Status update_statistics(Database& db, const EntityDef& entity, const json& before, const json& after) {
  if (!counts_in_statistics(entity.name)) return ok_status();
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  StatFacts change;
  add_facts(change, entity.name, before, *zone, -1);
  add_facts(change, entity.name, after, *zone, +1);
  for (const auto& [key, counters] : change)
    if (!all_zero(counters)) KEHU_TRY(apply_fact(db, key, counters));
  return ok_status();
}

Status rebuild_statistics(Database& db) {
  for (const auto& t : stat_tables()) KEHU_TRY(db.run("DELETE FROM " + t.name));
  auto facts = count_from_records(db);
  if (!facts.ok()) return facts.take_error();
  // The tables are empty: plain inserts, one prepared statement per table.
  std::map<const StatTable*, std::unique_ptr<Statement>> inserts;
  for (const auto& [key, counters] : *facts) {
    if (all_zero(counters)) continue;
    auto& insert = inserts[key.table];
    if (!insert) {
      const StatTable& t = *key.table;
      std::vector<std::string> params;
      for (size_t i = 0; i < t.keys.size() + t.counters.size(); ++i) params.push_back("?" + std::to_string(i + 1));
      auto prepared = db.prepare("INSERT INTO " + t.name + " (" + join(t.keys, ", ") + ", " + join(t.counters, ", ") +
                                 ") VALUES (" + join(params, ", ") + ")");
      if (!prepared.ok()) return prepared.take_error();
      insert = std::move(*prepared);
    }
    std::vector<SqlValue> args = key.values;
    args.insert(args.end(), counters.begin(), counters.end());
    insert->bind_all(args);
    KEHU_TRY(insert->run());
  }
  return ok_status();
}

Result<std::vector<std::string>> check_statistics(Database& db, size_t limit) {
  auto counted = count_from_records(db);
  if (!counted.ok()) return counted.take_error();
  auto stored = read_tables(db);
  if (!stored.ok()) return stored.take_error();
  std::vector<std::string> differences;
  auto note = [&](const StatKey& key, const std::string& has, const std::string& wants) {
    if (differences.size() < limit)
      differences.push_back(key.table->name + " " + text_of(key.values) + ": stored " + has + ", counted " + wants);
  };
  for (const auto& [key, counters] : *counted) {
    if (all_zero(counters)) continue;
    auto it = stored->find(key);
    if (it == stored->end()) note(key, "nothing", text_of(counters));
    else if (it->second != counters) note(key, text_of(it->second), text_of(counters));
  }
  for (const auto& [key, counters] : *stored) {
    auto it = counted->find(key);
    if (it == counted->end() || all_zero(it->second)) note(key, text_of(counters), "nothing");
  }
  return differences;
}

}  // namespace kehu
