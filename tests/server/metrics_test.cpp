// GET /metrics counts what a monitor needs (server/routes/metrics_routes.cpp), and a flood of sign-ins
// cannot take the workers the rest of the API needs (password_hasher.h's bounded wait).
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using nlohmann::json;

namespace {

// The value of the sample `series` (name with its labels, as written) on the page, or -1.
double sample(const std::string& page, const std::string& series) {
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

// The page once the requests made so far are counted: a request is counted after its answer is
// written, so its client may already be reading the answer when the count happens.
std::string settled_metrics(TestServer& s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return s.request("GET", "/metrics").raw;
}

// Sends `bytes` on a fresh connection and returns the status line of the answer.
std::string raw_exchange(TestServer& s, const std::string& bytes) {
  int fd = s.connect_raw();
  REQUIRE(::send(fd, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[512];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  std::string answer = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  return answer.substr(0, answer.find("\r\n"));
}

}  // namespace

TEST_CASE("/metrics counts answers by method and status class, httplib's own errors included, and times them") {
  TestServer s;
  const std::string token = s.admin_token();
  const std::string page0 = settled_metrics(s);
  const double ok0 = sample(page0, "kehu_http_requests_total{method=\"GET\",status=\"2xx\"}");
  const double client_errors0 = sample(page0, "kehu_http_requests_total{method=\"GET\",status=\"4xx\"}");
  const double posts0 = std::max(0.0, sample(page0, "kehu_http_requests_total{method=\"POST\",status=\"2xx\"}"));
  const double timed0 = sample(page0, "kehu_http_request_duration_seconds_count");
  REQUIRE(ok0 >= 0);
  REQUIRE(client_errors0 >= 0);

  for (int i = 0; i < 5; ++i) REQUIRE(s.request("GET", "/api/v1/me", token).status == 200);
  REQUIRE(s.request("GET", "/api/v1/me").status == 401);                       // ours
  REQUIRE(s.request("GET", "/api/v1/no-such-thing", token).status == 404);     // httplib's
  REQUIRE(s.request("POST", "/api/v1/customers", token, json{{"name", "计量客户"}}).status == 201);
  REQUIRE(raw_exchange(s, "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n").find(" 400 ") !=
          std::string::npos);  // httplib's, before routing: counted, not timed

  const std::string page = settled_metrics(s);
  // The first /metrics itself went out after page0 was made: one more 2xx GET.
  CHECK(sample(page, "kehu_http_requests_total{method=\"GET\",status=\"2xx\"}") == ok0 + 1 + 5);
  CHECK(sample(page, "kehu_http_requests_total{method=\"GET\",status=\"4xx\"}") == client_errors0 + 3);
  CHECK(sample(page, "kehu_http_requests_total{method=\"POST\",status=\"2xx\"}") == posts0 + 1);
  CHECK(sample(page, "kehu_http_requests_total{method=\"GET\",status=\"5xx\"}") == 0);
  // The histogram: every routed answer timed (the 400 was not), buckets cumulative up to the count.
  const double timed = sample(page, "kehu_http_request_duration_seconds_count");
  CHECK(timed == timed0 + 1 + 5 + 2 + 1);
  CHECK(sample(page, "kehu_http_request_duration_seconds_bucket{le=\"+Inf\"}") == timed);
  double previous = 0;
  for (const char* le : {"0.005", "0.01", "0.1", "1", "10"}) {
    double n = sample(page, std::string("kehu_http_request_duration_seconds_bucket{le=\"") + le + "\"}");
    CHECK(n >= previous);
    previous = n;
  }
  CHECK(sample(page, "kehu_http_request_duration_seconds_sum") > 0);
  CHECK(sample(page, "kehu_http_workers") >= 4);
  CHECK(sample(page, "kehu_http_workers_busy") >= 1);  // this very request
  CHECK(sample(page, "kehu_http_connections_queued") >= 0);
  CHECK(sample(page, "kehu_event_streams_open") == 0);
  CHECK(sample(page, "kehu_database_rev") >= 1);
  // Each family is announced once, with its type.
  CHECK(page.find("# TYPE kehu_http_request_duration_seconds histogram\n") != std::string::npos);
  CHECK(page.find("# TYPE kehu_http_requests_total counter\n") == page.rfind("# TYPE kehu_http_requests_total counter\n"));
}

TEST_CASE("/metrics counts sign-ins by outcome and the throttle's locks") {
  TestServer s([](server::ServerConfig& c) { c.throttle.account_failures = 3; });
  s.add_user("zhangsan", "sales");
  const std::string before = settled_metrics(s);
  const double succeeded0 = sample(before, "kehu_logins_total{result=\"succeeded\"}");
  CHECK(sample(before, "kehu_logins_total{result=\"failed\"}") == 0);
  CHECK(sample(before, "kehu_logins_total{result=\"throttled\"}") == 0);
  CHECK(sample(before, "kehu_logins_locks") == 0);

  s.login("zhangsan");
  for (int i = 0; i < 3; ++i)
    REQUIRE(s.request("POST", "/api/v1/auth/login", "", json{{"username", "zhangsan"}, {"password", "wrong-guess-" + std::to_string(i)}}).status ==
            401);
  auto locked = s.request("POST", "/api/v1/auth/login", "", json{{"username", "zhangsan"}, {"password", "password-123"}});
  REQUIRE(locked.status == 429);

  const std::string after = settled_metrics(s);
  CHECK(sample(after, "kehu_logins_total{result=\"succeeded\"}") == succeeded0 + 1);
  CHECK(sample(after, "kehu_logins_total{result=\"failed\"}") == 3);
  CHECK(sample(after, "kehu_logins_total{result=\"throttled\"}") == 1);
  CHECK(sample(after, "kehu_logins_locks") == 1);  // the account (the address has room left)
  CHECK(sample(after, "kehu_registrations_total{result=\"failed\"}") == 0);
  CHECK(sample(after, "kehu_password_checks_refused_total") == 0);
}

TEST_CASE("a flood of sign-ins is turned away at the hasher's queue while the API keeps answering") {
  // Few workers and a slow hash, so that without the bound every worker would be waiting on the hasher.
  TestServer s([](server::ServerConfig& c) {
    c.workers = 12;
    c.event_streams = 1;
    c.argon2_concurrency = 1;
    c.argon2_queue = 2;
    c.argon2_memory_kib = 65536;
    c.trusted_proxies = {"127.0.0.1"};  // so the flood can come from many addresses, past the per-address throttle
  });
  const std::string token = s.admin_token();
  std::atomic<bool> flooding{true};
  std::atomic<int> busy{0}, refused_wrongly{0}, checked{0}, no_answer{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 24; ++t)
    flood.emplace_back([&, t] {
      for (int i = 0; flooding; ++i) {
        std::string address = "198.51.100." + std::to_string(t * 20 + i % 20);
        // Its own client: the test server's REQUIREs belong on the test's thread.
        httplib::Client client("127.0.0.1", s.port());
        client.set_read_timeout(20, 0);
        json body{{"username", "guess" + std::to_string(t) + "x" + std::to_string(i)}, {"password", "not-the-password"}};
        auto r = client.Post("/api/v1/auth/login", {{"X-Forwarded-For", address}}, body.dump(), "application/json");
        if (!r) {
          ++no_answer;
          continue;
        }
        auto code = json::parse(r->body, nullptr, false);
        if (r->status == 503 && !code.is_discarded() && code["error"]["code"] == "busy" && r->get_header_value("Retry-After") == "2") ++busy;
        else if (r->status == 401) ++checked;
        else if (r->status != 429) ++refused_wrongly;
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<double> api_ms;
  for (int i = 0; i < 10; ++i) {
    auto start = std::chrono::steady_clock::now();
    CHECK(s.request("GET", "/api/v1/customers", token).status == 200);
    api_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  const std::string during = s.request("GET", "/metrics").raw;
  flooding = false;
  for (auto& t : flood) t.join();
  INFO("busy " << busy << ", checked " << checked << ", no answer " << no_answer);
  CHECK(refused_wrongly == 0);
  CHECK(no_answer == 0);
  CHECK(busy > 0);     // turned away at the queue, at once
  CHECK(checked > 0);  // while some were still checked
  // Each API call was answered by a free worker at once, not after the sign-ins queued ahead of it:
  // those take a slow hash each, one at a time (without the bound, every worker holds one and an API
  // call waits for a dozen of them: half a second here; with it, a few milliseconds).
  double worst = 0;
  for (double ms : api_ms) worst = std::max(worst, ms);
  MESSAGE("slowest API answer during the flood: " << worst << " ms");
  for (double ms : api_ms) CHECK(ms < 250);
  CHECK(sample(during, "kehu_password_checks_running") <= 1);
  CHECK(sample(during, "kehu_password_checks_waiting") <= 2);
  CHECK(sample(during, "kehu_password_checks_refused_total") > 0);
  // A request refused as busy was not a guess: nothing of it counts against anyone.
  CHECK(sample(s.request("GET", "/metrics").raw, "kehu_logins_total{result=\"failed\"}") == checked);
}
