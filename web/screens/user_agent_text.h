// user_agent_text.h — a browser's User-Agent header as a person reads it ("Chrome on Linux",
// "Chrome · Linux"), for the list of a user's sessions (account_screen.h), where the raw header is too
// long to recognise one's own devices by.
//
// A best guess from well-known tokens, not a full parser: an unknown agent shows as its first product
// name ("curl", "node"), an empty one as "unknown browser". The full header stays available to the
// caller (shown on hover).
#pragma once

#include <string>

#include "core/i18n.h"

namespace kehu::client {

Text user_agent_text(const std::string& user_agent);

}  // namespace kehu::client
