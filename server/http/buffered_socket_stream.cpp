#include "server/http/buffered_socket_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace kehu::server {

namespace {

// Waits up to `timeout_ms` for `events` on `fd`; false on timeout, error or hang-up.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do n = ::poll(&p, 1, timeout_ms);
  while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & events) != 0 && (p.revents & (POLLERR | POLLNVAL)) == 0;
}

}  // namespace

BufferedSocketStream::BufferedSocketStream(int fd, std::string& buffered, int read_timeout_ms, int write_timeout_ms)
    : fd_(fd), buffered_(buffered), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

BufferedSocketStream::~BufferedSocketStream() { buffered_.erase(0, offset_); }

bool BufferedSocketStream::is_readable() const {
  if (offset_ < buffered_.size()) return true;
  if (wait_for(fd_, POLLIN, read_timeout_ms_)) return true;
  broken_ = true;
  return false;
}

bool BufferedSocketStream::is_writable() const {
  if (!wait_for(fd_, POLLOUT, write_timeout_ms_)) return broken_ = true, false;
  // httplib asks this between the pieces of a stream: a peer that has closed its end is gone.
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) return broken_ = true, false;
  return true;
}

ssize_t BufferedSocketStream::read(char* ptr, size_t size) {
  if (offset_ < buffered_.size()) {
    size_t n = std::min(size, buffered_.size() - offset_);
    std::memcpy(ptr, buffered_.data() + offset_, n);
    offset_ += n;
    return static_cast<ssize_t>(n);
  }
  for (;;) {
    ssize_t n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
    if (n >= 0) {
      if (n == 0) broken_ = true;
      return n;
    }
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait_for(fd_, POLLIN, read_timeout_ms_)) {
      broken_ = true;
      return -1;
    }
  }
}

ssize_t BufferedSocketStream::write(const char* ptr, size_t size) {
  // httplib writes a response's head in one call; only a status line can start the first one.
  if ((status_ == 0 || status_ == 100) && size >= 12 && std::memcmp(ptr, "HTTP/1.1 ", 9) == 0)
    status_ = (ptr[9] - '0') * 100 + (ptr[10] - '0') * 10 + (ptr[11] - '0');
  for (;;) {
    ssize_t n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait_for(fd_, POLLOUT, write_timeout_ms_)) {
      broken_ = true;
      return -1;
    }
  }
}

void BufferedSocketStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  httplib::detail::get_remote_ip_and_port(fd_, ip, port);
}

void BufferedSocketStream::get_local_ip_and_port(std::string& ip, int& port) const {
  httplib::detail::get_local_ip_and_port(fd_, ip, port);
}

}  // namespace kehu::server
