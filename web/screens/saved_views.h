// saved_views.h — 列表视图, a user's saved searches of one list (SPEC §4 views: name, resource, filters, sort):
// pick one and the list shows its search, filters and sort; "save as view" names what the list shows now;
// a chosen view can be deleted after a confirmation. Views are each user's own and live on the server
// (GET /views, POST /views, DELETE /views/{id}): they are read when the list first shows and after each
// change, and the last ones read stay on offer offline. Saving or deleting needs the network.
//
// A list's state is {filters: {field: value, q: search}, sort}; the chooser shows the view whose state is the
// list's now, so changing a filter by hand leaves the view.
//
// Test ids ({list} is the module, e.g. customers): {list}.views (combo over the list's views),
// {list}.views.save, {list}.views.name (input in the naming dialog), {list}.views.confirm,
// {list}.views.cancel, {list}.views.delete, {list}.views_delete.confirm / .cancel, {list}.views.error.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// A change to send: POST /api/v1/views {name, resource, filters, sort}, or DELETE /api/v1/views/{id}.
struct ViewChange {
  enum Kind { save, remove } kind = save;
  nlohmann::json body;  // save
  int64_t id = 0;       // remove
};

class SavedViews {
 public:
  // `list`: all the user's views (GET /views), shared by every list's SavedViews; this one offers those
  // of `resource`.
  SavedViews(std::string resource, ServerList& list) : resource_(std::move(resource)), list_(list) {}

  // The answer to a change: the views are read again; a refusal says why.
  void answered(Ui& ui, const HttpResponse& answer);

  struct Drawn {
    std::optional<nlohmann::json> apply;  // the state of a view just chosen
    std::optional<ViewChange> change;     // to send
  };
  // `state`: the list's state now.
  Drawn draw(Ui& ui, bool online, const nlohmann::json& state);

 private:
  std::string resource_;
  ServerList& list_;
  bool naming_ = false;  // the "save as view" dialog is open
  std::string name_;
  int64_t confirm_delete_ = 0;
  bool sending_ = false;
  std::string error_;
};

}  // namespace kehu::client
