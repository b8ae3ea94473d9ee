// event_stream.h — the desktop's GET /api/v1/events: one thread keeps the Server-Sent Events stream open
// (web/platform.h listen_events) and posts what it hears to the UI thread.
//
// A broken stream is opened again after 3 s (the server's `retry`), one the server refused (503 when its
// streams are full, 401) after 60 s; meanwhile the client polls. Events are read with core's
// ServerEventParser. Threads: the constructor and destructor on the UI thread; the callbacks run on the
// UI thread through the UiThreadQueue. The destructor ends the stream at once and joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "shell/desktop/ui_thread_queue.h"

namespace httplib {
class Client;
}

namespace kehu::desktop {

class EventStream {
 public:
  EventStream(const std::string& server_url, std::string bearer_token, UiThreadQueue& completions,
              std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

 private:
  void run();
  void post_open(bool open);
  bool pause(int seconds);  // false when stopping

  std::unique_ptr<httplib::Client> client_;
  std::string bearer_token_;
  UiThreadQueue& completions_;
  // Shared with what is posted: a callback queued just before the destructor does nothing afterwards.
  struct Callbacks {
    std::atomic<bool> live{true};
    std::function<void(const std::string&)> on_event;
    std::function<void(bool)> on_open;
  };
  std::shared_ptr<Callbacks> callbacks_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> done_{false};  // run() has returned
  std::thread thread_;
};

}  // namespace kehu::desktop
