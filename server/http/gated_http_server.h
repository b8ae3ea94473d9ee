// gated_http_server.h — cpp-httplib's Server with the connection gate (connection_gate.h) in front of
// its workers: plain-HTTP connections wait in the gate, holding no thread, until a request is ready,
// and go back to it between keep-alive requests.
//
// httplib's accept loop hands each accepted socket to its task queue, which would run
// process_and_close_socket on a worker for the connection's whole life. Here the task queue runs that
// call at once on the accept thread, and the override only gives the socket to the gate; the gate's
// workers then call httplib's own process_request for one request at a time over a
// BufferedSocketStream. Routing, handlers, error handler, logger and default headers are httplib's as
// before. (Under --tls-cert the server is httplib's SSLServer, a thread per connection: put a proxy
// that ends TLS in front of a server that faces the internet; docs/abuse_tests.md.)
#pragma once

#include <memory>

#include <httplib.h>

#include "server/http/connection_gate.h"

namespace kehu::server {

class GatedHttpServer final : public httplib::Server {
 public:
  GatedHttpServer(GateLimits limits, std::shared_ptr<WorkerPoolGauges> pool_gauges, ConnectionGate::Refusal refusal);
  ~GatedHttpServer() override;

  const ConnectionGate& gate() const { return gate_; }

  // Called by a route handler as it starts: the request was read whole and well framed, so an error it
  // answers (400 for a bad field, 413) leaves the connection open. Without it, a 400, 413, 414 or 431
  // is httplib's own verdict on a malformed message, and the connection is closed after it (RFC 9112
  // §2.2: what follows cannot be trusted to start a new request).
  static void note_handled();

 private:
  // httplib calls this (through the task queue) for every accepted socket.
  bool process_and_close_socket(socket_t sock) override;
  // One ready request at the front of `buffered`, on a worker.
  bool serve(int fd, std::string& buffered, bool last, const std::atomic<bool>& streaming);

  size_t min_rate_;
  ConnectionGate gate_;
};

}  // namespace kehu::server
