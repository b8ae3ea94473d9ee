// security_headers.h — the headers every response carries, errors and static files included (SPEC §9).
//
// The Content-Security-Policy is the one the web client runs under: its code comes only from this
// origin (the page loads boot.js and page.css, never inline script or style), WebAssembly may be
// compiled ('wasm-unsafe-eval') but JavaScript may not be made from strings (the client is linked with
// -sDYNAMIC_EXECUTION=0), no page may frame ours, and nothing is fetched from elsewhere. Under TLS,
// Strict-Transport-Security tells the browser to use https only from then on.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kehu::server {

std::vector<std::pair<std::string, std::string>> security_headers(bool tls);

}  // namespace kehu::server
