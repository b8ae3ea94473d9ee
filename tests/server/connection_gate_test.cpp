// The connection gate (server/http/connection_gate.h) against the real server over loopback: slow and
// idle clients hold no worker, a request that does not arrive in time is answered 408 and cut off,
// ambiguous framing is refused before any worker sees it, one address cannot take every worker, and
// connection limits hold. Raw sockets, since no HTTP client would send what these tests send.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;
using SteadyClock = std::chrono::steady_clock;

namespace {

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    REQUIRE(n > 0);
    sent += static_cast<size_t>(n);
  }
}

// Everything the server sends until it closes the connection or `seconds` pass without a byte.
std::string read_until_closed(int fd, int seconds, bool* closed = nullptr) {
  std::string answer;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, seconds * 1000) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed) *closed = n == 0 || errno == ECONNRESET;
      return answer;
    }
    answer.append(buf, static_cast<size_t>(n));
  }
  if (closed) *closed = false;
  return answer;
}

// One whole response (head and Content-Length body) from a kept-alive connection. Bytes of the next
// response that came in the same read are kept for the next call on that connection.
std::string read_response(int fd, int seconds = 5) {
  static std::map<int, std::string> pending;
  std::string got = std::move(pending[fd]);
  pending.erase(fd);
  char buf[4096];
  const auto until = SteadyClock::now() + std::chrono::seconds(seconds);
  for (;;) {
    size_t end = got.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t at = got.find("Content-Length: ");
      size_t length = at == std::string::npos || at > end ? 0 : std::stoul(got.substr(at + 16));
      if (got.size() >= end + 4 + length) {
        if (got.size() > end + 4 + length) pending[fd] = got.substr(end + 4 + length);
        return got.substr(0, end + 4 + length);
      }
    }
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now()).count());
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return got;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<size_t>(n));
  }
}

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// /healthz over a fresh connection from `from`; the status line, and how long it took.
std::pair<std::string, double> health_from(TestServer& s, const char* from) {
  auto start = SteadyClock::now();
  int fd = s.connect_raw(from);
  send_all(fd, kHealth);
  std::string answer = read_response(fd, 10);
  ::close(fd);
  return {answer.substr(0, answer.find("\r\n")), std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count()};
}

}  // namespace

TEST_CASE("slow clients hold no worker; an unfinished request is answered 408 and cut off") {
  TestServer s([](server::ServerConfig& c) {
    c.read_timeout_s = 1;
    c.idle_timeout_s = 1;
    c.workers = 1;
    c.event_streams = 1;  // two worker threads in all
  });
  std::vector<int> slow;
  for (int i = 0; i < 40; ++i) {  // far more than the workers: headers, and a body, never finished
    int fd = s.connect_raw();
    send_all(fd, i % 2 ? "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n"
                       : "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"user");
    slow.push_back(fd);
  }
  auto [status, ms] = health_from(s, "127.0.0.1");
  CHECK(status == "HTTP/1.1 200 OK");
  CHECK(ms < 500);
  for (int fd : slow) {
    bool closed = false;
    std::string answer = read_until_closed(fd, 5, &closed);
    CHECK(closed);
    CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);
    ::close(fd);
  }
  // The answer is in the request's language, with the security headers and the SPEC error body.
  int fd = s.connect_raw();
  send_all(fd, "GET /healthz HTTP/1.1\r\nAccept-Language: zh-CN\r\nHost: x\r\n");
  std::string answer = read_until_closed(fd, 5);
  ::close(fd);
  CHECK(answer.find("X-Content-Type-Options: nosniff") != std::string::npos);
  CHECK(answer.find("请求发送得太慢") != std::string::npos);
  CHECK(s.request("GET", "/healthz").status == 200);
}

