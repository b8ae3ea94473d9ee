#include "server/http/gated_http_server.h"

#include "server/http/buffered_socket_stream.h"

namespace kehu::server {

namespace {

// Runs each task at once on the calling (accept) thread: the task only hands a socket to the gate.
// Its shutdown, at the end of httplib's listen loop, shuts the gate.
class HandToGate final : public httplib::TaskQueue {
 public:
  explicit HandToGate(ConnectionGate& gate) : gate_(gate) {}
  bool enqueue(std::function<void()> fn) override {
    fn();
    return true;
  }
  void shutdown() override { gate_.shutdown(); }

 private:
  ConnectionGate& gate_;
};

int to_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

thread_local bool handled = false;

}  // namespace

GatedHttpServer::GatedHttpServer(GateLimits limits, std::shared_ptr<WorkerPoolGauges> pool_gauges, ConnectionGate::Refusal refusal)
    : min_rate_(limits.min_rate),
      gate_(limits, std::move(pool_gauges),
            [this](int fd, std::string& buffered, bool last, const std::atomic<bool>& streaming) { return serve(fd, buffered, last, streaming); },
            std::move(refusal)) {
  new_task_queue = [this] { return new HandToGate(gate_); };
}

GatedHttpServer::~GatedHttpServer() { gate_.shutdown(); }

bool GatedHttpServer::process_and_close_socket(socket_t sock) {
  gate_.admit(sock);
  return true;
}

void GatedHttpServer::note_handled() { handled = true; }

bool GatedHttpServer::serve(int fd, std::string& buffered, bool last, const std::atomic<bool>& streaming) {
  std::string remote_addr, local_addr;
  int remote_port = 0, local_port = 0;
  httplib::detail::get_remote_ip_and_port(fd, remote_addr, remote_port);
  httplib::detail::get_local_ip_and_port(fd, local_addr, local_port);
  BufferedSocketStream stream(fd, buffered, to_ms(read_timeout_sec_, read_timeout_usec_), to_ms(write_timeout_sec_, write_timeout_usec_),
                              min_rate_, streaming);
  bool closed = false;
  handled = false;
  const bool answered = process_request(stream, remote_addr, remote_port, local_addr, local_port, last, closed, nullptr);
  // After httplib refused a malformed or oversized message, what follows on the connection cannot be
  // trusted to start a new request (RFC 9112 §2.2): close it.
  const int status = stream.status();
  const bool unframed = !handled && (status == 400 || status == 413 || status == 414 || status == 431);
  return answered && !closed && !stream.broken() && !unframed;
}

}  // namespace kehu::server
