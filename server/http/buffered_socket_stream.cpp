#include "server/http/buffered_socket_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
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

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

BufferedSocketStream::BufferedSocketStream(int fd, std::string& buffered, int read_timeout_ms, int write_timeout_ms, size_t min_rate,
                                           const std::atomic<bool>& streaming)
    : fd_(fd), buffered_(buffered), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms),
      min_rate_(min_rate), streaming_(streaming) {}

bool BufferedSocketStream::wait(short events, int timeout_ms, int64_t& waited_ms, size_t moved) const {
  int64_t allowed = timeout_ms;
  if (!streaming_.load(std::memory_order_relaxed) && min_rate_ > 0) {
    const int64_t left = timeout_ms + static_cast<int64_t>(moved * 1000 / min_rate_) - waited_ms;
    if (left <= 0) return broken_ = true, false;
    allowed = std::min<int64_t>(allowed, left);
  }
  const int64_t start = now_ms();
  const bool ready = wait_for(fd_, events, static_cast<int>(allowed));
  waited_ms += now_ms() - start;
  if (!ready) broken_ = true;
  return ready;
}

BufferedSocketStream::~BufferedSocketStream() { buffered_.erase(0, offset_); }

bool BufferedSocketStream::is_readable() const {
  if (offset_ < buffered_.size()) return true;
  return wait(POLLIN, read_timeout_ms_, read_waited_ms_, bytes_read_);
}

bool BufferedSocketStream::is_writable() const {
  if (!wait(POLLOUT, write_timeout_ms_, write_waited_ms_, bytes_written_)) return false;
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
      bytes_read_ += static_cast<size_t>(n);
      return n;
    }
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait(POLLIN, read_timeout_ms_, read_waited_ms_, bytes_read_)) {
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
    if (n >= 0) {
      bytes_written_ += static_cast<size_t>(n);
      return n;
    }
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait(POLLOUT, write_timeout_ms_, write_waited_ms_, bytes_written_)) {
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
