#include "server/http/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <algorithm>
#include <deque>
#include <unordered_map>

namespace kehu::server {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

constexpr int kLingerMs = 2000;             // a refused connection is drained this long before it is closed
constexpr size_t kMaxDrained = 1 << 20;     // ... or until this much has been drained
constexpr size_t kReadPerEvent = 256 << 10;  // bytes read from one connection per event: the others' turn
constexpr int kScanEveryMs = 100;           // how often deadlines are looked at

}  // namespace

PeerAddress peer_address(int fd) {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&sa)->sin_addr, text, sizeof text);
    return {text, text};
  }
  if (sa.ss_family != AF_INET6) return {};
  in6_addr a = reinterpret_cast<sockaddr_in6*>(&sa)->sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    ::inet_ntop(AF_INET, a.s6_addr + 12, text, sizeof text);
    return {text, text};
  }
  ::inet_ntop(AF_INET6, &a, text, sizeof text);
  PeerAddress peer{text, text};
  if (IN6_IS_ADDR_LOOPBACK(&a)) return peer;
  std::memset(a.s6_addr + 7, 0, 9);
  ::inet_ntop(AF_INET6, &a, text, sizeof text);
  peer.key = std::string(text) + "/56";
  return peer;
}

// Where a connection is. Only the gate's thread reads or changes it, except `streaming`, set by the
// worker serving it (and read by the gate only after the worker gave the connection back).
struct ConnectionGate::Connection {
  enum class Phase { waiting, reading, queued, serving, closing };
  int fd = -1;
  std::string address;  // the limit key (PeerAddress::key)
  bool exempt = false;  // a trusted proxy: no per-address limits
  std::string buffer;
  size_t counted = 0;   // of buffer's bytes, how many are in the gate's max_buffered tally
  RequestFramer framer;
  size_t drained = 0;   // closing: bytes read and thrown away
  bool begun = false;   // the current request's first byte (after any empty lines) is in
  Phase phase = Phase::waiting;
  int64_t deadline_ms = 0;
  int requests = 0;
  std::atomic<bool> streaming{false};
};

struct ConnectionGate::Address {
  int connections = 0;
  int serving = 0;
  std::deque<Connection*> queued;  // ready, waiting for this address's turn; oldest first
};

struct ConnectionGate::Returned {
  Connection* connection;
  bool keep;
};

