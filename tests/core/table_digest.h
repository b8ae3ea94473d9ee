// table_digest.h — every table of a database in a comparable form, for the backup tests: "the restored
// database equals the source at that point", table by table.
#pragma once

#include <map>
#include <string>

#include "core/db/database.h"

namespace kehu::test {

// Table name -> row count and a 64-bit FNV-1a hash over every value of every row, rows in the order of
// all their columns (so two tables with the same rows compare equal whatever their rowids). A full-text
// index is compared by what it holds (fts5vocab: every term of every row), not by its shadow tables'
// layout. meta's backup_db_id is left out: a restored database is given a new one on purpose.
std::map<std::string, std::string> table_digests(Database& db);

}  // namespace kehu::test
