// Security headers on every answer, https in the server itself, and whose address a request is from.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "server/http/client_address.h"
#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

size_t header_count(const Response& r, const std::string& name) { return r.headers.count(name); }

void check_security_headers(const Response& r, bool tls) {
  INFO("status " << r.status);
  std::string csp = r.header("Content-Security-Policy");
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval';") != std::string::npos);  // no 'unsafe-eval', no inline script
  CHECK(csp.find("'unsafe-inline'") == std::string::npos);
  CHECK(header_count(r, "Content-Security-Policy") == 1);
  CHECK(r.header("X-Content-Type-Options") == "nosniff");
  CHECK(header_count(r, "X-Content-Type-Options") == 1);
  CHECK(r.header("X-Frame-Options") == "DENY");
  CHECK(r.header("Referrer-Policy") == "no-referrer");
  CHECK(r.header("Strict-Transport-Security") == (tls ? "max-age=31536000" : ""));
}

// A throwaway self-signed certificate for 127.0.0.1 (openssl from Debian's openssl package).
struct Certificate {
  std::string dir, cert, key;
  Certificate() {
    std::random_device rd;
    dir = (std::filesystem::temp_directory_path() / ("kehu-tls-" + std::to_string(rd()))).string();
    std::filesystem::create_directories(dir);
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1"
                      " -addext subjectAltName=IP:127.0.0.1 -keyout " + key + " -out " + cert + " >/dev/null 2>&1";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "openssl could not make a test certificate");
  }
  ~Certificate() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("every answer carries the security headers, errors and static files included") {
  std::string dir = (std::filesystem::temp_directory_path() / ("kehu-static-" + std::to_string(std::random_device{}()))).string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/index.html") << "<!doctype html><title>客户管理</title>";
  TestServer s([&](server::ServerConfig& c) {
    c.static_dir = dir;
    c.max_body_bytes = 1000;
  });
  std::string t = s.admin_token();
  auto ok = s.request("GET", "/api/v1/me", t);
  CHECK(ok.status == 200);
  check_security_headers(ok, false);
  check_security_headers(s.request("GET", "/healthz"), false);
  auto page = s.request("GET", "/");
  CHECK(page.status == 200);
  check_security_headers(page, false);
  auto unauthorized = s.request("GET", "/api/v1/me");
  CHECK(unauthorized.status == 401);
  check_security_headers(unauthorized, false);
  auto missing = s.request("GET", "/api/v1/nothing-here", t);
  CHECK(missing.status == 404);
  check_security_headers(missing, false);
  auto malformed = s.raw_request("POST", "/api/v1/customers", "{not json", "application/json", {{"Authorization", "Bearer " + t}});
  CHECK(malformed.status == 400);
  check_security_headers(malformed, false);
  auto too_big = s.raw_request("POST", "/api/v1/customers", std::string(5000, 'x'), "application/json", {{"Authorization", "Bearer " + t}});
  CHECK(too_big.status == 413);
  check_security_headers(too_big, false);
  auto huge_header = s.request("GET", "/api/v1/me", t, nullptr, {{"X-Junk", std::string(20000, 'h')}});
  CHECK(huge_header.status >= 400);
  check_security_headers(huge_header, false);
  std::filesystem::remove_all(dir);
}

TEST_CASE("with a certificate the server speaks https: HSTS, and a __Host- cookie that is Secure") {
  Certificate certificate;
  TestServer s([&](server::ServerConfig& c) {
    c.tls_cert = certificate.cert;
    c.tls_key = certificate.key;
  });
  s.add_user("wang", "sales");
  auto login = s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "password-123"}});
  REQUIRE(login.status == 200);
  check_security_headers(login, true);
  std::string token = login.body["token"];
  std::string cookie = login.header("Set-Cookie");
  CHECK(cookie.rfind("__Host-session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Secure;", 0) == 0);
  CHECK(s.request("GET", "/api/v1/me", "", nullptr, {{"Cookie", "__Host-session=" + token}}).status == 200);
  // The plain name is not read under TLS: a cookie planted over http (or by a subdomain) does nothing.
  CHECK(s.request("GET", "/api/v1/me", "", nullptr, {{"Cookie", "session=" + token}}).status == 401);
  auto bye = s.request("POST", "/api/v1/auth/logout", token);
  CHECK(bye.status == 204);
  CHECK(bye.header("Set-Cookie").rfind("__Host-session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0", 0) == 0);

  // Plain http to the https port gets no answer, not the API.
  httplib::Client plain("127.0.0.1", s.port());
  plain.set_read_timeout(3, 0);
  auto res = plain.Get("/healthz");
  CHECK((!res || res->status == 400));
}

