#include <doctest/doctest.h>

#include <atomic>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

TEST_CASE("sign in, use the token, sign out") {
  TestServer s;
  s.add_user("wang", "sales");
  auto r = s.request("POST", "/api/v1/auth/login", "", {{"username", "Wang"}, {"password", "password-123"}});
  REQUIRE(r.status == 200);
  std::string token = r.body["token"];
  CHECK(token.size() == 43);  // 256 bits, base64url
  CHECK(r.body["user"]["username"] == "wang");
  CHECK_FALSE(r.body["user"].contains("password_hash"));
  std::string cookie = r.header("Set-Cookie");
  CHECK(cookie.find("session=" + token) == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);

  auto me = s.request("GET", "/api/v1/me", token);
  REQUIRE(me.status == 200);
  CHECK(me.body["user"]["role"] == "sales");
  CHECK(me.body["rights"]["customers"] == json({"read", "create", "update", "delete"}));
  CHECK(s.count("SELECT count(*) FROM sessions WHERE token_hash = '" + token + "'") == 0);  // only the hash is stored

  CHECK(s.request("POST", "/api/v1/auth/logout", token).status == 204);
  auto after = s.request("GET", "/api/v1/me", token);
  CHECK(after.status == 401);
  CHECK(after.body["error"]["code"] == "unauthorized");
  CHECK(s.count("SELECT count(*) FROM audit WHERE action IN ('login', 'logout')") == 2);
}

TEST_CASE("wrong password and unknown user answer the same") {
  TestServer s;
  s.add_user("lisi", "sales");
  auto wrong = s.request("POST", "/api/v1/auth/login", "", {{"username", "lisi"}, {"password", "nope-nope-nope"}});
  auto unknown = s.request("POST", "/api/v1/auth/login", "", {{"username", "nobody"}, {"password", "nope-nope-nope"}});
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(wrong.raw == unknown.raw);
  CHECK(wrong.body["error"]["code"] == "invalid_credentials");
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'login_failed'") == 2);
  auto missing = s.request("POST", "/api/v1/auth/login", "", {{"username", "lisi"}});
  CHECK(missing.status == 422);
  CHECK(missing.body["error"]["fields"].contains("password"));
}

TEST_CASE("login is throttled per account and per address, with Retry-After") {
  TestServer s([](server::ServerConfig& c) { c.throttle.address_failures = 8; });
  s.add_user("zhao", "sales");
  for (int i = 0; i < 5; ++i)
    CHECK(s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "wrong-" + std::to_string(i)}}).status == 401);
  auto locked = s.request("POST", "/api/v1/auth/login", "", {{"username", "zhao"}, {"password", "password-123"}});
  CHECK(locked.status == 429);
  CHECK(locked.body["error"]["code"] == "throttled");
  int retry = std::stoi(locked.header("Retry-After"));
  CHECK(retry > 0);
  CHECK(retry <= 30);
  // The address allowance (8 here) also stops guessing across many accounts.
  for (int i = 0; i < 3; ++i)
    s.request("POST", "/api/v1/auth/login", "", {{"username", "user" + std::to_string(i)}, {"password", "whatever-1"}});
  auto other = s.request("POST", "/api/v1/auth/login", "", {{"username", "someone-else"}, {"password", "whatever-1"}});
  CHECK(other.status == 429);
}

TEST_CASE("cookie sessions need X-Requested-With for writes") {
  TestServer s;
  std::string token = s.admin_token();
  httplib::Headers cookie = {{"Cookie", "theme=dark; session=" + token}};
  CHECK(s.request("GET", "/api/v1/me", "", nullptr, cookie).status == 200);
  auto blocked = s.request("POST", "/api/v1/customers", "", {{"name", "跨站"}}, cookie);
  CHECK(blocked.status == 403);
  CHECK(s.count("SELECT count(*) FROM customers") == 0);
  cookie.emplace("X-Requested-With", "kehu");
  CHECK(s.request("POST", "/api/v1/customers", "", {{"name", "同站"}}, cookie).status == 201);
  // A bearer token is not sent by browsers on their own, so it needs no such header.
  CHECK(s.request("POST", "/api/v1/customers", token, {{"name", "令牌"}}).status == 201);
}

