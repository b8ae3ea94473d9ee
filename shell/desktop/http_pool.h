// http_pool.h — the desktop's HTTP transport: a few worker threads running cpp-httplib clients.
//
// The UI thread never blocks on the network: submit() queues a request and returns; a worker sends it
// (each worker has its own keep-alive connection to the one server) and posts the answer to the
// UiThreadQueue, so the callback runs on the UI thread. A request that gets no HTTP answer at all —
// refused, unreachable, timed out, TLS failure — completes with status 0 (web/platform.h).
// Threads: submit() from the UI thread; the destructor aborts requests in flight and joins the workers,
// dropping answers not yet delivered.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shell/desktop/ui_thread_queue.h"
#include "web/platform.h"

namespace httplib {
class Client;
}

namespace kehu::desktop {

struct HttpPoolOptions {
  int workers = 4;                // concurrent requests; more wait in the queue
  int connect_timeout_s = 5;      // an unreachable server shows as status 0 after this long
  int read_write_timeout_s = 60;  // a large sync page on a slow link still fits
};

class HttpPool {
 public:
  // `server_url`: "http://host[:port]" or "https://host[:port]" (normalised by desktop_options).
  HttpPool(const std::string& server_url, UiThreadQueue& completions, HttpPoolOptions options = {});
  ~HttpPool();
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  // Queues `request`; `done` is posted to the UI thread exactly once (unless the pool is destroyed
  // first). `bearer_token`, when not empty, goes out as "Authorization: Bearer …".
  void submit(client::HttpRequest request, std::string bearer_token, client::HttpCallback done);

 private:
  struct Job {
    client::HttpRequest request;
    std::string bearer_token;
    client::HttpCallback done;
  };
  void worker_loop(size_t index);
  client::HttpResponse perform(httplib::Client& cli, const Job& job);
  void note_reachability(bool answered, const std::string& why);
  bool stopping();

  std::string server_url_;
  UiThreadQueue& completions_;
  std::vector<std::unique_ptr<httplib::Client>> clients_;  // one per worker; outlive the threads
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::atomic<int> running_workers_{0};
  std::mutex reach_mutex_;
  int reachable_ = -1;  // -1 unknown, 0 the last request got no answer, 1 it did (for the log only)
};

// The request target as sent: the client's path and query with bytes that may not appear raw in an
// HTTP request line percent-encoded (non-ASCII, controls, space, " < > ` { }), as a browser's fetch()
// does; '%' and every other character are left alone, so already-encoded queries pass unchanged.
std::string encode_request_target(const std::string& path);

}  // namespace kehu::desktop
