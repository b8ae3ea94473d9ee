// client_address.h — which address a request came from, for throttling, sessions and the audit log.
//
// The socket's peer, unless that peer is a proxy named with --trusted-proxy: then X-Forwarded-For is read
// from the right (each proxy appends the address it saw) and the first address that is not a trusted
// proxy is the client. A header sent by anyone else is ignored, so a client cannot pick its own address
// to escape the login throttle or to forge the audit trail. A malformed entry ends the walk: the last
// address a trusted proxy vouched for is used.
#pragma once

#include <string>
#include <vector>

namespace kehu::server {

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

// 127.0.0.1, ::1 or ::ffff:127.0.0.1.
bool is_loopback_address(const std::string& address);

// True for a plausible IPv4 or IPv6 literal (what an address may be before it is believed).
bool is_ip_literal(const std::string& text);

}  // namespace kehu::server