TEST_CASE("changing the password ends the other sessions") {
  TestServer s;
  s.add_user("sun", "sales");
  std::string a = s.login("sun"), b = s.login("sun");
  auto sessions = s.request("GET", "/api/v1/auth/sessions", a);
  REQUIRE(sessions.status == 200);
  CHECK(sessions.body["items"].size() == 2);
  auto weak = s.request("POST", "/api/v1/auth/password", a, {{"old_password", "password-123"}, {"new_password", "short"}});
  CHECK(weak.status == 422);
  CHECK(weak.body["error"]["fields"].contains("new_password"));
  auto wrong_old = s.request("POST", "/api/v1/auth/password", a, {{"old_password", "guess-guess"}, {"new_password", "a-new-password"}});
  CHECK(wrong_old.status == 422);
  CHECK(wrong_old.body["error"]["fields"].contains("old_password"));
  CHECK(s.request("POST", "/api/v1/auth/password", a, {{"old_password", "password-123"}, {"new_password", "a-new-password"}}).status == 204);
  CHECK(s.request("GET", "/api/v1/me", a).status == 200);
  CHECK(s.request("GET", "/api/v1/me", b).status == 401);
  CHECK(s.request("POST", "/api/v1/auth/login", "", {{"username", "sun"}, {"password", "password-123"}}).status == 401);
  CHECK(s.login("sun", "a-new-password").size() == 43);
}

TEST_CASE("a user may end their own sessions, not other people's") {
  TestServer s;
  s.add_user("user-a", "sales");
  s.add_user("user-b", "sales");
  std::string a = s.login("user-a"), a2 = s.login("user-a"), b = s.login("user-b");
  auto list = s.request("GET", "/api/v1/auth/sessions", a);
  int64_t a2_id = 0;
  for (const auto& item : list.body["items"])
    if (!item["current"].get<bool>()) a2_id = item["id"];
  REQUIRE(a2_id > 0);
  CHECK(s.request("DELETE", "/api/v1/auth/sessions/" + std::to_string(a2_id), b).status == 404);
  CHECK(s.request("DELETE", "/api/v1/auth/sessions/" + std::to_string(a2_id), a).status == 204);
  CHECK(s.request("GET", "/api/v1/me", a2).status == 401);
}

TEST_CASE("self-registration waits for approval") {
  TestServer s;
  auto r = s.request("POST", "/api/v1/auth/register", "",
                     {{"username", "newbie"}, {"display_name", "新人"}, {"email", "n@example.com"}, {"password", "long-enough-1"}});
  REQUIRE(r.status == 201);
  CHECK(r.body["user"]["active"] == false);
  auto login = s.request("POST", "/api/v1/auth/login", "", {{"username", "newbie"}, {"password", "long-enough-1"}});
  CHECK(login.status == 403);
  auto again = s.request("POST", "/api/v1/auth/register", "",
                         {{"username", "newbie"}, {"display_name", "x"}, {"password", "long-enough-1"}});
  CHECK(again.status == 422);
  CHECK(again.body["error"]["fields"].contains("username"));
}

TEST_CASE("sessions expire after idling") {
  TestServer s([](server::ServerConfig& c) { c.sessions.idle_ms = 60 * 60 * 1000; });
  std::string token = s.admin_token();
  CHECK(s.request("GET", "/api/v1/me", token).status == 200);
  // Age the session in the database as if two idle hours had passed.
  {
    auto lease = s.app().db().write();
    REQUIRE(lease.db().run("UPDATE sessions SET last_seen_ms = last_seen_ms - 7200000").ok());
  }
  CHECK(s.request("GET", "/api/v1/me", token).status == 401);
}

TEST_CASE("a burst of concurrent guesses cannot outrun the account allowance") {
  TestServer s;
  s.add_user("burst", "sales");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0}, throttled{0};
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      auto r = s.request("POST", "/api/v1/auth/login", "", {{"username", "burst"}, {"password", "guess-" + std::to_string(i)}});
      if (r.status == 401) ++wrong;
      if (r.status == 429) ++throttled;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong.load() <= 5);  // the allowance, however the requests interleave
  CHECK(wrong.load() + throttled.load() == 12);
}

