"""malformed_cases.py — the requests malformed_http.py throws at the server, each with what must come back.

A case is a list of steps (bytes to send, a pause, closing our sending side) and an expectation:

  reject       the request is broken: a 4xx answer, or the connection closed (a reset counts) with no
               answer. Never a 2xx/3xx (the server acted on a broken request), never a 5xx, never silence
               past the server's own read timeout with the connection left open.
  tolerate     the request is odd but legal (RFC 9110/9112 allow it, e.g. obs-text in a header value,
               a Range the server may ignore): any answer below 500, or a closed connection.
  close_after  legal only if the server closes the connection after answering (RFC 9112 §6.1:
               Content-Length together with Transfer-Encoding): a good request sent on the same
               connection after the answer (`follow_up`) must not be answered.
  reject_close as reject, and a good request sent after the 4xx (`follow_up`) must not be answered
               (RFC 9112 §2.2: after a malformed message the server SHOULD close).
  pipeline     a good request then a broken one in one packet: the first is answered 2xx, the broken
               one 4xx or not at all (cpp-httplib drops what was pipelined behind a request).
  pipeline_all many good requests in one packet: every one answered 200 (HTTP/1.1 pipelining).

`known` names the RFC rule when cpp-httplib is known to accept the request (docs/abuse_tests.md,
"Deviations"); such a case is reported on every run but fails the test only with --strict. `stall` marks
a case that leaves the server waiting for bytes that never come (it costs a server thread for up to the
read timeout, 10 s); the driver runs few of those at a time.
"""
import os
import random

HOST = b"Host: 127.0.0.1\r\n"


class Case:
    def __init__(self, name, family, steps, expect="reject", known=None, stall=False, weight=1, max_bytes=None,
                 follow_up=None, allowed=()):
        self.name = name
        self.family = family
        self.steps = steps          # list of bytes | ("sleep", s) | ("shutdown",); or a callable(ctx) -> that list
        self.expect = expect
        self.known = known
        self.stall = stall
        self.weight = weight
        self.max_bytes = max_bytes  # tolerate: the whole answer must stay below this (Range amplification)
        self.follow_up = follow_up  # sent after the first answer, on the same connection
        self.allowed = allowed      # statuses this case may also get (a 5xx the RFC asks for)

    def build(self, ctx):
        return self.steps(ctx) if callable(self.steps) else self.steps


def get(path, extra=b"", version=b"HTTP/1.1"):
    return b"GET " + path + b" " + version + b"\r\n" + HOST + extra + b"\r\n"


def auth(ctx):
    return b"Authorization: Bearer " + ctx.token.encode() + b"\r\n"


def customer_json(tag):
    return ('{"name": "Malformed test %s %s", "type": "enterprise"}' % (tag, os.urandom(6).hex())).encode()


def post_customer(ctx, framing, body_bytes):
    """POST /api/v1/customers with a valid token and JSON body but the given framing headers: if the
    server ignored the broken framing it would create a customer and answer 201."""
    return (b"POST /api/v1/customers HTTP/1.1\r\n" + HOST + auth(ctx) + b"Content-Type: application/json\r\n" + framing +
            b"\r\n" + body_bytes)


def chunked(ctx, size_line, tag):
    body = customer_json(tag)
    return [post_customer(ctx, b"Transfer-Encoding: chunked\r\n", size_line(len(body)) + b"\r\n" + body + b"\r\n0\r\n\r\n")]


def one_chunk(body):
    return b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"


def two_lengths(ctx, body):
    framing = b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(body), len(body) + 7)
    return [post_customer(ctx, framing, body + b" " * 7)]


def ranges(n, width, step, start=0):
    return b"bytes=" + b",".join(b"%d-%d" % (start + i * step, start + i * step + width - 1) for i in range(n))


