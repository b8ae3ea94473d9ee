// server_message.h — what to tell the user about a server's error answer: the message the server wrote
// (in the language the request asked for), or a sentence for no answer at all or a bare status.
#pragma once

#include <string>

#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

std::string server_message(const Ui& ui, const HttpResponse& answer);

}  // namespace kehu::client
