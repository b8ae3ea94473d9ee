#include "shell/desktop/http_pool.h"

#include <httplib.h>

#include <cctype>
#include <chrono>
#include <cstdio>

namespace kehu::desktop {

namespace {

bool same_header_name(const std::string& a, const char* b) {
  size_t i = 0;
  for (; i < a.size() && b[i]; ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return i == a.size() && !b[i];
}

// A header line must not carry CR, LF or NUL (they would end it early and start another).
bool safe_header(const std::string& name, const std::string& value) {
  auto clean = [](const std::string& s) { return s.find_first_of(std::string("\r\n\0", 3)) == std::string::npos; };
  return !name.empty() && clean(name) && clean(value);
}

}  // namespace

std::string encode_request_target(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    bool raw = c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '`' && c != '{' && c != '}';
    if (raw) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

HttpPool::HttpPool(const std::string& server_url, UiThreadQueue& completions, HttpPoolOptions options)
    : server_url_(server_url), completions_(completions) {
  size_t n = options.workers > 0 ? static_cast<size_t>(options.workers) : 1;
  for (size_t i = 0; i < n; ++i) {
    auto cli = std::make_unique<httplib::Client>(server_url);
    cli->set_connection_timeout(options.connect_timeout_s, 0);
    cli->set_read_timeout(options.read_write_timeout_s, 0);
    cli->set_write_timeout(options.read_write_timeout_s, 0);
    cli->set_keep_alive(true);
    cli->set_url_encode(false);  // encode_request_target() does it, without touching what is encoded
    clients_.push_back(std::move(cli));
  }
  running_workers_ = static_cast<int>(n);
  for (size_t i = 0; i < n; ++i) threads_.emplace_back([this, i] { worker_loop(i); });
}

HttpPool::~HttpPool() {
  std::deque<Job> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    dropped.swap(jobs_);
  }
  wake_.notify_all();
  // stop() shuts the socket of a request in flight, so a worker waiting on a slow server returns now
  // rather than after its timeout. Repeated, because a worker may open a new connection just after.
  while (running_workers_.load() > 0) {
    for (auto& cli : clients_) cli->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& t : threads_) t.join();
}

void HttpPool::submit(client::HttpRequest request, std::string bearer_token, client::HttpCallback done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(Job{std::move(request), std::move(bearer_token), std::move(done)});
  }
  wake_.notify_one();
}

void HttpPool::worker_loop(size_t index) {
  httplib::Client& cli = *clients_[index];
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) break;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    client::HttpResponse response = perform(cli, job);
    if (stopping()) break;  // the UI is going away: nobody to tell
    completions_.post(
        [done = std::move(job.done), response = std::move(response)]() mutable { done(std::move(response)); });
  }
  running_workers_.fetch_sub(1);
}

client::HttpResponse HttpPool::perform(httplib::Client& cli, const Job& job) {
  client::HttpResponse out;
  if (!cli.is_valid()) {
    note_reachability(false, "invalid server address " + server_url_);
    return out;
  }
  httplib::Request req;
  req.method = job.request.method;
  req.path = encode_request_target(job.request.path);
  bool has_content_type = false, has_authorization = false;
  for (const auto& [name, value] : job.request.headers) {
    if (!safe_header(name, value)) continue;
    has_content_type = has_content_type || same_header_name(name, "Content-Type");
    has_authorization = has_authorization || same_header_name(name, "Authorization");
    req.headers.emplace(name, value);
  }
  if (!job.bearer_token.empty() && !has_authorization && safe_header("Authorization", job.bearer_token))
    req.headers.emplace("Authorization", "Bearer " + job.bearer_token);
  if (!job.request.body.empty() && !has_content_type) req.headers.emplace("Content-Type", "application/json");
  req.headers.emplace("Accept", "application/json");
  req.body = job.request.body;

  httplib::Result res = cli.send(req);
  if (!res) {
    if (res.error() != httplib::Error::Canceled && !stopping())
      note_reachability(false, httplib::to_string(res.error()));
    return out;
  }
  note_reachability(true, "");
  out.status = res->status;
  out.body = std::move(res->body);
  return out;
}

bool HttpPool::stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

void HttpPool::note_reachability(bool answered, const std::string& why) {
  std::lock_guard<std::mutex> lock(reach_mutex_);
  int now = answered ? 1 : 0;
  if (now == reachable_) return;
  // Logged on changes only: an offline client retries often, and one line per attempt is noise.
  if (answered) {
    if (reachable_ == 0) std::fprintf(stderr, "crm-desktop: %s answers again\n", server_url_.c_str());
  } else {
    std::fprintf(stderr, "crm-desktop: no answer from %s (%s); working offline\n", server_url_.c_str(), why.c_str());
  }
  reachable_ = now;
}

}  // namespace kehu::desktop