TEST_CASE("idle keep-alive connections hold no worker, and are closed after the idle timeout") {
  TestServer s([](server::ServerConfig& c) {
    c.idle_timeout_s = 1;
    c.workers = 1;
    c.event_streams = 1;
  });
  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) {
    int fd = s.connect_raw();
    send_all(fd, kHealth);
    CHECK(read_response(fd).rfind("HTTP/1.1 200", 0) == 0);
    idle.push_back(fd);
  }
  auto [status, ms] = health_from(s, "127.0.0.1");
  CHECK(status == "HTTP/1.1 200 OK");
  CHECK(ms < 500);
  // Kept alive: a second request on the same connection is served.
  send_all(idle[0], kHealth);
  CHECK(read_response(idle[0]).rfind("HTTP/1.1 200", 0) == 0);
  for (int fd : idle) {
    bool closed = false;
    CHECK(read_until_closed(fd, 5, &closed).empty());  // closed without a word: it asked nothing
    CHECK(closed);
    ::close(fd);
  }
}

TEST_CASE("pipelined requests are answered in order, and a request split into pieces is served") {
  TestServer s;
  int fd = s.connect_raw();
  send_all(fd, kHealth + "GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n" + kHealth);
  CHECK(read_response(fd).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(read_response(fd).rfind("HTTP/1.1 404", 0) == 0);
  CHECK(read_response(fd).rfind("HTTP/1.1 200", 0) == 0);
  const std::string token = s.admin_token();
  const std::string body = R"({"name":"分批到达的客户"})";
  const std::string request = "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t at = 0; at < request.size(); at += 7) {
    send_all(fd, request.substr(at, 7));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::string created = read_response(fd);
  CHECK(created.rfind("HTTP/1.1 201", 0) == 0);
  CHECK(created.find("分批到达的客户") != std::string::npos);
  // Expect: 100-continue: the head alone goes to a worker, which asks for the body.
  const std::string body2 = R"({"name":"先问后送的客户"})";
  const std::string head = "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                           "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body2.size()) + "\r\n\r\n";
  send_all(fd, head);
  CHECK(read_response(fd).rfind("HTTP/1.1 100", 0) == 0);
  send_all(fd, body2);
  std::string second = read_response(fd);
  CAPTURE(second);
  CHECK(second.rfind("HTTP/1.1 201", 0) == 0);
  ::close(fd);
  CHECK(s.count("SELECT count(*) FROM customers WHERE name IN ('分批到达的客户', '先问后送的客户')") == 2);
}

