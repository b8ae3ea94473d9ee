// request_framing.h: when the connection gate may give a request a worker, and what it refuses.
#include <doctest/doctest.h>

#include <string>

#include "server/http/request_framing.h"

using namespace kehu::server;
using State = RequestFraming::State;

namespace {

RequestFraming frame(const std::string& bytes, FramingLimits limits = {}) { return frame_request(bytes, limits); }

}  // namespace

TEST_CASE("a request is ready once its head and body are in") {
  CHECK(frame("").state == State::incomplete);
  CHECK(frame("GET / HTTP/1.1\r\nHost: x\r\n").state == State::incomplete);
  auto get = frame("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(get.state == State::ready);
  CHECK(get.head_bytes == 27);
  // httplib takes only CRLF as a line end: a bare LF or CR would leave it waiting, so it is refused.
  CHECK(frame("GET / HTTP/1.1\nHost: x\n\n").status == 400);
  CHECK(frame("GET / HTTP/1.1\r\nHost: x\n\n").status == 400);
  CHECK(frame("GET / HTTP/1.1\r\nHost: x\ry: z\r\n\r\n").status == 400);
  // A POST without a length has no body: httplib is told so rather than read until the connection closes.
  auto empty_post = frame("POST /a HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(empty_post.state == State::ready);
  CHECK(empty_post.add_zero_length);
  CHECK_FALSE(frame("DELETE /a HTTP/1.1\r\nHost: x\r\n\r\n").add_zero_length);
  const std::string post = "POST /a HTTP/1.1\r\nHost: x\r\ncontent-LENGTH: 5\r\n\r\n";
  CHECK(frame(post).state == State::incomplete);
  CHECK(frame(post + "1234").state == State::incomplete);
  CHECK(frame(post + "12345").state == State::ready);
  CHECK(frame(post + "12345GET / HTTP/1.1").state == State::ready);  // the next pipelined request is its own
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n12345").state == State::ready);
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").state == State::ready);
  // Expect: 100-continue: the client waits for an answer before it sends the body.
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").state == State::ready);
  // ...but only as httplib recognizes it (exactly), or no 100 Continue would come: then the body is waited for.
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n").state == State::incomplete);
}

TEST_CASE("a large body is handed over after its first part; a body over the limit is refused unread") {
  FramingLimits limits{.max_head = 1024, .max_body = 10'000, .body_prefetch = 100};
  const std::string head = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n";
  CHECK(frame(head + std::string(99, 'x'), limits).state == State::incomplete);
  CHECK(frame(head + std::string(100, 'x'), limits).state == State::ready);
  auto over = frame("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10001\r\n\r\n", limits);
  CHECK(over.state == State::refused);
  CHECK(over.status == 413);
  CHECK(frame(std::string(1023, 'G'), limits).state == State::incomplete);
  auto long_head = frame(std::string(1024, 'G'), limits);
  CHECK(long_head.state == State::refused);
  CHECK(long_head.status == 431);
  CHECK(frame("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(1100, 'a') + "\r\n\r\n", limits).status == 431);
}

TEST_CASE("chunked bodies are followed chunk by chunk") {
  const std::string head = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n";
  CHECK(frame(head).state == State::incomplete);
  CHECK(frame(head + "5\r\nhello\r\n").state == State::incomplete);
  CHECK(frame(head + "5\r\nhello\r\n0\r\n").state == State::incomplete);
  CHECK(frame(head + "5\r\nhello\r\n0\r\n\r\n").state == State::ready);
  CHECK(frame(head + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n").state == State::ready);
  CHECK(frame(head + "5\r\nhello\r\n0\r\nTrailer: x\r\n").state == State::incomplete);
  CHECK(frame(head + "5\r\nhello\r\n0\r\nTrailer: x\r\n\r\n").state == State::ready);
  FramingLimits limits{.max_head = 1024, .max_body = 100, .body_prefetch = 50};
  CHECK(frame(head + "64\r\n" + std::string(50, 'x'), limits).state == State::ready);  // 50 bytes in: handed over
  CHECK(frame(head + "65\r\n", limits).status == 413);
  CHECK(frame(head + "40\r\n" + std::string(64, 'x') + "\r\n25\r\n", limits).status == 413);  // 64 + 37 > 100
  for (const char* bad : {"-1\r\n", "+5\r\n", "0x5\r\n", " 5\r\n", "5 \r\n", "zz\r\n", "\r\n", "11111111111111111\r\n"}) {
    CAPTURE(bad);
    auto f = frame(head + bad);
    CHECK(f.state == State::refused);
    CHECK(f.status == 400);
  }
  CHECK(frame(head + "3\r\nhello\r\n0\r\n\r\n").status == 400);  // data longer than its size
  CHECK(frame(head + std::string(2000, '1')).status == 400);       // a size line that never ends
}

TEST_CASE("framing that could be read two ways is refused") {
  auto status = [](const std::string& headers) { return frame("POST /a HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n").status; };
  CHECK(status("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") == 400);
  CHECK(status("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") == 400);
  CHECK(status("Content-Length: 5\r\nContent-Length: 6\r\n") == 400);
  CHECK(status("Content-Length: -1\r\n") == 400);
  CHECK(status("Content-Length: 5, 5\r\n") == 400);
  CHECK(status("Content-Length: \r\n") == 400);
  CHECK(status("Content-Length: 1e3\r\n") == 400);
  CHECK(status("Content-Length: 99999999999999999999999\r\n") == 400);
  CHECK(status("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") == 400);
  CHECK(status("Transfer-Encoding: gzip\r\n") == 501);
  CHECK(status("Transfer-Encoding: chunked, identity\r\n") == 501);
  CHECK(status("Transfer-Encoding: identity\r\n") == 501);
  // Headers whose names only look alike are not framing.
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\n12345").status == 400);  // blank before the colon
  CHECK(frame("POST /a HTTP/1.1\r\nHost: x\r\nX-Content-Length: 5\r\n\r\n").state == State::ready);
}

TEST_CASE("a request must look like one: request line, header names, one Host") {
  auto status = [](const std::string& bytes) { return frame(bytes).status; };
  for (const char* line : {"GET /\r\n", "GET / HTTP/1.1.1\r\n", "GET / HTTP/2.0\r\n", "get / http/1.1\r\n", "GET  HTTP/1.1\r\n",
                           "G(T / HTTP/1.1\r\n", "GET /a b HTTP/1.1\r\n", "\r\nGET / HTTP/1.1\r\n", "GET /\x01 HTTP/1.1\r\n"}) {
    CAPTURE(line);
    CHECK(status(line) == 400);  // judged as soon as the line is in, before any header
  }
  CHECK(frame("PATCH /api/v1/customers/1?x=%20y HTTP/1.1\r\n").state == State::incomplete);
  CHECK(frame("GET / HTTP/1.0\r\n\r\n").state == State::ready);  // HTTP/1.0 may leave Host out
  CHECK(status("GET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n") == 400);
  CHECK(frame("GET / HTTP/1.1\r\nHost: x\r\nX-Odd_Name.~: v\r\n\r\n").state == State::ready);
}

TEST_CASE("fed a byte at a time, the framer reaches the verdict it gives the whole request") {
  const std::string requests[] = {
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n12345",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: 1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX: 1\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello!!\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX: 1\n\r\n",
  };
  for (const auto& request : requests) {
    CAPTURE(request);
    RequestFramer framer;
    RequestFraming verdict;
    size_t fed = 0;
    while (fed < request.size() && verdict.state == State::incomplete) verdict = framer.judge(std::string_view(request).substr(0, ++fed));
    RequestFraming whole = frame_request(request.substr(0, fed), FramingLimits{});
    CHECK(verdict.state != State::incomplete);
    CHECK(verdict.state == whole.state);
    CHECK(verdict.status == whole.status);
    CHECK(verdict.head_bytes == whole.head_bytes);
  }
}
