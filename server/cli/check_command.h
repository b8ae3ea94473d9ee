// check_command.h — `crm-server check [--repair] [--folder DIR] [--db FILE]`: whether the database is
// whole (SQLite's integrity and reference checks), whether every backup in the backup folder can be
// restored (its file against its manifest's checksum, its chain back to a full backup), and whether the
// statistics kept beside the records (core/stats/stats_upkeep.h) still equal a count from scratch, for
// an operator who doubts a dashboard or has restored a database by hand. Prints each figure that differs and exits 1; with
// --repair counts everything again in one write transaction (beside a running server: its writes wait)
// and checks once more. Exit 0 when the statistics are exact, 1 when not (or the database failed), 2 on
// bad arguments.
#pragma once

#include <string>
#include <vector>

namespace kehu::server {

int run_check_command(const std::string& db_path, const std::vector<std::string>& args);

}  // namespace kehu::server
