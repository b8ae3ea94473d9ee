// http_errors.h — the one place where core's errors become HTTP answers (SPEC §5 "Errors").
//
// Body: {"error": {"code", "message", "fields": {field: message}}} with the message in the request's
// language. Codes map to statuses here and nowhere else.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace kehu::server {

int http_status(ErrorCode code);
nlohmann::json error_json(const Error& error, Lang lang);
// The generic error for a status httplib produced itself (413, 400, 404, ...).
Error error_for_status(int status);

}  // namespace kehu::server
