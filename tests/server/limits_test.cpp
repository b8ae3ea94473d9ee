// A slow or silent client cannot hold the server: others are served meanwhile, and it is cut off.
// An unfinished request is answered 400 once the read timeout passes; cpp-httplib then keeps the
// connection as an idle keep-alive one, so it is closed after the idle timeout on top.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;

TEST_CASE("slow clients do not stall others and are cut off") {
  TestServer s([](server::ServerConfig& c) {
    c.read_timeout_s = 1;
    c.idle_timeout_s = 1;
    c.workers = 3;
  });
  std::vector<int> slow;
  for (int i = 0; i < 2; ++i) {
    int fd = s.connect_raw();
    std::string partial = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n";  // never finished
    REQUIRE(::send(fd, partial.data(), partial.size(), 0) > 0);
    slow.push_back(fd);
  }
  auto start = std::chrono::steady_clock::now();
  CHECK(s.request("GET", "/healthz").status == 200);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(900));
  // After the read and idle timeouts (2 s here) the server has closed the slow connections.
  for (int fd : slow) {
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    ssize_t n;
    std::string answer;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
    // Closed by the server: an orderly close, or a reset when the kernel still held unread bytes of the
    // request — not our own 5 s timeout (EAGAIN).
    const int error = n < 0 ? errno : 0;
    CAPTURE(error);
    CHECK((n == 0 || error == ECONNRESET));
    if (n == 0) CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    ::close(fd);
  }
  CHECK(s.request("GET", "/healthz").status == 200);
}
