// teams_admin_screen.h — 部门管理, the admin's teams (SPEC §4 teams: name, manager): create a team, rename it,
// name its manager, delete an empty one (after a confirmation), and put each active person in a team. A
// manager reads and assigns what the people of their team own (SPEC §3), so this is where that scope is set.
//
// Teams and users are not in the cache: both lists are read from the server (GET /teams, GET /users) when
// the screen opens and after each change; changes are sent at once (POST /teams, PATCH /teams/{id} and
// PATCH /users/{id} {team_id} with the rev read, DELETE /teams/{id}). The server refuses to delete a team
// that still has members and says so. Offline the screen says it needs the network and changes nothing.
//
// Test ids: teams.title, teams.offline, teams.error, teams.notice, teams.new.name, teams.new.manager (combo),
// teams.new.create, teams.name.{id} (input), teams.manager.{id} (combo), teams.members.{id}, teams.save.{id},
// teams.delete.{id}, teams_delete.confirm, teams_delete.cancel, teams.user.{uid}, teams.user_team.{uid} (combo).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// A change to send: POST /api/v1/teams, PATCH or DELETE /api/v1/teams/{id}, PATCH /api/v1/users/{id}.
struct TeamsIntent {
  std::string method, path;
  nlohmann::json body;  // null for a DELETE
};

class TeamsAdminScreen {
 public:
  ServerList& teams() { return teams_; }
  ServerList& users() { return users_; }
  // The answer to a change: its message when refused; both lists are read again either way.
  void changed(Ui& ui, const HttpResponse& answer);
  void reset();
  std::optional<TeamsIntent> draw(Ui& ui, bool online);

 private:
  // The people who may manage a team (active admins and managers) as combo items.
  void manager_choices(const Ui& ui, std::vector<int64_t>& ids, std::vector<std::string>& labels) const;
  std::string team_name(int64_t id) const;
  std::string display_name(int64_t user_id) const;

  ServerList teams_, users_;
  bool sending_ = false;
  std::string new_name_;
  int64_t new_manager_ = 0;                  // the new team's manager (a user id; 0: none)
  // A team's name as typed and its manager as chosen (a user id, 0: none), until saved. Only what the admin
  // changed is kept here: the rest shows what the server holds.
  std::map<int64_t, std::string> name_edit_;
  std::map<int64_t, int64_t> manager_edit_;
  int64_t saving_team_ = 0;                   // the team whose change is on its way
  int64_t confirm_delete_ = 0;                // the team the delete dialog asks about
  std::string error_, notice_;
};

}  // namespace kehu::client
