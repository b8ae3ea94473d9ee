#include "core/stats/stats_upkeep.h"

#include <algorithm>
#include <map>

#include "core/clock.h"
#include "core/entity/record_codec.h"
#include "core/settings/settings.h"
#include "core/stats/churn_window.h"
#include "core/stats/stat_facts.h"
#include "core/stats/stat_query.h"
#include "core/time_zone.h"

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
  return db.run(
      "DELETE FROM " + t.name + " WHERE " + join(where, " AND ") + " AND " + join(t.counters, " AND ", " = 0"),
      key.values);
}

// Adds `counters` to the row `key` of the table called `name` (a statistics table or a check's copy of
// one), creating the row; one prepared statement per table, kept while counting.
class FactWriter {
 public:
  FactWriter(Database& db, std::string prefix) : db_(db), prefix_(std::move(prefix)) {}

  Status add(const StatKey& key, const StatCounters& counters) {
    auto& upsert = upserts_[key.table];
    if (!upsert) {
      const StatTable& t = *key.table;
      std::vector<std::string> params, sets;
      for (size_t i = 0; i < t.keys.size() + t.counters.size(); ++i) params.push_back("?" + std::to_string(i + 1));
      for (const auto& c : t.counters) sets.push_back(c + " = " + c + " + excluded." + c);
      auto prepared =
          db_.prepare("INSERT INTO " + prefix_ + t.name + " (" + join(t.keys, ", ") + ", " + join(t.counters, ", ") +
                      ") VALUES (" + join(params, ", ") + ") ON CONFLICT DO UPDATE SET " + join(sets, ", "));
      if (!prepared.ok()) return prepared.take_error();
      upsert = std::move(*prepared);
    }
    std::vector<SqlValue> args = key.values;
    args.insert(args.end(), counters.begin(), counters.end());
    upsert->bind_all(args);
    return upsert->run();
  }

 private:
  Database& db_;
  std::string prefix_;
  std::map<const StatTable*, std::unique_ptr<Statement>> upserts_;
};

// The team of each owner in `owners` (those without one are left out), as the users table says now.
Result<std::map<int64_t, int64_t>> teams_of(Database& db, const std::vector<int64_t>& owners) {
  std::map<int64_t, int64_t> out;
  for (int64_t owner : owners) {
    auto team = db.query_int("SELECT team_id FROM users WHERE id = ?", {owner});
    if (!team.ok()) return team.take_error();
    if (team->has_value()) out[owner] = **team;
  }
  return out;
}

// Every owner's team, for counting everything.
Result<std::map<int64_t, int64_t>> every_owners_team(Database& db) {
  std::map<int64_t, int64_t> out;
  KEHU_TRY(for_each_row(db, "SELECT id, team_id FROM users WHERE team_id IS NOT NULL", {},
                        [&out](Statement& row) { out[row.column_int(0)] = row.column_int(1); }));
  return out;
}

TeamOf team_in(const std::map<int64_t, int64_t>& teams) {
  return [&teams](int64_t owner) {
    auto it = teams.find(owner);
    return it == teams.end() ? int64_t{0} : it->second;
  };
}

int64_t team_field(const json& user) {
  if (!user.is_object()) return 0;
  auto team = user.find("team_id");
  return team != user.end() && team->is_number_integer() ? team->get<int64_t>() : 0;
}

// A rep moved from team `from` to team `to` (0: none) takes their sales along in the teams' rankings:
// what their monthly rows per customer add is taken from the one and added to the other.
Status move_team_sales(Database& db, int64_t owner, int64_t from, int64_t to) {
  StatFacts change;
  KEHU_TRY(for_each_row(db,
                        "SELECT customer_id, month, currency, orders, quantity, amount FROM stat_sales_customer_month"
                        " WHERE owner_id = ?",
                        {owner}, [&](Statement& row) {
                          const std::string month(row.column_text(1)), currency(row.column_text(2));
                          const StatCounters sales = {row.column_int(3), row.column_int(4), row.column_int(5)};
                          if (from) add_team_ranking_facts(change, from, month, row.column_int(0), currency, sales, -1);
                          if (to) add_team_ranking_facts(change, to, month, row.column_int(0), currency, sales, +1);
                        }));
  for (const auto& [key, counters] : change)
    if (!all_zero(counters)) KEHU_TRY(apply_fact(db, key, counters));
  return ok_status();
}

