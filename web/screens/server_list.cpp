#include "web/screens/server_list.h"

#include "web/ui/server_message.h"

namespace kehu::client {

void ServerList::answered(int generation, const Ui& ui, const HttpResponse& answer) {
  if (generation != generation_) return;
  loading_ = false;
  const nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, false);
  if (answer.status == 200 && body.is_object() && shape_ == Shape::document) {
    items_ = body;
    new_answer_ = true;
    error_.clear();
    return;
  }
  if (answer.status == 200 && body.is_object() && body.value("items", nlohmann::json()).is_array()) {
    items_ = body["items"];
    new_answer_ = true;
    error_.clear();
    return;
  }
  error_ = server_message(ui, answer);
  // No answer at all: asked again on the next change the sync reports (coming back online is one), not
  // on the next frame, which would ask as fast as frames are drawn.
}

void ServerList::clear() {
  ++generation_;
  loading_ = false;
  items_ = shape_ == Shape::document ? nlohmann::json() : nlohmann::json::array();
  new_answer_ = false;
  error_.clear();
  stale_ = true;
}

}  // namespace kehu::client