TEST_CASE("registration attempts are limited per address before any hashing") {
  TestServer s;
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = s.request("POST", "/api/v1/auth/register", "", {{"username", "x"}, {"display_name", "x"}, {"password", "short"}});
    if (r.status == 429) ++refused;
    else CHECK(r.status == 422);
  }
  CHECK(refused >= 2);  // 10 attempts per window, failed ones included
}

TEST_CASE("an hour of guessing from many addresses gets at most 100 tries at one account, and its owner still signs in") {
  server::LoginThrottle throttle;  // the defaults crm-server runs with
  int tried = 0;
  const int64_t hour = 3600 * 1000;
  for (int64_t now = 0; now < hour; now += 250) {  // four guesses a second, each from a new address
    server::LoginThrottle::Attempt guess{"wang", "198.51.100." + std::to_string(now / 250 % 250), ""};
    if (throttle.begin_attempt(guess, now) > 0) continue;
    ++tried;
    throttle.finish_attempt(guess, now, server::LoginThrottle::Outcome::failed);
    // Meanwhile the owner signs in from the browser that signed in before, and is let in every time.
    if (now % (10 * 60 * 1000) == 0) {
      server::LoginThrottle::Attempt owner{"wang", "203.0.113.8", "device-hash-of-wangs-browser"};
      REQUIRE(throttle.begin_attempt(owner, now) == 0);
      throttle.finish_attempt(owner, now, server::LoginThrottle::Outcome::succeeded);
    }
  }
  MESSAGE("guesses let through in an hour: " << tried);
  CHECK(tried > 0);
  CHECK(tried <= 100);
  // The same owner from a browser without the device cookie is held back with the attacker.
  CHECK(throttle.begin_attempt({"wang", "203.0.113.8", ""}, hour) > 0);
}

TEST_CASE("a browser that signed in before is not locked out by someone else's guessing") {
  TestServer s;
  s.add_user("wang", "sales");
  auto first = s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "password-123"}});
  REQUIRE(first.status == 200);
  std::string device;
  for (auto [it, end] = first.headers.equal_range("Set-Cookie"); it != end; ++it)
    if (it->second.rfind("kehu_device=", 0) == 0) device = it->second.substr(12, it->second.find(';') - 12);
  REQUIRE(device.size() == 43);
  CHECK(s.count("SELECT count(*) FROM trusted_devices") == 1);
  const httplib::Headers owners_browser = {{"Cookie", "kehu_device=" + device}};

  for (int i = 0; i < 5; ++i)
    s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "guess-" + std::to_string(i)}});
  auto attacker = s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "password-123"}});
  CHECK(attacker.status == 429);  // even the right password waits: the account is locked to strangers
  auto owner = s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "password-123"}}, owners_browser);
  CHECK(owner.status == 200);
  CHECK(owner.headers.count("Set-Cookie") == 1);  // still trusted: no new device cookie

  // The cookie is good for this account only.
  s.add_user("lisi", "sales");
  for (int i = 0; i < 5; ++i)
    s.request("POST", "/api/v1/auth/login", "", {{"username", "lisi"}, {"password", "guess-" + std::to_string(i)}});
  CHECK(s.request("POST", "/api/v1/auth/login", "", {{"username", "lisi"}, {"password", "password-123"}}, owners_browser).status == 429);

  // A trusted browser has its own allowance: a stolen cookie is no way around the throttle.
  int refused_at = 0;
  for (int i = 1; i <= 12 && !refused_at; ++i)
    if (s.request("POST", "/api/v1/auth/login", "", {{"username", "wang"}, {"password", "wrong-" + std::to_string(i)}}, owners_browser).status == 429)
      refused_at = i;
  CHECK(refused_at == 11);

  // A password change forgets every trusted browser.
  s.add_user("zhouyu", "sales");
  auto z = s.request("POST", "/api/v1/auth/login", "", {{"username", "zhouyu"}, {"password", "password-123"}});
  std::string token = z.body["token"];
  CHECK(s.count("SELECT count(*) FROM trusted_devices WHERE user_id = (SELECT id FROM users WHERE username = 'zhouyu')") == 1);
  CHECK(s.request("POST", "/api/v1/auth/password", token, {{"old_password", "password-123"}, {"new_password", "a-new-password-456"}}).status == 204);
  CHECK(s.count("SELECT count(*) FROM trusted_devices WHERE user_id = (SELECT id FROM users WHERE username = 'zhouyu')") == 0);
}
