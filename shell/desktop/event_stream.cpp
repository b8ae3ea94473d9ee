#include "shell/desktop/event_stream.h"

#include <httplib.h>

#include <chrono>

#include "core/sync/server_events.h"

namespace kehu::desktop {

namespace {
constexpr int kReconnectSeconds = 3;   // as the server's `retry: 3000`
constexpr int kRefusedSeconds = 60;    // as its Retry-After on 503
constexpr int kReadTimeoutSeconds = 45;  // three missed heartbeats (15 s each): the stream is dead
}  // namespace

EventStream::EventStream(const std::string& server_url, std::string bearer_token, UiThreadQueue& completions,
                         std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open)
    : client_(std::make_unique<httplib::Client>(server_url)), bearer_token_(std::move(bearer_token)),
      completions_(completions), callbacks_(std::make_shared<Callbacks>()) {
  callbacks_->on_event = std::move(on_event);
  callbacks_->on_open = std::move(on_open);
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(kReadTimeoutSeconds, 0);
  thread_ = std::thread([this] { run(); });
}

EventStream::~EventStream() {
  callbacks_->live = false;
  stopping_ = true;
  wake_.notify_all();
  // stop() shuts the socket of the stream in flight; repeated in case the thread was between connects.
  while (!done_.load()) {
    client_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  thread_.join();
}

void EventStream::post_open(bool open) {
  completions_.post([callbacks = callbacks_, open] {
    if (callbacks->live) callbacks->on_open(open);
  });
}

bool EventStream::pause(int seconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return stopping_.load(); });
  return !stopping_;
}

void EventStream::run() {
  while (!stopping_) {
    ServerEventParser parser;
    bool opened = false, refused = false;
    httplib::Headers headers = {{"Accept", "text/event-stream"}};
    if (!bearer_token_.empty()) headers.emplace("Authorization", "Bearer " + bearer_token_);
    client_->Get(
        "/api/v1/events", headers,
        [&](const httplib::Response& response) {
          opened = response.status == 200;
          refused = !opened;
          if (opened) post_open(true);
          return opened;  // a refusal's body is not needed
        },
        [&](const char* data, size_t length) {
          for (auto& event : parser.feed(std::string_view(data, length)))
            completions_.post([callbacks = callbacks_, name = event.name] {
              if (callbacks->live) callbacks->on_event(name);
            });
          return !stopping_.load();
        });
    if (stopping_) break;
    post_open(false);
    if (!pause(refused ? kRefusedSeconds : kReconnectSeconds)) break;
  }
  done_ = true;
}

}  // namespace kehu::desktop
