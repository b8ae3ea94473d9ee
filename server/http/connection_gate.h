// connection_gate.h — connections wait here, holding no thread, until they have a whole request.
//
// cpp-httplib gives every connection a worker thread for as long as it is open: a client that sends
// its request a byte at a time (slowloris), trickles its body, or sits in keep-alive holds a thread, and
// a few hundred such clients hold them all. The gate stands between accept() and the workers:
//   - One thread watches every connection with epoll and reads what arrives into the connection's
//     buffer. A connection gets a worker only once request_framing.h says its request is ready (head
//     in, body in or at least its first 64 KiB); after the answer, a kept-alive connection comes back
//     here to wait for its next request. Waiting costs a file descriptor and the buffer, not a thread.
//   - Deadlines for the whole request, not each read: a new connection must send its request within
//     `request_ms`, a kept-alive one start its next within `idle_ms` and then finish it within
//     `request_ms`. Past that: 408 and the connection is closed. Framing errors are answered here (400,
//     413 without reading the body, 431, 501), never reaching a worker.
//   - Per-address fairness: at most `workers_per_address` requests from one address are served at once;
//     its further ready requests wait their turn here (at most `address_wait_ms`, then 503), so one
//     address that reads its answers slowly or sends expensive requests cannot occupy every worker. An
//     event stream gives its slot back when it starts (serving_a_stream): it is long by design. IPv6
//     addresses count by /56, the block one subscriber usually has. A trusted proxy (--trusted-proxy)
//     is exempt from the per-address limits: everyone behind it shares its address.
//   - At most `max_connections` open, `connections_per_address` from one address: the rest are closed
//     at once (with a 503 if the kernel takes it). At most `max_buffered` bytes of requests held in all.
//   - On the worker, the body and the answer must move at `min_rate` bytes a second on average, beyond
//     the read and write timeouts (buffered_socket_stream.h), so a slow reader or sender is cut off too.
// Threads: admit() from the accept thread; the serve callback on the worker pool; everything else on the
// gate's thread. Refusals are written without blocking, then the connection lingers (reading and
// discarding) for a second so that the answer is not lost to a reset.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/http/request_framing.h"
#include "server/metrics/prometheus_text.h"
#include "server/metrics/request_metrics.h"

namespace kehu::server {

struct GateLimits {
  int workers = 32;                    // worker threads
  int max_queued = 256;                // ready requests waiting for any worker; more get 503
  int workers_per_address = 16;        // 0: no per-address limit
  int address_wait_ms = 30'000;
  int connections_per_address = 1024;
  int max_connections = 10'000;
  int request_ms = 10'000;
  int idle_ms = 5'000;
  int keep_alive_max = 1000;           // requests on one connection; the last is answered with Connection: close
  size_t max_buffered = 256u << 20;    // request bytes held in the gate in all
  size_t min_rate = 1024;              // bytes a second a body or an answer must average on the worker
  std::vector<std::string> exempt_addresses;  // peers without per-address limits (trusted proxies), canonical
  FramingLimits framing;
};

class ConnectionGate {
 public:
  // Serves the ready request at the front of `buffered` on a worker thread, leaving in `buffered` what
  // followed it. `last`: answer with Connection: close. `streaming` turns true if the request becomes
  // a long-lived stream (serving_a_stream). Returns whether the connection may be kept.
  using Serve = std::function<bool(int fd, std::string& buffered, bool last, const std::atomic<bool>& streaming)>;
  // The whole HTTP response refusing a request with `status` (408, 400, 413, 431, 501, 503); `head`
  // holds what was received of it (for its Accept-Language).
  using Refusal = std::function<std::string(int status, std::string_view head)>;

  ConnectionGate(GateLimits limits, std::shared_ptr<WorkerPoolGauges> pool_gauges, Serve serve, Refusal refusal);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // A connection accepted now; the gate owns `fd` from here on.
  void admit(int fd);
  // Closes every connection not being served, waits for the workers to finish theirs, and closes those.
  // Idempotent.
  void shutdown();

  // On a worker: the request being served turns into a long-lived stream, which no longer counts
  // against its address's workers_per_address nor has to keep a minimum rate. Does nothing on any
  // other thread.
  static void serving_a_stream();

  void write_metrics(PrometheusText& out) const;

 private:
  struct Connection;
  struct Address;
  struct Returned;
  class Loop;

  void give_back(Connection* c, bool keep);

  GateLimits limits_;
  Serve serve_;
  Refusal refusal_;
  std::shared_ptr<WorkerPoolGauges> pool_gauges_;
  std::unique_ptr<CountedThreadPool> pool_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
  std::once_flag shut_;

  struct Gauges {
    std::atomic<int64_t> open{0}, waiting_for_request{0}, waiting_for_address{0};
    std::atomic<uint64_t> over_limit{0}, timed_out{0}, malformed{0}, address_wait{0}, pool_full{0};
  } gauges_;
};

struct PeerAddress {
  std::string address;  // as client_address.h writes it: IPv4 (also when IPv4-mapped) or IPv6 text
  std::string key;      // what limits count under: the address, an IPv6 one as its /56 ("2001:db8:1:200::/56")
};
// Empty strings if the peer cannot be read.
PeerAddress peer_address(int fd);

}  // namespace kehu::server
