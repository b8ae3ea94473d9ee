// request_framing.h — is a whole request in the buffer yet? The question the connection gate
// (connection_gate.h) asks of the bytes a client has sent so far, before the request may take a worker.
//
// A request is ready when its head (request line and headers, through the blank line) is in, and of
// its body either all of it or `body_prefetch` bytes: a client that has sent that much is not trickling.
// Judged here: the message's shape — a request line "METHOD target HTTP/1.x", lines ending in CRLF,
// header names that are tokens, one Host — and its framing: where the head ends and how long the body
// is. What is inside (the target, header values) is httplib's to parse. What would let a request be read
// two ways is refused, since a proxy in front might read it the other way (request smuggling, RFC 9112
// §6.3, §11.2), and so is what httplib would wait on without end:
//   400  a malformed request line (judged as soon as it is in); a bare LF or CR in the head; a header
//        name that is not a token or has blanks before its colon; no Host in HTTP/1.1, or two;
//        Content-Length and Transfer-Encoding together; two Content-Lengths that differ; a Content-Length
//        that is not a plain decimal number; a chunk size that is not plain hex; chunk data not followed
//        by CRLF; two Transfer-Encodings
//   413  a Content-Length or chunked body over `max_body`: answered without reading the body
//   431  no end of head within `max_head` bytes
//   501  a transfer coding other than plain `chunked`
// `Expect: 100-continue` makes the head alone ready: the client sends its body only after an answer.
// A POST, PUT or PATCH with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3),
// but httplib would read one until the connection closes: `add_zero_length` says to tell it so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kehu::server {

struct FramingLimits {
  size_t max_head = 64 * 1024;
  size_t max_body = 1 << 20;
  size_t body_prefetch = 64 * 1024;
};

struct RequestFraming {
  enum class State { incomplete, ready, refused };
  State state = State::incomplete;
  size_t head_bytes = 0;         // ready: the head's length, blank line included
  bool add_zero_length = false;  // ready: insert "Content-Length: 0" before the head's blank line
  int status = 0;                // refused: the HTTP status to answer with
  const char* reason = "";       // refused: what was wrong, for the log
};

// Judges one request as its bytes arrive, continuing where the last call stopped, so that a client
// sending a byte at a time costs the gate time in proportion to the bytes, not their square.
class RequestFramer {
 public:
  explicit RequestFramer(FramingLimits limits = {}) : limits_(limits) {}

  // `buffered`: the bytes received for this request so far, from its first byte — those of the last
  // call and any that came since. Once ready or refused, the verdict stays.
  RequestFraming judge(std::string_view buffered);

 private:
  RequestFraming refuse(int status, const char* reason);
  RequestFraming judge_head(std::string_view head);
  RequestFraming judge_chunked(std::string_view body);

  FramingLimits limits_;
  RequestFraming verdict_;
  bool line_checked_ = false;
  size_t scanned_ = 0;     // head bytes checked for bare line ends and the blank line
  size_t head_end_ = 0;    // 0 until the head is in
  bool chunked_ = false, expect_continue_ = false, zero_length_ = false;
  uint64_t length_ = 0;
  size_t chunk_at_ = 0;    // chunked: where in the body the next chunk-size line starts
  uint64_t chunk_total_ = 0;
  bool in_trailers_ = false;
};

// The verdict on `buffered` in one call.
RequestFraming frame_request(std::string_view buffered, const FramingLimits& limits);

}  // namespace kehu::server
