// backup_command.h — `crm-server backup [--incremental]`, `crm-server backups`, `crm-server restore NAME`:
// backups from the server's console (the scheduled ones run inside the server).
//
// The folder is the settings' backup.folder, or `backups` beside the database file; --folder overrides
// both. `restore` is for a stopped server (a running one restores from its admin screen): it makes a
// full backup of the database as it is first, builds the chosen point beside it, checks it, and only
// then puts it in place, so a damaged backup or a failure midway leaves the database as it was.
// Exit 0 on success, 1 on failure (the reason on stderr), 2 on bad arguments.
#pragma once

#include <string>
#include <vector>

namespace kehu::server {

int run_backup_command(const std::string& db_path, std::vector<std::string> args);
int run_backups_command(const std::string& db_path, std::vector<std::string> args);
int run_restore_command(const std::string& db_path, std::vector<std::string> args);

// The backup folder for the database at `db_path`: `override_folder` when given, else the settings'
// backup.folder, else `backups` beside the database file.
std::string backup_folder_for(const std::string& db_path, const std::string& override_folder);

}  // namespace kehu::server