TEST_CASE("a certificate that cannot be read stops the start with a clear error") {
  Certificate certificate;
  server::ServerConfig config;
  config.db_path = certificate.dir + "/kehu.db";
  config.tls_cert = certificate.dir + "/missing.pem";
  config.tls_key = certificate.key;
  auto app = server::App::create(config);
  REQUIRE_FALSE(app.ok());
  CHECK(app.error().message.en.find("missing.pem") != std::string::npos);
  config.tls_cert = certificate.cert;
  config.tls_key = "";
  auto half = server::App::create(config);
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().message.en.find("--tls-key") != std::string::npos);
  // The key of another certificate does not match this one.
  Certificate other;
  config.tls_key = other.key;
  CHECK_FALSE(server::App::create(config).ok());
}

TEST_CASE("client_address believes X-Forwarded-For only from a trusted proxy") {
  using server::client_address;
  CHECK(client_address("198.51.100.4", "203.0.113.7", {}) == "198.51.100.4");
  CHECK(client_address("198.51.100.4", "203.0.113.7", {"10.0.0.2"}) == "198.51.100.4");
  CHECK(client_address("10.0.0.2", "203.0.113.7", {"10.0.0.2"}) == "203.0.113.7");
  CHECK(client_address("::ffff:10.0.0.2", "203.0.113.7", {"10.0.0.2"}) == "203.0.113.7");
  // A client's own made-up entries sit left of what the proxy appended: the rightmost untrusted one counts.
  CHECK(client_address("10.0.0.2", "1.2.3.4, 203.0.113.7", {"10.0.0.2"}) == "203.0.113.7");
  CHECK(client_address("10.0.0.2", "1.2.3.4, 203.0.113.7 , 10.0.0.3", {"10.0.0.2", "10.0.0.3"}) == "203.0.113.7");
  CHECK(client_address("10.0.0.2", "2001:db8::1", {"10.0.0.2"}) == "2001:db8::1");
  // Garbage, or nothing, from the proxy: the proxy itself.
  CHECK(client_address("10.0.0.2", "", {"10.0.0.2"}) == "10.0.0.2");
  CHECK(client_address("10.0.0.2", "1.2.3.4, not-an-ip", {"10.0.0.2"}) == "10.0.0.2");
  CHECK(client_address("10.0.0.2", "999.1.1.1", {"10.0.0.2"}) == "10.0.0.2");
  CHECK(server::is_loopback_address("::ffff:127.0.0.1"));
  CHECK_FALSE(server::is_loopback_address("127.0.0.2x"));
}

// httplib percent-decodes header values, so "%00" puts a NUL in an X-Forwarded-For entry; inet_pton stops
// at it. To client_address an entry with a NUL is not an address (the walk ends at the proxy): it is
// neither taken as "203.0.113.7" with the rest cut off nor carried whole into the throttle and the audit.
TEST_CASE("client_address refuses a forwarded entry with a NUL in it") {
  using server::client_address;
  const std::string nul_entry("203.0.113.7\0junk", 16);
  CHECK_FALSE(server::is_ip_literal(nul_entry));
  CHECK_FALSE(server::is_ip_literal(std::string("2001:db8::1\0", 12)));
  CHECK(server::is_ip_literal("203.0.113.7"));
  CHECK(client_address("10.0.0.2", nul_entry, {"10.0.0.2"}) == "10.0.0.2");
  CHECK(client_address("10.0.0.2", "198.51.100.4, " + nul_entry, {"10.0.0.2"}) == "10.0.0.2");
  CHECK(client_address("10.0.0.2", std::string("::ffff:203.0.113.7\0", 19), {"10.0.0.2"}) == "10.0.0.2");
  CHECK_FALSE(server::is_loopback_address(std::string("::ffff:127.0.0.1\0x", 18)));
}

