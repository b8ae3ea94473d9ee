#include "tests/core/table_digest.h"

#include <doctest/doctest.h>

#include <set>
#include <vector>

namespace kehu::test {

namespace {

std::vector<std::string> column_of(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.ok());
  std::vector<std::string> out;
  for (;;) {
    auto row = (*st)->step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.emplace_back((*st)->column_text(0));
  }
  return out;
}

std::string digest_of(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE_MESSAGE(st.ok(), sql);
  uint64_t hash = 14695981039346656037ull;
  auto mix = [&](std::string_view bytes) {
    for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  };
  int64_t rows = 0;
  for (;;) {
    auto row = (*st)->step();
    REQUIRE(row.ok());
    if (!*row) break;
    ++rows;
    for (int i = 0; i < (*st)->column_count(); ++i) {
      ColumnType type = (*st)->column_type(i);
      mix(type == ColumnType::null ? std::string_view("\x01N") : std::string_view("\x01V"));
      if (type != ColumnType::null) mix((*st)->column_text(i));
    }
    mix("\x02");
  }
  return std::to_string(rows) + " rows, " + std::to_string(hash);
}

}  // namespace

std::map<std::string, std::string> table_digests(Database& db) {
  std::set<std::string> virtual_tables;
  for (auto& name : column_of(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"))
    virtual_tables.insert(name);
  std::map<std::string, std::string> out;
  for (const auto& name : column_of(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    bool shadow = false;
    for (const auto& v : virtual_tables) shadow |= name != v && name.rfind(v + "_", 0) == 0;
    if (shadow || name.rfind("sqlite_stat", 0) == 0) continue;
    if (virtual_tables.count(name)) {
      REQUIRE(db.exec("DROP TABLE IF EXISTS temp.digest_vocab; CREATE VIRTUAL TABLE temp.digest_vocab USING fts5vocab(main, " +
                      name + ", instance)").ok());
      out[name] = digest_of(db, "SELECT term, doc FROM temp.digest_vocab ORDER BY term, doc");
      REQUIRE(db.exec("DROP TABLE temp.digest_vocab").ok());
      continue;
    }
    auto columns = column_of(db, "SELECT name FROM pragma_table_info('" + name + "')");
    std::string order;
    for (size_t i = 1; i <= columns.size(); ++i) order += (i > 1 ? ", " : "") + std::to_string(i);
    out[name] = digest_of(db, "SELECT * FROM main." + name + (name == "meta" ? " WHERE key != 'backup_db_id'" : "") +
                                  " ORDER BY " + order);
  }
  return out;
}

}  // namespace kehu::test
