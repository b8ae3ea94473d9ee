// request_framing_fuzz.cpp — the connection gate's judgement of a request's bytes (server/http/
// request_framing.h), which runs on every byte any client sends before a worker sees it.
//
// Input: any bytes, judged whole and as a prefix (cut where the first byte says), under the server's
// limits and under small ones that reach the size limits and the body prefetch. Properties:
//   - a ready request's head ends with a line feed within the bytes, and within max_head;
//   - a refusal is one of the statuses the header promises (400, 413, 431, 501);
//   - more bytes never undo a decision: what a prefix already refused stays refused with the same
//     status, and what a prefix made ready never becomes incomplete again (the gate acts on the prefix);
//   - a RequestFramer fed the bytes in pieces (as the gate does, the piece sizes taken from the input)
//     decides at the same point, and the same way, as one given that prefix whole.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "server/http/request_framing.h"
#include "tests/fuzz/fuzz_check.h"

using namespace kehu::server;
using State = RequestFraming::State;

namespace {

void check(std::string_view bytes, const FramingLimits& limits) {
  RequestFraming whole = frame_request(bytes, limits);
  if (whole.state == State::ready) {
    FUZZ_CHECK(whole.head_bytes > 0 && whole.head_bytes <= bytes.size() && whole.head_bytes <= limits.max_head);
    FUZZ_CHECK(bytes[whole.head_bytes - 1] == '\n');
  }
  if (whole.state == State::refused)
    FUZZ_CHECK(whole.status == 400 || whole.status == 413 || whole.status == 431 || whole.status == 501);
  if (bytes.empty()) return;
  const size_t cut = static_cast<unsigned char>(bytes[0]) * bytes.size() / 256;
  RequestFraming prefix = frame_request(bytes.substr(0, cut), limits);
  if (prefix.state == State::refused) {
    FUZZ_CHECK(whole.state == State::refused);
    FUZZ_CHECK(whole.status == prefix.status);
  }
  if (prefix.state == State::ready) FUZZ_CHECK(whole.state != State::incomplete);

  RequestFramer pieces(limits);
  RequestFraming verdict;
  size_t fed = 0;
  for (size_t i = 0; fed < bytes.size() && verdict.state == State::incomplete; ++i) {
    fed = std::min(bytes.size(), fed + 1 + static_cast<unsigned char>(bytes[i % bytes.size()]) % 17);
    verdict = pieces.judge(bytes.substr(0, fed));
  }
  RequestFraming at_once = frame_request(bytes.substr(0, fed), limits);
  FUZZ_CHECK(verdict.state == at_once.state);
  FUZZ_CHECK(verdict.status == at_once.status);
  FUZZ_CHECK(verdict.head_bytes == at_once.head_bytes);
  FUZZ_CHECK(verdict.add_zero_length == at_once.add_zero_length);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes, FramingLimits{});
  check(bytes, FramingLimits{.max_head = 200, .max_body = 300, .body_prefetch = 40});
  return 0;
}
