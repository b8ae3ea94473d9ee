// request_framing.h — is a whole request in the buffer yet? The question the connection gate
// (connection_gate.h) asks of the bytes a client has sent so far, before the request may take a worker.
//
// A request is ready when its head (request line and headers, through the blank line) is in, and of
// its body either all of it or `body_prefetch` bytes: a client that has sent that much is not trickling.
// Judged here: the message's shape — a request line "METHOD target HTTP/1.x", header names that are
// tokens, one Host — and its framing: where the head ends and how long the body is. What is inside (the
// target, header values) is httplib's to parse. What would let a request be read two ways is refused,
// since a proxy in front might read it the other way (request smuggling, RFC 9112 §6.3, §11.2):
//   400  a malformed request line (judged as soon as it is in); a header name that is not a token or has
//        blanks before its colon; no Host in HTTP/1.1, or two; Content-Length and Transfer-Encoding
//        together; two Content-Lengths that differ; a Content-Length that is not a plain decimal number;
//        a chunk size that is not plain hex; chunk data not followed by CRLF; two Transfer-Encodings
//   413  a Content-Length or chunked body over `max_body`: answered without reading the body
//   431  no end of head within `max_head` bytes
//   501  a transfer coding other than plain `chunked`
// `Expect: 100-continue` makes the head alone ready: the client sends its body only after an answer.
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
  size_t head_bytes = 0;    // ready: the head's length, blank line included
  int status = 0;           // refused: the HTTP status to answer with
  const char* reason = "";    // refused: what was wrong, for the log
};

// `buffered`: the bytes received for this request so far, from its first byte.
RequestFraming frame_request(std::string_view buffered, const FramingLimits& limits);

}  // namespace kehu::server
