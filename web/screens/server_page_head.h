// server_page_head.h — the head of a screen that reads from and writes to the server rather than the
// cache (users, teams, settings, the audit log): its title; when offline, a line saying the network is
// needed; the error of the last read or change; the notice of the last change that worked.
//
// Test ids ({page} e.g. users): {page}.title, {page}.offline, {page}.error, {page}.notice.
#pragma once

#include <string>

#include "core/i18n.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct ServerPageHead {
  std::string page;   // the test id prefix
  Text title;
  Text offline_note;  // what waits for the network
};

void draw_server_page_head(Ui& ui, const ServerPageHead& head, bool online, const std::string& error,
                           const std::string& notice = {});

}  // namespace kehu::client