// The gate's thread: every connection not on a worker, the addresses, and the epoll set.
class ConnectionGate::Loop {
 public:
  explicit Loop(ConnectionGate& gate) : gate_(gate), limits_(gate.limits_) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  }
  ~Loop() {
    ::close(epoll_);
    ::close(wake_);
  }

  // From other threads.
  void post_admit(int fd) {
    {
      std::lock_guard lock(inbox_mutex_);
      if (!stopped_) {
        admitted_.push_back(fd);
        fd = -1;
      }
    }
    if (fd >= 0) ::close(fd);
    wake();
  }
  void post_return(Connection* c, bool keep) {
    {
      std::lock_guard lock(inbox_mutex_);
      if (!stopped_) {
        returned_.push_back({c, keep});
        c = nullptr;
      }
    }
    if (c) {  // the gate has stopped: nobody waits for this connection any more
      ::close(c->fd);
      gate_.gauges_.open.fetch_sub(1);
      delete c;
    }
    wake();
  }
  void post_release(const std::string& address) {
    {
      std::lock_guard lock(inbox_mutex_);
      released_.push_back(address);
    }
    wake();
  }
  void request_stop() {
    stopping_.store(true);
    wake();
  }

  void run() {
    epoll_event events[256];
    int64_t last_scan = now_ms();
    while (!stopping_.load()) {
      int n = ::epoll_wait(epoll_, events, 256, kScanEveryMs);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == wake_) {
          uint64_t count;
          while (::read(wake_, &count, sizeof count) > 0) {
          }
          take_inbox();
          continue;
        }
        auto it = watched_.find(events[i].data.fd);
        if (it != watched_.end()) on_readable(it->second);
      }
      int64_t now = now_ms();
      if (now - last_scan >= kScanEveryMs) {
        last_scan = now;
        enforce_deadlines(now);
      }
    }
    // Stopping: what is here is closed; what is on a worker is closed when it comes back (post_return).
    std::vector<int> admitted;
    std::vector<Returned> returned;
    {
      std::lock_guard lock(inbox_mutex_);
      stopped_ = true;
      admitted.swap(admitted_);
      returned.swap(returned_);
    }
    for (int fd : admitted) ::close(fd);
    for (auto& r : returned) {
      ::close(r.connection->fd);
      gate_.gauges_.open.fetch_sub(1);
      delete r.connection;
    }
    for (auto& [fd, c] : watched_) close_quietly(c, false);
    watched_.clear();
    for (auto& [key, address] : addresses_)
      for (Connection* c : address.queued) close_quietly(c, false);
    addresses_.clear();
  }

 private:
  using Phase = Connection::Phase;

  void wake() {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_, &one, sizeof one);
  }

  void take_inbox() {
    std::vector<int> admitted;
    std::vector<Returned> returned;
    std::vector<std::string> released;
    {
      std::lock_guard lock(inbox_mutex_);
      admitted.swap(admitted_);
      returned.swap(returned_);
      released.swap(released_);
    }
    for (int fd : admitted) on_admit(fd);
    for (const auto& key : released) {
      auto it = addresses_.find(key);
      if (it == addresses_.end()) continue;
      it->second.serving--;
      pump(key);
    }
    for (auto& r : returned) on_return(r.connection, r.keep);
  }

  void on_admit(int fd) {
    PeerAddress peer = peer_address(fd);
    Address& address = addresses_[peer.key];
    auto c = new Connection;
    c->fd = fd;
    c->address = peer.key;
    c->exempt = std::find(limits_.exempt_addresses.begin(), limits_.exempt_addresses.end(), peer.address) != limits_.exempt_addresses.end();
    c->framer = RequestFramer(limits_.framing);
    address.connections++;
    gate_.gauges_.open.fetch_add(1);
    const bool too_many = gate_.gauges_.open.load() > limits_.max_connections ||
                          (!c->exempt && address.connections > limits_.connections_per_address);
    int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (too_many) {
      gate_.gauges_.over_limit.fetch_add(1);
      std::string answer = gate_.refusal_(503, "");
      [[maybe_unused]] ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      close_quietly(c, true);
      return;
    }
    c->phase = Phase::waiting;
    c->deadline_ms = now_ms() + limits_.request_ms;
    watch(c);
  }

  void watch(Connection* c) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = c->fd;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
    watched_[c->fd] = c;
    if (c->phase == Phase::waiting || c->phase == Phase::reading) gate_.gauges_.waiting_for_request.fetch_add(1);
  }

  void unwatch(Connection* c) {
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
    watched_.erase(c->fd);
    if (c->phase == Phase::waiting || c->phase == Phase::reading) gate_.gauges_.waiting_for_request.fetch_sub(1);
  }

  void on_readable(Connection* c) {
    const size_t cap = limits_.framing.max_head + limits_.framing.body_prefetch + 4096;
    bool eof = false, grew = false;
    char chunk[16 * 1024];
    size_t taken = 0;  // level-triggered: what is left is read at the next turn
    while (taken < kReadPerEvent) {
      const size_t room = c->phase == Phase::closing ? sizeof chunk : std::min(sizeof chunk, cap - std::min(cap, c->buffer.size()));
      if (room == 0) break;
      ssize_t n = ::recv(c->fd, chunk, room, MSG_DONTWAIT);
      if (n > 0) {
        taken += static_cast<size_t>(n);
        if (c->phase == Phase::closing) c->drained += static_cast<size_t>(n);
        else c->buffer.append(chunk, static_cast<size_t>(n)), grew = true;
        continue;
      }
      if (n == 0) eof = true;
      else if (errno == EINTR) continue;
      else if (errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
      break;
    }
    if (c->phase == Phase::closing) {
      if (eof || c->drained >= kMaxDrained) close_quietly(c, true);
      return;
    }
    if (grew) {
      count(c);
      if (buffered_ > limits_.max_buffered) return refuse(c, 503, gate_.gauges_.over_limit);
    }
    if (grew && c->phase == Phase::waiting) {
      c->phase = Phase::reading;
      // A new connection's request is due within request_ms of its accept; a kept-alive one's within
      // request_ms of its first byte.
      if (c->requests > 0) c->deadline_ms = now_ms() + limits_.request_ms;
    }
    if (!c->buffer.empty() && judge(c)) return;
    if (eof) {
      // The client stopped sending: with nothing begun, that is an ordinary close.
      if (c->buffer.empty()) close_quietly(c, true);
      else refuse(c, 400, gate_.gauges_.malformed);
    }
  }

  // Frames the buffered request; true if the connection has moved on (to a worker, or refused).
  bool judge(Connection* c) {
    // RFC 9112 §2.2: empty lines before a request are ignored (a client may send CRLF after a body).
    if (!c->begun) {
      size_t blank = 0;
      while (c->buffer.compare(blank, 2, "\r\n") == 0) blank += 2;
      if (blank > 0) c->buffer.erase(0, blank);
      if (c->buffer.empty() || c->buffer == "\r") return false;
      c->begun = true;
    }
    RequestFraming f = c->framer.judge(c->buffer);
    if (f.state == RequestFraming::State::ready) {
      if (f.add_zero_length) c->buffer.insert(f.head_bytes - 2, "Content-Length: 0\r\n");
      unwatch(c);
      ready(c);
      return true;
    }
    if (f.state == RequestFraming::State::refused) {
      refuse(c, f.status, gate_.gauges_.malformed);
      return true;
    }
    return false;
  }

  void ready(Connection* c) {
    Address& address = addresses_[c->address];
    if (!c->exempt && limits_.workers_per_address > 0 && address.serving >= limits_.workers_per_address) {
      c->phase = Phase::queued;
      c->deadline_ms = now_ms() + limits_.address_wait_ms;
      address.queued.push_back(c);
      gate_.gauges_.waiting_for_address.fetch_add(1);
      return;
    }
    start(c, address);
  }

  void start(Connection* c, Address& address) {
    uncount(c);  // the worker holds the buffer from here
    c->phase = Phase::serving;
    c->streaming = false;
    address.serving++;
    const bool last = ++c->requests >= limits_.keep_alive_max;
    ConnectionGate* gate = &gate_;
    bool taken = gate_.pool_->enqueue([gate, c, last] {
      serving_connection() = c;
      serving_loop() = gate->loop_.get();
      bool keep = gate->serve_(c->fd, c->buffer, last, c->streaming);
      serving_connection() = nullptr;
      serving_loop() = nullptr;
      gate->give_back(c, keep && !last);
    });
    if (!taken) {
      address.serving--;
      refuse(c, 503, gate_.gauges_.pool_full);
    }
  }

  void on_return(Connection* c, bool keep) {
    const std::string key = c->address;  // c may be gone below
    Address& address = addresses_[key];
    if (!c->streaming.load()) address.serving--;
    c->framer = RequestFramer(limits_.framing);
    c->begun = false;
    if (c->buffer.empty()) std::string().swap(c->buffer);  // an idle connection keeps no buffer
    else c->buffer.shrink_to_fit();
    count(c);
    if (!keep) {
      close_quietly(c, true);
    } else if (c->buffer.empty()) {
      c->phase = Phase::waiting;
      c->deadline_ms = now_ms() + limits_.idle_ms;
      watch(c);
    } else {
      // The start of a pipelined request came with the last one: judge it now, epoll will not say so.
      c->phase = Phase::reading;
      c->deadline_ms = now_ms() + limits_.request_ms;
      watch(c);
      judge(c);
    }
    pump(key);
  }

  // Starts the address's queued requests while it has free slots.
  void pump(const std::string& key) {
    auto it = addresses_.find(key);
    if (it == addresses_.end()) return;
    Address& address = it->second;
    while (!address.queued.empty() && (limits_.workers_per_address <= 0 || address.serving < limits_.workers_per_address)) {
      Connection* c = address.queued.front();
      address.queued.pop_front();
      gate_.gauges_.waiting_for_address.fetch_sub(1);
      start(c, address);
    }
    forget_if_unused(key);
  }

  void enforce_deadlines(int64_t now) {
    std::vector<Connection*> due;
    for (auto& [fd, c] : watched_)
      if (c->deadline_ms <= now) due.push_back(c);
    for (Connection* c : due) {
      if (c->phase == Phase::reading) refuse(c, 408, gate_.gauges_.timed_out);
      else close_quietly(c, true);  // never began a request, or a refusal has lingered long enough
    }
    for (auto& [key, address] : addresses_) {
      while (!address.queued.empty() && address.queued.front()->deadline_ms <= now) {
        Connection* c = address.queued.front();
        address.queued.pop_front();
        gate_.gauges_.waiting_for_address.fetch_sub(1);
        refuse(c, 503, gate_.gauges_.address_wait);
      }
    }
  }

  // Answers `status` without blocking and lets the connection linger, draining, before it is closed.
  void refuse(Connection* c, int status, std::atomic<uint64_t>& counter) {
    counter.fetch_add(1);
    std::string answer = gate_.refusal_(status, c->buffer);
    [[maybe_unused]] ssize_t n = ::send(c->fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(c->fd, SHUT_WR);
    if (watched_.count(c->fd)) unwatch(c);
    std::string().swap(c->buffer);
    count(c);
    c->phase = Phase::closing;
    c->deadline_ms = now_ms() + kLingerMs;
    watch(c);
  }

  // Closes a connection the gate holds (watched, queued or just admitted) and forgets it.
  void close_quietly(Connection* c, bool forget) {
    if (forget && watched_.count(c->fd)) unwatch(c);
    uncount(c);
    ::close(c->fd);
    gate_.gauges_.open.fetch_sub(1);
    if (forget) {
      auto it = addresses_.find(c->address);
      if (it != addresses_.end()) {
        it->second.connections--;
        forget_if_unused(c->address);
      }
    }
    delete c;
  }

  // Brings the max_buffered tally up to date with c's buffer; uncount: c's bytes leave the gate.
  void count(Connection* c) {
    buffered_ += c->buffer.size();
    buffered_ -= c->counted;
    c->counted = c->buffer.size();
  }
  void uncount(Connection* c) {
    buffered_ -= c->counted;
    c->counted = 0;
  }

  void forget_if_unused(const std::string& key) {
    auto it = addresses_.find(key);
    if (it != addresses_.end() && it->second.connections <= 0 && it->second.serving <= 0 && it->second.queued.empty()) addresses_.erase(it);
  }

 public:
  static Connection*& serving_connection() {
    thread_local Connection* c = nullptr;
    return c;
  }
  static Loop*& serving_loop() {
    thread_local Loop* loop = nullptr;
    return loop;
  }

 private:
  ConnectionGate& gate_;
  const GateLimits& limits_;
  int epoll_ = -1, wake_ = -1;
  std::atomic<bool> stopping_{false};
  std::unordered_map<int, Connection*> watched_;  // by fd: waiting, reading, closing
  std::unordered_map<std::string, Address> addresses_;
  size_t buffered_ = 0;  // bytes of requests held in the gate (Connection::counted, summed)

  std::mutex inbox_mutex_;
  bool stopped_ = false;  // guarded by inbox_mutex_: the loop has ended; posts are handled by the poster
  std::vector<int> admitted_;
  std::vector<Returned> returned_;
  std::vector<std::string> released_;
};

ConnectionGate::ConnectionGate(GateLimits limits, std::shared_ptr<WorkerPoolGauges> pool_gauges, Serve serve, Refusal refusal)
    : limits_(limits), serve_(std::move(serve)), refusal_(std::move(refusal)), pool_gauges_(std::move(pool_gauges)) {
  pool_ = std::make_unique<CountedThreadPool>(static_cast<size_t>(limits_.workers), static_cast<size_t>(limits_.max_queued), pool_gauges_);
  loop_ = std::make_unique<Loop>(*this);
  thread_ = std::thread([this] { loop_->run(); });
}

ConnectionGate::~ConnectionGate() { shutdown(); }

void ConnectionGate::admit(int fd) { loop_->post_admit(fd); }

void ConnectionGate::give_back(Connection* c, bool keep) { loop_->post_return(c, keep); }

void ConnectionGate::shutdown() {
  std::call_once(shut_, [this] {
    loop_->request_stop();
    thread_.join();
    pool_->shutdown();  // waits for the workers; each closes its connection as it gives it back
  });
}

void ConnectionGate::serving_a_stream() {
  Connection* c = Loop::serving_connection();
  Loop* loop = Loop::serving_loop();
  if (!c || !loop || c->streaming.exchange(true)) return;
  loop->post_release(c->address);
}

void ConnectionGate::write_metrics(PrometheusText& out) const {
  out.single("kehu_http_connections_open", "Open client connections.", "gauge", static_cast<double>(gauges_.open.load()));
  out.single("kehu_http_connections_waiting_for_request", "Connections holding no worker while their next request arrives.", "gauge",
             static_cast<double>(gauges_.waiting_for_request.load()));
  out.single("kehu_http_requests_waiting_for_address",
             "Ready requests waiting because their address already has its share of workers.", "gauge",
             static_cast<double>(gauges_.waiting_for_address.load()));
  out.family("kehu_http_connections_turned_away_total", "Connections answered and closed without a worker, by reason.", "counter");
  out.sample("kehu_http_connections_turned_away_total", static_cast<double>(gauges_.over_limit.load()), {{"reason", "connection_limit"}});
  out.sample("kehu_http_connections_turned_away_total", static_cast<double>(gauges_.timed_out.load()), {{"reason", "request_timeout"}});
  out.sample("kehu_http_connections_turned_away_total", static_cast<double>(gauges_.malformed.load()), {{"reason", "malformed"}});
  out.sample("kehu_http_connections_turned_away_total", static_cast<double>(gauges_.address_wait.load()), {{"reason", "address_wait"}});
  out.sample("kehu_http_connections_turned_away_total", static_cast<double>(gauges_.pool_full.load()), {{"reason", "workers_full"}});
}

}  // namespace kehu::server