TEST_CASE("ambiguous framing is refused before any worker sees it, and changes nothing") {
  TestServer s;
  const std::string token = s.admin_token();
  const std::string create = "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
  const std::string body = R"({"name":"走私"})";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  struct Case {
    const char* what;
    std::string bytes;
    const char* status;
  };
  std::vector<Case> cases = {
      {"Content-Length and Transfer-Encoding", create + length + "Transfer-Encoding: chunked\r\n\r\n" + body, "400"},
      {"two different Content-Lengths", create + length + "Content-Length: 3\r\n\r\n" + body, "400"},
      {"a Content-Length with a sign", create + "Content-Length: +17\r\n\r\n" + body, "400"},
      {"a list of Content-Lengths", create + "Content-Length: 17, 17\r\n\r\n" + body, "400"},
      {"an unknown transfer coding", create + "Transfer-Encoding: gzip, chunked\r\n\r\n" + body, "501"},
      {"a chunk size with a sign", create + "Transfer-Encoding: chunked\r\n\r\n+11\r\n" + body + "\r\n0\r\n\r\n", "400"},
      {"a chunk size in 0x form", create + "Transfer-Encoding: chunked\r\n\r\n0x11\r\n" + body + "\r\n0\r\n\r\n", "400"},
      {"chunk data longer than its size", create + "Transfer-Encoding: chunked\r\n\r\n3\r\n" + body + "\r\n0\r\n\r\n", "400"},
      {"a body over the limit, not sent", create + "Content-Length: 999999999\r\n\r\n", "413"},
      {"a head over 64 KiB", "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n", "431"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto start = SteadyClock::now();
    int fd = s.connect_raw();
    send_all(fd, c.bytes);
    bool closed = false;
    std::string answer = read_until_closed(fd, 5, &closed);
    ::close(fd);
    CHECK(answer.rfind(std::string("HTTP/1.1 ") + c.status, 0) == 0);
    CHECK(answer.find("\"error\"") != std::string::npos);
    CHECK(closed);
    CHECK(SteadyClock::now() - start < std::chrono::seconds(2));  // at once, not after a timeout
  }
  CHECK(s.count("SELECT count(*) FROM customers WHERE name = '走私'") == 0);
  // A correct chunked request still works.
  int fd = s.connect_raw();
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  send_all(fd, create + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n");
  CHECK(read_response(fd).rfind("HTTP/1.1 201", 0) == 0);
  ::close(fd);
  CHECK(s.count("SELECT count(*) FROM customers WHERE name = '走私'") == 1);
}

TEST_CASE("one address cannot take every worker: its extra requests wait their turn, others are served") {
  namespace fs = std::filesystem;
  std::string web;
  TestServer s([&](server::ServerConfig& c) {
    web = fs::path(c.db_path).parent_path().string() + "/web";
    fs::create_directories(web + "/fonts");
    std::ofstream(web + "/index.html") << "<!doctype html>";
    std::ofstream big(web + "/fonts/big.ttf", std::ios::binary);
    std::string block(1 << 20, 'k');
    for (int i = 0; i < 48; ++i) big << block;  // far more than the socket buffers hold
    c.static_dir = web;
    c.workers = 3;
    c.event_streams = 1;
    c.workers_per_address = 2;
    c.address_wait_s = 2;
    c.write_timeout_s = 30;
  });
  // 127.0.0.1 asks for the big file on four connections and reads none of it: two workers stay busy
  // writing to it, its other two requests wait in the gate.
  std::vector<int> hogs;
  for (int i = 0; i < 4; ++i) {
    int fd = s.connect_raw("127.0.0.1");
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    send_all(fd, "GET /fonts/big.ttf HTTP/1.1\r\nHost: x\r\n\r\n");
    hogs.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Another address is served at once by the workers left.
  auto [status, ms] = health_from(s, "127.0.0.2");
  CHECK(status == "HTTP/1.1 200 OK");
  CHECK(ms < 500);
  auto metrics = s.request("GET", "/metrics");  // loopback, but from 127.0.0.1: it waits its turn too...
  CHECK(metrics.status == 503);                 // ...and after address_wait_s it is turned away
  CHECK(metrics.header("Retry-After") == "2");
  int fd = s.connect_raw("127.0.0.3");
  send_all(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string text = read_response(fd);
  ::close(fd);
  CHECK(text.rfind("HTTP/1.1 401", 0) == 0);  // /metrics is for loopback or an admin: 127.0.0.3 is neither
  for (int hog : hogs) ::close(hog);
  // The slots come back: 127.0.0.1 is served again once its downloads end.
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    served = s.request("GET", "/healthz").status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(served);
  auto after = s.request("GET", "/metrics");
  REQUIRE(after.status == 200);
  CHECK(after.raw.find("kehu_http_connections_turned_away_total{reason=\"address_wait\"} ") != std::string::npos);
  CHECK(after.raw.find("kehu_http_connections_turned_away_total{reason=\"address_wait\"} 0") == std::string::npos);
}

TEST_CASE("an event stream does not count against its address's workers") {
  TestServer s([](server::ServerConfig& c) {
    c.workers = 2;
    c.event_streams = 4;
    c.workers_per_address = 1;
  });
  const std::string token = s.admin_token();
  std::vector<int> streams;
  for (int i = 0; i < 3; ++i) {
    int fd = s.connect_raw();
    send_all(fd, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
    std::string head = read_until_closed(fd, 1);
    CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
    streams.push_back(fd);
  }
  auto [status, ms] = health_from(s, "127.0.0.1");
  CHECK(status == "HTTP/1.1 200 OK");
  CHECK(ms < 500);
  for (int fd : streams) ::close(fd);
}

TEST_CASE("a POST without a length has no body, and is answered at once") {
  TestServer s;
  const std::string token = s.admin_token();
  auto start = SteadyClock::now();
  int fd = s.connect_raw();
  send_all(fd, "POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n" + kHealth);
  std::string answer = read_response(fd);
  CHECK(answer.rfind("HTTP/1.1 2", 0) == 0);
  CHECK(read_response(fd).rfind("HTTP/1.1 200", 0) == 0);  // the request after it is its own, not its body
  ::close(fd);
  CHECK(SteadyClock::now() - start < std::chrono::seconds(2));
  CHECK(s.request("GET", "/api/v1/me", token).status == 401);  // and it did sign out
}

TEST_CASE("a body trickled below the minimum rate is cut off, freeing the worker") {
  TestServer s([](server::ServerConfig& c) {
    c.read_timeout_s = 1;
    c.workers = 1;
    c.event_streams = 1;
  });
  const std::string token = s.admin_token();
  int fd = s.connect_raw();
  // Expect: 100-continue gives the head a worker at once; the body then comes a byte every 300 ms,
  // each wait far below the read timeout, but the waiting adds up past it.
  send_all(fd, "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                   "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
  CHECK(read_response(fd).rfind("HTTP/1.1 100", 0) == 0);
  auto start = SteadyClock::now();
  bool cut = false;
  for (int i = 0; i < 30 && !cut; ++i) {
    cut = ::send(fd, "{", 1, MSG_NOSIGNAL) < 0;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 300) > 0) {
      char buf[512];
      cut = ::recv(fd, buf, sizeof buf, 0) <= 0 || cut;
      if (!cut) cut = true;  // an answer (400) before the body was whole: cut off too
    }
  }
  ::close(fd);
  CHECK(cut);
  CHECK(SteadyClock::now() - start < std::chrono::seconds(5));
  CHECK(s.request("GET", "/healthz").status == 200);
}

TEST_CASE("a trusted proxy is exempt from the per-address limits: everyone behind it shares its address") {
  for (bool trusted : {false, true}) {
    CAPTURE(trusted);
    TestServer s([&](server::ServerConfig& c) {
      c.workers = 3;
      c.event_streams = 1;
      c.workers_per_address = 1;
      c.address_wait_s = 1;
      if (trusted) c.trusted_proxies = {"127.0.0.1"};
    });
    const std::string token = s.admin_token();
    // One request from 127.0.0.1 holds its worker: it waits for a body that comes later.
    int held = s.connect_raw();
    send_all(held, "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                       "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 20\r\n\r\n");
    CHECK(read_response(held).rfind("HTTP/1.1 100", 0) == 0);
    auto [status, ms] = health_from(s, "127.0.0.1");
    if (trusted) {
      CHECK(status == "HTTP/1.1 200 OK");
      CHECK(ms < 500);
    } else {
      CHECK(status == "HTTP/1.1 503 Service Unavailable");  // waited its turn for 1 s, then turned away
    }
    ::close(held);
  }
}

TEST_CASE("connections over the limits are turned away at once; the rest are served") {
  TestServer s([](server::ServerConfig& c) {
    c.connections_per_address = 5;
    c.max_connections = 8;
    c.read_timeout_s = 60;  // the silent connections below stay open however slow the machine is
  });
  std::vector<int> open;
  for (int i = 0; i < 5; ++i) open.push_back(s.connect_raw("127.0.0.1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int sixth = s.connect_raw("127.0.0.1");
  bool closed = false;
  CHECK(read_until_closed(sixth, 3, &closed).rfind("HTTP/1.1 503", 0) == 0);
  CHECK(closed);
  ::close(sixth);
  // Another address still gets in, up to the total.
  auto [status, ms] = health_from(s, "127.0.0.2");
  CHECK(status == "HTTP/1.1 200 OK");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server sees that connection's close
  for (int i = 0; i < 3; ++i) open.push_back(s.connect_raw("127.0.0.2"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int over = s.connect_raw("127.0.0.3");
  std::string refused = read_until_closed(over, 5);
  CAPTURE(refused);
  CHECK(refused.rfind("HTTP/1.1 503", 0) == 0);
  ::close(over);
  for (int fd : open) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(s.request("GET", "/healthz").status == 200);
}
