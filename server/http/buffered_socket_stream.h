// buffered_socket_stream.h — the httplib::Stream a gated request is served over: first the bytes the
// connection gate already read (connection_gate.h), then the socket itself.
//
// Reads from the socket never take more than httplib asks for, so whatever httplib leaves unread (the
// start of a pipelined next request) is still in `buffered` or the socket when the request is done,
// and the gate carries it over. The socket is non-blocking, and every wait is bounded twice:
//   - each read waits at most `read_timeout_ms` for bytes, each write `write_timeout_ms` for room;
//   - all the waiting for one request's body, and for room for its answer, may add up to the timeout
//     plus a second per `min_rate` bytes moved — a client that trickles (a byte every few seconds keeps
//     each single wait short) is cut off all the same. Time the handler spends working is not waiting.
//     A long-lived stream (`streaming`, an event stream) is exempt: it is quiet by design.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <httplib.h>

namespace kehu::server {

class BufferedSocketStream final : public httplib::Stream {
 public:
  // `buffered` is consumed from its front as httplib reads; it must outlive the stream.
  BufferedSocketStream(int fd, std::string& buffered, int read_timeout_ms, int write_timeout_ms, size_t min_rate,
                       const std::atomic<bool>& streaming);
  ~BufferedSocketStream() override;

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // A read or write failed or timed out: the connection is not fit for another request.
  bool broken() const { return broken_; }
  // The status of the response written (after an interim 100 Continue, the final one); 0 before.
  int status() const { return status_; }

 private:
  // Waits for `events` up to the single-wait timeout and what is left of the request's allowance;
  // adds the time waited to `waited`. False on timeout, error or hang-up.
  bool wait(short events, int timeout_ms, int64_t& waited_ms, size_t moved) const;

  int fd_;
  std::string& buffered_;
  size_t offset_ = 0;  // bytes of buffered_ httplib has read
  int read_timeout_ms_, write_timeout_ms_;
  size_t min_rate_;
  const std::atomic<bool>& streaming_;
  mutable int64_t read_waited_ms_ = 0, write_waited_ms_ = 0;
  size_t bytes_read_ = 0, bytes_written_ = 0;
  mutable bool broken_ = false;
  int status_ = 0;
};

}  // namespace kehu::server