// Counts every live record into the tables named `prefix` + each statistics table's name (empty ones).
// Facts are gathered a few thousand records at a time and then written, so memory stays bounded
// whatever the size of the database.
Status count_into(Database& db, const std::string& prefix) {
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  auto teams = every_owners_team(db);
  if (!teams.ok()) return teams.take_error();
  const TeamOf team_of = team_in(*teams);
  FactWriter writer(db, prefix);
  StatFacts facts;
  auto flush = [&]() -> Status {
    for (const auto& [key, counters] : facts)
      if (!all_zero(counters)) KEHU_TRY(writer.add(key, counters));
    facts.clear();
    return ok_status();
  };
  constexpr int kRecordsPerFlush = 5000;
  for (const auto& name : counted_entities()) {
    const EntityDef* entity = find_entity(name);
    auto rows = db.prepare("SELECT " + record_columns(*entity) + " FROM " + entity->name);
    if (!rows.ok()) return rows.take_error();
    for (int n = 1;; ++n) {
      auto row = (*rows)->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      add_facts(facts, name, row_to_json(*entity, **rows), *zone, +1, team_of);
      if (n % kRecordsPerFlush == 0) KEHU_TRY(flush());
    }
    KEHU_TRY(flush());
  }
  // Rows that summed to nothing (never, while every fact counts a record; kept exact regardless).
  for (const auto& t : stat_tables())
    KEHU_TRY(db.run("DELETE FROM " + prefix + t.name + " WHERE " + join(t.counters, " AND ", " = 0")));
  return ok_status();
}

// The rows of table `a` that `b` lacks or holds other counters for, as readable lines.
Status rows_missing(Database& db, const StatTable& t, const std::string& a, const std::string& b,
                    const std::string& a_says, const std::string& b_says, size_t limit, std::vector<std::string>& out) {
  if (out.size() >= limit) return ok_status();
  const std::string columns = join(t.keys, ", ") + ", " + join(t.counters, ", ");
  std::vector<std::string> on, theirs_columns;
  for (const auto& k : t.keys) on.push_back("b." + k + " = d." + k);
  for (const auto& c : t.counters) theirs_columns.push_back("b." + c);
  auto rows = db.prepare("SELECT d.*, " + join(theirs_columns, ", ") + " FROM (SELECT " + columns + " FROM " + a +
                         " EXCEPT SELECT " + columns + " FROM " + b + ") AS d LEFT JOIN " + b + " AS b ON " +
                         join(on, " AND ") + " LIMIT " + std::to_string(limit - out.size()));
  if (!rows.ok()) return rows.take_error();
  Statement& s = **rows;
  const int keys = static_cast<int>(t.keys.size()), counters = static_cast<int>(t.counters.size());
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    std::vector<SqlValue> key;
    StatCounters mine, theirs;
    for (int i = 0; i < keys; ++i) {
      if (s.column_type(i) == ColumnType::integer)
        key.emplace_back(s.column_int(i));
      else
        key.emplace_back(std::string(s.column_text(i)));
    }
    for (int i = 0; i < counters; ++i) mine.push_back(s.column_int(keys + i));
    const bool in_b = s.column_type(keys + counters) != ColumnType::null;
    for (int i = 0; in_b && i < counters; ++i) theirs.push_back(s.column_int(keys + counters + i));
    // Both directions are asked; a row in both with other counters is named once, from the stored side.
    if (in_b && a_says != "stored") continue;
    out.push_back(t.name + " " + text_of(key) + ": " + a_says + " " + text_of(mine) + ", " + b_says + " " +
                  (in_b ? text_of(theirs) : "nothing"));
  }
  return ok_status();
}

}  // namespace

Result<std::string> company_time_zone(Database& db) {
  auto settings = read_settings(db);
  if (!settings.ok()) return settings.take_error();
  return settings->value("time_zone", std::string("Asia/Shanghai"));
}

Result<std::string> company_date(Database& db, int64_t now_ms) {
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  if (auto today = local_date(*zone, now_ms)) return *today;
  return format_rfc3339_ms(now_ms).substr(0, 10);
}

