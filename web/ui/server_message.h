// server_message.h — what to tell the user about a server's error answer: the message the server wrote
// (in the language the request asked for), or a sentence for no answer at all or a bare status.
#pragma once

#include <string>

#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

std::string server_message(const Ui& ui, const HttpResponse& answer);

// The same, followed by each field's reason ("提交的内容有误：该联系人拒收邮件…"), for screens that have no
// field of their own to show a reason at.
std::string server_reasons(const Ui& ui, const HttpResponse& answer);

}  // namespace kehu::client