def cases():
    big_line = b"/healthz?pad=" + b"A" * (1 << 20)
    out = [
        # --- request line --------------------------------------------------------------------------
        Case("request line without a newline, then EOF", "request line", [b"GET /healthz HTTP/1.1", ("shutdown",)]),
        Case("request line without a newline, then silence", "request line", [b"GET /healthz HTTP/1.1"], stall=True),
        Case("LF only, no CR anywhere, then EOF", "request line", [b"GET /healthz HTTP/1.1\nHost: x\n\n", ("shutdown",)]),
        Case("LF only, no CR anywhere, then silence", "request line", [b"GET /healthz HTTP/1.1\nHost: x\n\n"], stall=True),
        Case("CR only, no LF anywhere, then EOF", "request line", [b"GET /healthz HTTP/1.1\rHost: x\r\r", ("shutdown",)]),
        Case("request line of 9 KB", "request line", [get(b"/healthz?pad=" + b"A" * 9000)]),
        Case("request line of 40 KB", "request line", [get(b"/healthz?pad=" + b"A" * 40000)]),
        Case("request line of 1 MB", "request line", [get(big_line)], weight=1),
        Case("request line of NUL bytes", "request line", [b"\x00" * 64 + b"\r\n\r\n"]),
        # --- headers -------------------------------------------------------------------------------
        Case("1000 headers", "headers", [b"GET /healthz HTTP/1.1\r\n" + HOST + b"".join(b"X-H-%d: v\r\n" % i for i in range(1000)) + b"\r\n"]),
        Case("5000 headers", "headers", [b"GET /healthz HTTP/1.1\r\n" + HOST + b"".join(b"X-H-%d: v\r\n" % i for i in range(5000)) + b"\r\n"]),
        Case("one header of 16 KB", "headers", [get(b"/healthz", b"X-Big: " + b"B" * 16384 + b"\r\n")]),
        Case("one header of 1 MB", "headers", [get(b"/healthz", b"X-Big: " + b"B" * (1 << 20) + b"\r\n")]),
        Case("header line without a colon", "headers", [get(b"/healthz", b"NoColonHere\r\n")]),
        Case("header with an empty name", "headers", [get(b"/healthz", b": value\r\n")]),
        Case("obsolete line folding", "headers", [get(b"/healthz", b"X-A: a\r\n folded\r\n")]),
        Case("NUL byte in a header value", "headers", [get(b"/healthz", b"X-A: a\x00b\r\n")]),
        Case("control byte in a header value", "headers", [get(b"/healthz", b"X-A: a\x01b\r\n")]),
        Case("invalid UTF-8 in a header value (obs-text, legal)", "headers", [get(b"/healthz", b"X-A: \xff\xfe\xfd\r\n")],
             expect="tolerate"),
        Case("invalid UTF-8 in Accept-Language", "headers", [get(b"/healthz", b"Accept-Language: \xc3\x28\xa0\xa1\r\n")],
             expect="tolerate"),
        Case("invalid UTF-8 in the bearer token", "headers",
             [get(b"/api/v1/customers", b"Authorization: Bearer \xff\xfe\xfd\xfc\r\n")]),
        Case("percent-encoded NUL in the bearer token", "headers",
             lambda ctx: [get(b"/api/v1/customers", b"Authorization: Bearer " + ctx.token.encode()[:10] + b"%00" +
                              ctx.token.encode()[10:] + b"\r\n")]),
        Case("space between header name and colon", "headers", [get(b"/healthz", b"X-A : b\r\n")],
             known="RFC 9112 §5.1: MUST reject whitespace between a field name and the colon with 400"),
        Case("header name with separators", "headers", [get(b"/healthz", b"X(A)@: b\r\n")],
             known="RFC 9110 §5.1: a field name is a token"),
        Case("HTTP/1.1 request without Host", "headers", [b"GET /healthz HTTP/1.1\r\nAccept: */*\r\n\r\n"],
             known="RFC 9112 §3.2: MUST answer 400 to an HTTP/1.1 request without Host"),
        Case("two Host headers", "headers", [b"GET /healthz HTTP/1.1\r\n" + HOST + b"Host: other.example\r\n\r\n"],
             known="RFC 9112 §3.2: MUST answer 400 to more than one Host"),
        # --- chunked bodies (a lenient parser would create the customer: 201) ----------------------
        Case("chunk size -1", "chunked", lambda ctx: chunked(ctx, lambda n: b"-1", "neg1")),
        Case("chunk size -5", "chunked", lambda ctx: chunked(ctx, lambda n: b"-5", "neg5")),
        Case("chunk size not hex (zz)", "chunked", lambda ctx: chunked(ctx, lambda n: b"zz", "nonhex")),
        Case("chunk size 2^96", "chunked", lambda ctx: chunked(ctx, lambda n: b"F" * 24, "ovf96")),
        Case("chunk size 2^64", "chunked", lambda ctx: chunked(ctx, lambda n: b"10000000000000000", "ovf64")),
        Case("chunk size 2^63-1", "chunked", lambda ctx: chunked(ctx, lambda n: b"7FFFFFFFFFFFFFFF", "big63")),
        Case("chunk size with 0x prefix", "chunked", lambda ctx: chunked(ctx, lambda n: b"0x%x" % n, "0x"),
             known="RFC 9112 §7.1: chunk-size is 1*HEXDIG (strtoul also takes 0x, +, - and leading blanks)"),
        Case("chunk size with a plus sign", "chunked", lambda ctx: chunked(ctx, lambda n: b"+%x" % n, "plus"),
             known="RFC 9112 §7.1: chunk-size is 1*HEXDIG"),
        Case("chunk size with leading blanks", "chunked", lambda ctx: chunked(ctx, lambda n: b"  %x" % n, "blank"),
             known="RFC 9112 §7.1: chunk-size is 1*HEXDIG"),
        Case("chunk data longer than its size", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: chunked\r\n", b"5\r\n" + customer_json("long") + b"\r\n0\r\n\r\n")]),
        Case("chunk size larger than the data, then silence", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: chunked\r\n", b"400\r\n" + customer_json("short"))], stall=True),
        Case("chunked body without its last chunk, then silence", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: chunked\r\n", b"5\r\n{\"a\":\r\n")], stall=True),
        Case("chunks over the 1 MiB body limit", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: chunked\r\n", (b"10000\r\n" + b" " * 0x10000 + b"\r\n") * 20 + b"0\r\n\r\n")]),
        Case("Transfer-Encoding gzip (not chunked) on a request", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: gzip\r\n", customer_json("te-gzip"))], stall=True,
             allowed=(501,)),  # RFC 9112 §6.1: a transfer coding the server does not know SHOULD get 501
        Case("Transfer-Encoding chunked then identity", "chunked",
             lambda ctx: [post_customer(ctx, b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                                        one_chunk(customer_json("te2")))], stall=True,
             known="RFC 9112 §6.3: the final coding (identity) is not chunked: 400 and close"),
        # --- Content-Length ------------------------------------------------------------------------
        Case("Content-Length and Transfer-Encoding together", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                                        one_chunk(customer_json("cl-te")))],
             expect="close_after", follow_up=get(b"/healthz"),
             known="RFC 9112 §6.1: after a request with both, the server MUST close the connection"),
        Case("two different Content-Lengths", "content-length",
             lambda ctx: two_lengths(ctx, customer_json("dup-cl")),
             known="RFC 9112 §6.3: differing Content-Length values are an unrecoverable error (400)"),
        Case("Content-Length -1", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: -1\r\n", customer_json("neg"))]),
        Case("Content-Length not a number", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: abc\r\n", customer_json("abc"))]),
        Case("Content-Length 10^25", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: 10000000000000000000000000\r\n", customer_json("ovf"))], stall=True),
        Case("Content-Length larger than the body, then silence", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: %d\r\n" % (len(customer_json("x")) + 100), customer_json("short"))], stall=True),
        Case("Content-Length over the 1 MiB limit, no body", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: 2097152\r\n", b"")], stall=True),
        Case("Content-Length 1 TB, body streamed for 12 s", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: 1000000000000\r\n", b""), ("stream", 12)], stall=True, weight=0),
        Case("Content-Length 4 MiB over the limit, body sent", "content-length",
             lambda ctx: [post_customer(ctx, b"Content-Length: 4194304\r\n", b" " * 4194304)]),
        # --- Range -------------------------------------------------------------------------------------
        Case("Range: 50 overlapping whole-file ranges", "range", [get(b"/index.html", b"Range: bytes=" + b",".join([b"0-"] * 50) + b"\r\n")],
             expect="tolerate", max_bytes=3 * 65536),
        Case("Range: 1000 one-byte ranges", "range", [get(b"/index.html", b"Range: " + ranges(1000, 1, 2) + b"\r\n")],
             expect="tolerate", max_bytes=3 * 65536),
        Case("Range: 600 ranges in 1 header line", "range", [get(b"/index.html", b"Range: " + ranges(600, 10, 100) + b"\r\n")],
             expect="tolerate", max_bytes=3 * 65536),
        Case("Range: reversed (500-100)", "range", [get(b"/index.html", b"Range: bytes=500-100\r\n")], expect="tolerate"),
        Case("Range: descending ranges", "range", [get(b"/index.html", b"Range: bytes=1000-1100,0-10\r\n")], expect="tolerate"),
        Case("Range: three overlapping ranges", "range", [get(b"/index.html", b"Range: bytes=0-60000,1-60000,2-60000\r\n")],
             expect="tolerate", max_bytes=3 * 65536),
        Case("Range: number past 2^64", "range", [get(b"/index.html", b"Range: bytes=0-99999999999999999999999\r\n")], expect="tolerate"),
        Case("Range: unknown unit", "range", [get(b"/index.html", b"Range: pages=1-2\r\n")], expect="tolerate"),
        Case("Range: garbage", "range", [get(b"/index.html", b"Range: bytes=--,,a-b\r\n")], expect="tolerate"),
        Case("Range: two Range headers", "range", [get(b"/index.html", b"Range: bytes=0-1\r\nRange: bytes=5-9\r\n")], expect="tolerate"),
        Case("Range on an API list: 50 overlapping", "range",
             lambda ctx: [get(b"/api/v1/customers?limit=5", auth(ctx) + b"Range: bytes=" + b",".join([b"0-"] * 50) + b"\r\n")],
             expect="tolerate", max_bytes=64 * 1024),
        Case("Range on an API list: 1000 one-byte ranges", "range",
             lambda ctx: [get(b"/api/v1/customers?limit=5", auth(ctx) + b"Range: " + ranges(1000, 1, 2) + b"\r\n")],
             expect="tolerate", max_bytes=512 * 1024),
        Case("Range on an API list: reversed", "range",
             lambda ctx: [get(b"/api/v1/customers?limit=5", auth(ctx) + b"Range: bytes=9-3\r\n")], expect="tolerate"),
        # --- paths: invalid UTF-8, NUL, traversal ------------------------------------------------------
        Case("raw invalid UTF-8 in the path", "path", [get(b"/\xff\xfe\xfd.html")]),
        Case("percent-encoded invalid UTF-8 in the path", "path", [get(b"/%ff%fe%fd.html")]),
        Case("raw NUL in the path", "path", [get(b"/index.html\x00.png")]),
        Case("percent-encoded NUL in the path", "path", [get(b"/index.html%00.png")]),
        Case("percent-encoded NUL in an API id", "path", lambda ctx: [get(b"/api/v1/customers/1%00", auth(ctx))]),
        Case("invalid UTF-8 in an API search", "path", lambda ctx: [get(b"/api/v1/customers?q=%ff%fe%c3%28", auth(ctx))]),
        Case("invalid UTF-8 in an API filter", "path", lambda ctx: [get(b"/api/v1/customers?name=%c0%af", auth(ctx))]),
        Case("NUL in an API search (valid UTF-8)", "path", lambda ctx: [get(b"/api/v1/customers?q=a%00b", auth(ctx))],
             expect="tolerate"),
        Case("dot-dot traversal", "path", [get(b"/../../../../etc/passwd")]),
        Case("encoded dot-dot traversal", "path", [get(b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]),
        Case("encoded slash traversal", "path", [get(b"/..%2f..%2f..%2fetc%2fpasswd")]),
        Case("invalid UTF-8 in a JSON body", "path",
             lambda ctx: [post_customer(ctx, b"Content-Length: 32\r\n", b'{"name": "\xff\xfe\xfd bad utf8 \xc3"}'.ljust(32))]),
        # --- methods -----------------------------------------------------------------------------------
        Case("absurd method", "method", [b"FOOBAR /healthz HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("lower-case method", "method", [b"get /healthz HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("method of 5000 letters", "method", [b"A" * 5000 + b" /healthz HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("binary method", "method", [b"\x01\x02\x7f /healthz HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("CONNECT", "method", [b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("TRACE", "method", [b"TRACE /healthz HTTP/1.1\r\n" + HOST + b"\r\n"]),
        Case("HTTP/2 preface", "method", [b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"]),
        # --- versions ----------------------------------------------------------------------------------
        Case("HTTP/0.9 request (no version)", "version", [b"GET /healthz\r\n"]),
        Case("HTTP/9.9", "version", [get(b"/healthz", version=b"HTTP/9.9")]),
        Case("HTTP/1.1.1", "version", [get(b"/healthz", version=b"HTTP/1.1.1")]),
        Case("lower-case http/1.1", "version", [get(b"/healthz", version=b"http/1.1")]),
        Case("HTTP/01.1", "version", [get(b"/healthz", version=b"HTTP/01.1")]),
        Case("four words in the request line", "version", [b"GET /healthz HTTP/1.1 extra\r\n" + HOST + b"\r\n"]),
        # --- pipelining --------------------------------------------------------------------------------
        Case("good request then garbage, pipelined", "pipeline", [get(b"/healthz") + b"GARBAGE \x01\x02\r\n\r\n"], expect="pipeline"),
        Case("garbage, then a good request after the 400", "pipeline", [b"GARBAGE\r\n\r\n"], expect="reject_close",
             follow_up=get(b"/healthz"),
             known="RFC 9112 §2.2: after a 400 for a malformed message the server SHOULD close the connection"),
        Case("100 good requests pipelined", "pipeline", [get(b"/healthz") * 100], expect="pipeline_all",
             known="RFC 9112 §9.3.2: a server MUST answer pipelined requests in order (cpp-httplib issue #1271: "
                   "not supported; bytes read past the first request are dropped)"),
        Case("4 KB of random bytes", "pipeline", lambda ctx: [b"\x00" + os.urandom(4095)], stall=True),
    ]
    return out


def mutated(rng):
    """A good request with a few random bytes flipped: it may stay valid, so it is only 'tolerate'."""
    base = bytearray(get(b"/healthz?x=1", b"Accept: */*\r\nUser-Agent: abuse\r\n"))
    for _ in range(rng.randint(1, 6)):
        base[rng.randrange(len(base))] = rng.randrange(256)
    return Case("random byte flips in a good request", "fuzz", [bytes(base)], expect="tolerate")


def pick(all_cases, rng, stall_allowed):
    """A case by weight; a byte-flipped request one time in ten."""
    if rng.random() < 0.1:
        return mutated(rng)
    pool = [c for c in all_cases if stall_allowed or not c.stall]
    return rng.choices(pool, weights=[c.weight for c in pool])[0]
