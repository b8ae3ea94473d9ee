#include "server/http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>

namespace kehu::server {

namespace {

// "::ffff:10.0.0.1" and "10.0.0.1" are the same client; "::ffff:1f:10.0.0.1" is another IPv6 address, not
// the text "1f:10.0.0.1".
std::string canonical(const std::string& address) {
  if (address.rfind("::ffff:", 0) != 0) return address;
  const std::string v4 = address.substr(7);
  unsigned char buf[sizeof(in_addr)];
  return v4.find('\0') == std::string::npos && inet_pton(AF_INET, v4.c_str(), buf) == 1 ? v4 : address;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

bool is_ip_literal(const std::string& text) {
  // inet_pton reads up to the first NUL, and httplib percent-decodes header values: "1.2.3.4%00junk" in
  // X-Forwarded-For must not pass as an address that carries "junk" into the throttle and the audit log.
  if (text.find('\0') != std::string::npos) return false;
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

bool is_loopback_address(const std::string& address) {
  std::string a = canonical(address);
  return a == "127.0.0.1" || a == "::1";
}

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& a) {
    return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                       [&](const std::string& proxy) { return canonical(proxy) == canonical(a); });
  };
  std::string client = canonical(peer);
  if (!trusted(client)) return client;
  size_t end = forwarded_for.size();
  while (end > 0) {
    size_t comma = forwarded_for.rfind(',', end - 1);
    size_t start = comma == std::string::npos ? 0 : comma + 1;
    std::string entry = trim(forwarded_for.substr(start, end - start));
    if (!is_ip_literal(entry)) break;
    client = canonical(entry);
    if (!trusted(client)) break;
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

}  // namespace kehu::server
