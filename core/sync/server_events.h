// server_events.h — reading a Server-Sent Events stream (GET /api/v1/events, SPEC §5) as it arrives.
//
// The text/event-stream format, as far as Kehu's server uses it: messages end with a blank line; a line
// "event: NAME" names the message, "data: TEXT" carries its data (several data lines are joined with
// "\n"), a line starting ":" is a comment (the heartbeat), "retry:" and "id:" are ignored. Lines end
// with LF, CR or CRLF. A message without a name is called "message", as a browser's EventSource calls it.
// For hosts without EventSource (the desktop) and for tests; the browser uses its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kehu {

struct ServerEvent {
  std::string name;
  std::string data;
};

class ServerEventParser {
 public:
  // Takes the next bytes of the stream, in pieces of any size; returns the messages they completed.
  std::vector<ServerEvent> feed(std::string_view bytes);

 private:
  void line(std::string_view text, std::vector<ServerEvent>& out);
  std::string pending_;  // a line not yet ended
  bool after_cr_ = false;  // the last byte was CR: an LF next ends nothing more
  std::string name_, data_;
  bool has_data_ = false, has_field_ = false;
};

}  // namespace kehu
