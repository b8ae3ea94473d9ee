#include "shell/desktop/event_stream.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/sync/server_events.h"

namespace kehu::desktop {

namespace {
constexpr int kReconnectSeconds = 3;     // as the server's `retry: 3000`
constexpr int kRefusedSeconds = 60;      // as its Retry-After on 503
constexpr int kReadTimeoutSeconds = 45;  // three missed heartbeats (15 s each): the stream is dead
}  // namespace

// Shared by the UI thread and the stream's thread; outlives whichever ends last.
struct EventStream::State {
  httplib::Client client;
  std::string bearer_token;
  UiThreadQueue* completions = nullptr;
  std::function<void(const std::string&)> on_event;  // called on the UI thread only
  std::function<void(bool)> on_open;
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;   // under mu: set by the destructor; nothing is posted afterwards
  bool streaming = false;  // under mu: a response is being read (stop() then waits for no connect)

  explicit State(const std::string& url) : client(url) {}

  // Queues `fn` for the UI thread unless the stream is stopping: the queue may be gone after that.
  void post(std::function<void()> fn) {
    std::lock_guard lock(mu);
    if (!stopping) completions->post(std::move(fn));
  }
};

EventStream::EventStream(const std::string& server_url, std::string bearer_token, UiThreadQueue& completions,
                         std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open)
    : state_(std::make_shared<State>(server_url)) {
  state_->bearer_token = std::move(bearer_token);
  state_->completions = &completions;
  state_->on_event = std::move(on_event);
  state_->on_open = std::move(on_open);
  state_->client.set_connection_timeout(5, 0);
  state_->client.set_read_timeout(kReadTimeoutSeconds, 0);
  std::thread(run, state_).detach();
}

EventStream::~EventStream() {
  bool streaming = false;
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    streaming = state_->streaming;
  }
  state_->wake.notify_all();
  // An open stream is shut now. A connect under way is not interrupted (httplib's stop() would wait for
  // it, up to the connect timeout, on this thread): the thread sees `stopping` when it returns.
  if (streaming) state_->client.stop();
}

void EventStream::run(std::shared_ptr<State> state) {
  for (;;) {
    {
      std::lock_guard lock(state->mu);
      if (state->stopping) return;
    }
    ServerEventParser parser;
    bool refused = false;
    httplib::Headers headers = {{"Accept", "text/event-stream"}};
    if (!state->bearer_token.empty()) headers.emplace("Authorization", "Bearer " + state->bearer_token);
    auto is_stopping = [&state] {
      std::lock_guard lock(state->mu);
      return state->stopping;
    };
    state->client.Get(
        "/api/v1/events", headers,
        [&](const httplib::Response& response) {
          refused = response.status != 200;
          if (refused) return false;  // a refusal's body is not needed
          {
            std::lock_guard lock(state->mu);
            if (state->stopping) return false;
            state->streaming = true;
          }
          state->post([state] {
            if (!state->stopping) state->on_open(true);
          });
          return true;
        },
        [&](const char* data, size_t length) {
          for (auto& event : parser.feed(std::string_view(data, length)))
            state->post([state, name = event.name] {
              if (!state->stopping) state->on_event(name);
            });
          return !is_stopping();
        });
    std::unique_lock lock(state->mu);
    state->streaming = false;
    if (state->stopping) return;
    state->completions->post([state] {
      if (!state->stopping) state->on_open(false);
    });
    state->wake.wait_for(lock, std::chrono::seconds(refused ? kRefusedSeconds : kReconnectSeconds), [&state] { return state->stopping; });
  }
}

}  // namespace kehu::desktop