TEST_CASE("through the server, a forwarded entry with a NUL is refused whole, not cut at the NUL") {
  TestServer s([](server::ServerConfig& c) { c.trusted_proxies = {"127.0.0.1"}; });
  auto r = s.request("POST", "/api/v1/auth/login", "", {{"username", "nobody-here"}, {"password", "guess-guess-1"}},
                     {{"X-Forwarded-For", "203.0.113.7%00junk"}});
  CHECK(r.status == 401);
  // The entry is not an address: the proxy's own address is the client's, not "203.0.113.7".
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'login_failed' AND ip = '127.0.0.1'") == 1);
  CHECK(s.count("SELECT count(*) FROM audit WHERE ip LIKE '203.%'") == 0);
}

// "::ffff:" + an IPv4 address is that IPv4 client; any other address that begins "::ffff:" is an IPv6
// address of its own and is kept whole ("::ffff:1f:10.0.0.1" is not the text "1f:10.0.0.1").
TEST_CASE("client_address keeps an IPv6 address that begins ::ffff: but is not IPv4-mapped") {
  using server::client_address;
  REQUIRE(server::is_ip_literal("::ffff:1f:10.0.0.1"));
  CHECK(client_address("10.0.0.2", "::ffff:1f:10.0.0.1", {"10.0.0.2"}) == "::ffff:1f:10.0.0.1");
  CHECK(client_address("::ffff:1f:10.0.0.1", "", {}) == "::ffff:1f:10.0.0.1");
  CHECK(client_address("10.0.0.2", "::ffff:10.0.0.1", {"10.0.0.2"}) == "10.0.0.1");  // mapped: the IPv4 client
  CHECK(client_address("10.0.0.2", "::ffff:a00:1", {"10.0.0.2"}) == "::ffff:a00:1");
  // Not mapped, so not the trusted IPv4 proxy it ends with: its X-Forwarded-For is not believed.
  CHECK(client_address("::ffff:1f:10.0.0.2", "203.0.113.7", {"10.0.0.2"}) == "::ffff:1f:10.0.0.2");
  CHECK_FALSE(server::is_loopback_address("::ffff:1f:127.0.0.1"));
}

TEST_CASE("a spoofed X-Forwarded-For changes neither the throttle nor the audited address") {
  TestServer s([](server::ServerConfig& c) { c.throttle.address_failures = 4; });
  for (int i = 0; i < 4; ++i) {
    auto r = s.request("POST", "/api/v1/auth/login", "", {{"username", "user" + std::to_string(i)}, {"password", "guess-guess-1"}},
                       {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
    CHECK(r.status == 401);
  }
  auto stopped = s.request("POST", "/api/v1/auth/login", "", {{"username", "user9"}, {"password", "guess-guess-1"}},
                           {{"X-Forwarded-For", "203.0.113.99"}});
  CHECK(stopped.status == 429);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'login_failed' AND ip = '127.0.0.1'") == 4);
  CHECK(s.count("SELECT count(*) FROM audit WHERE ip LIKE '203.%'") == 0);
  // A proxy on this machine passing a request on is not "this machine": /metrics stays closed to it.
  CHECK(s.request("GET", "/metrics").status == 200);
  auto proxied = s.request("GET", "/metrics", "", nullptr, {{"X-Forwarded-For", "203.0.113.5"}});
  CHECK(proxied.status == 401);
  CHECK(proxied.raw.find("kehu_") == std::string::npos);
}

TEST_CASE("behind a trusted proxy the forwarded address is throttled and audited") {
  TestServer s([](server::ServerConfig& c) {
    c.trusted_proxies = {"127.0.0.1"};
    c.throttle.address_failures = 3;
  });
  s.add_user("zhao", "sales");
  for (int i = 0; i < 3; ++i)
    s.request("POST", "/api/v1/auth/login", "", {{"username", "x" + std::to_string(i)}, {"password", "guess-guess-1"}},
              {{"X-Forwarded-For", "1.2.3.4, 203.0.113.7"}});
  auto blocked = s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "password-123"}},
                           {{"X-Forwarded-For", "203.0.113.7"}});
  CHECK(blocked.status == 429);
  // Another client behind the same proxy is not held back by that one's guessing.
  auto other = s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "password-123"}},
                         {{"X-Forwarded-For", "198.51.100.20"}});
  CHECK(other.status == 200);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'login_failed' AND ip = '203.0.113.7'") == 3);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'login' AND ip = '198.51.100.20'") == 1);
  CHECK(s.count("SELECT count(*) FROM sessions WHERE ip = '198.51.100.20'") == 1);
}