Status update_statistics(Database& db, const EntityDef& entity, const json& before, const json& after) {
  if (entity.name == "users" && team_field(before) != team_field(after)) {
    const json& user = after.is_object() ? after : before;  // a user removed leaves their team too
    return move_team_sales(db, user.value("id", int64_t{0}), team_field(before), team_field(after));
  }
  if (!counts_in_statistics(entity.name)) return ok_status();
  auto zone = company_time_zone(db);
  if (!zone.ok()) return zone.take_error();
  std::vector<int64_t> owners;  // whose teams rank an order's sales
  if (entity.name == "orders")
    for (const json* record : {&before, &after})
      if (record->is_object() && record->contains("owner_id") && (*record)["owner_id"].is_number_integer())
        owners.push_back((*record)["owner_id"].get<int64_t>());
  if (owners.size() == 2 && owners[0] == owners[1]) owners.pop_back();  // the same owner: one lookup
  auto teams = teams_of(db, owners);
  if (!teams.ok()) return teams.take_error();
  StatFacts change;
  add_facts(change, entity.name, before, *zone, -1, team_in(*teams));
  add_facts(change, entity.name, after, *zone, +1, team_in(*teams));
  std::optional<ChurnWindow> window;
  bool window_read = false;
  for (const auto& [key, counters] : change) {
    if (all_zero(counters)) continue;
    KEHU_TRY(apply_fact(db, key, counters));
    if (key.table->name != "stat_sales_customer_day") continue;
    if (!window_read) {
      auto kept = churn_window(db);
      if (!kept.ok()) return kept.take_error();
      window = std::move(*kept), window_read = true;
    }
    // Key: customer_id, day, owner_id, currency; counters: orders, quantity, amount.
    KEHU_TRY(churn_window_add(db, window, std::get<int64_t>(key.values[0]), std::get<std::string>(key.values[1]),
                              std::get<std::string>(key.values[3]), counters[2]));
  }
  return ok_status();
}

Status rebuild_statistics(Database& db) {
  for (const auto& t : stat_tables()) KEHU_TRY(db.run("DELETE FROM " + t.name));
  KEHU_TRY(forget_churn_window(db));  // its days may have moved with the daily sales
  return count_into(db, "");
}

Status reset_statistics(Database& db) {
  std::vector<std::string> old;
  auto names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stat\\_%' ESCAPE '\\'");
  if (!names.ok()) return names.take_error();
  for (;;) {
    auto row = (*names)->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    old.emplace_back((*names)->column_text(0));
  }
  names->reset();
  for (const auto& name : old) KEHU_TRY(db.run("DROP TABLE " + name));
  for (const auto& t : stat_tables()) {
    KEHU_TRY(db.exec(stat_table_sql(t, t.name)));
    for (const auto& columns : t.indexes) {
      std::string name = t.name + "_" + columns;  // "owner_id, month" -> ..._owner_id_month
      std::replace(name.begin(), name.end(), ',', '_');
      name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
      KEHU_TRY(db.exec("CREATE INDEX " + name + " ON " + t.name + "(" + columns + ")"));
    }
  }
  return count_into(db, "");
}

Result<std::vector<std::string>> check_statistics(Database& db, size_t limit) {
  // Counted from scratch into copies in the connection's temporary schema, then compared both ways.
  auto drop_copies = [&db] {
    for (const auto& t : stat_tables()) (void)db.run("DROP TABLE IF EXISTS temp.check_" + t.name);
  };
  drop_copies();
  for (const auto& t : stat_tables()) KEHU_TRY(db.exec(stat_table_sql(t, "temp.check_" + t.name)));
  std::vector<std::string> differences;
  Status counted = count_into(db, "temp.check_");
  for (const auto& t : stat_tables()) {
    if (!counted.ok()) break;
    counted = rows_missing(db, t, "main." + t.name, "temp.check_" + t.name, "stored", "counted", limit, differences);
    if (counted.ok())
      counted = rows_missing(db, t, "temp.check_" + t.name, "main." + t.name, "counted", "stored", limit, differences);
  }
  drop_copies();
  if (!counted.ok()) return counted.take_error();
  if (differences.size() < limit) {
    auto window = check_churn_window(db, limit - differences.size());
    if (!window.ok()) return window.take_error();
    differences.insert(differences.end(), window->begin(), window->end());
  }
  return differences;
}

}  // namespace kehu
