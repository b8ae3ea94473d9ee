// buffered_socket_stream.h — the httplib::Stream a gated request is served over: first the bytes the
// connection gate already read (connection_gate.h), then the socket itself.
//
// Reads from the socket never take more than httplib asks for, so whatever httplib leaves unread (the
// start of a pipelined next request) is still in `buffered` or the socket when the request is done,
// and the gate carries it over. Every wait is bounded: a read waits at most `read_timeout_ms` for bytes,
// a write at most `write_timeout_ms` for room. The socket is non-blocking.
#pragma once

#include <string>

#include <httplib.h>

namespace kehu::server {

class BufferedSocketStream final : public httplib::Stream {
 public:
  // `buffered` is consumed from its front as httplib reads; it must outlive the stream.
  BufferedSocketStream(int fd, std::string& buffered, int read_timeout_ms, int write_timeout_ms);
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
  int fd_;
  std::string& buffered_;
  size_t offset_ = 0;  // bytes of buffered_ httplib has read
  int read_timeout_ms_, write_timeout_ms_;
  mutable bool broken_ = false;
  int status_ = 0;
};

}  // namespace kehu::server
