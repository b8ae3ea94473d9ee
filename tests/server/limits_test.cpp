// A slow or silent client cannot hold the server: others are served meanwhile, and it is cut off
// after the read timeout.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;

namespace {
int connect_raw(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}
}  // namespace

TEST_CASE("slow clients do not stall others and are cut off") {
  TestServer s([](server::ServerConfig& c) {
    c.read_timeout_s = 1;
    c.workers = 3;
  });
  std::vector<int> slow;
  for (int i = 0; i < 2; ++i) {
    int fd = connect_raw(s.port());
    std::string partial = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n";  // never finished
    REQUIRE(::send(fd, partial.data(), partial.size(), 0) > 0);
    slow.push_back(fd);
  }
  auto start = std::chrono::steady_clock::now();
  CHECK(s.request("GET", "/healthz").status == 200);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(900));
  // After the read timeout the server has closed the slow connections.
  for (int fd : slow) {
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    }
    // Closed by the server: an orderly close, or a reset when the kernel still held unread bytes of the
    // request — not our own 5 s timeout (EAGAIN).
    const int error = n < 0 ? errno : 0;
    CAPTURE(error);
    CHECK((n == 0 || error == ECONNRESET));
    ::close(fd);
  }
  CHECK(s.request("GET", "/healthz").status == 200);
}
