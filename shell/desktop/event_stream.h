// event_stream.h — the desktop's GET /api/v1/events: one thread keeps the Server-Sent Events stream open
// (web/platform.h listen_events) and posts what it hears to the UI thread.
//
// A broken stream is opened again after 3 s (the server's `retry`), one the server refused (503 when its
// streams are full, 401) after 60 s; meanwhile the client polls. Events are read with core's
// ServerEventParser. Threads: the constructor and destructor on the UI thread; the callbacks run on the
// UI thread through the UiThreadQueue. The destructor never waits on the network: it closes an open
// stream and lets the thread go (detached); the thread owns what it uses, and posts nothing once the
// destructor has run.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "shell/desktop/ui_thread_queue.h"

namespace kehu::desktop {

class EventStream {
 public:
  EventStream(const std::string& server_url, std::string bearer_token, UiThreadQueue& completions,
              std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

 private:
  struct State;
  static void run(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace kehu::desktop
