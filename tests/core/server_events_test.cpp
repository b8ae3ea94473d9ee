// server_events_test.cpp — the Server-Sent Events reader (core/sync/server_events.h) against the format's
// rules: pieces of any size, comments, every line ending, joined data lines, unnamed messages.
#include <doctest/doctest.h>

#include "core/sync/server_events.h"

using namespace kehu;

TEST_CASE("server events: the server's own stream, fed one byte at a time") {
  const std::string stream =
      "retry: 3000\nevent: ready\ndata: {\"rev\":7}\n\n: heartbeat\n\nevent: changes\ndata: {\"rev\":9}\n\nevent: stats\ndata: {\"rev\":9}\n\n";
  ServerEventParser parser;
  std::vector<ServerEvent> all;
  for (char c : stream)
    for (auto& e : parser.feed(std::string_view(&c, 1))) all.push_back(e);
  REQUIRE(all.size() == 3);
  CHECK(all[0].name == "ready");
  CHECK(all[0].data == "{\"rev\":7}");
  CHECK(all[1].name == "changes");
  CHECK(all[1].data == "{\"rev\":9}");
  CHECK(all[2].name == "stats");
}

TEST_CASE("server events: line endings, joined data, unnamed messages, incomplete tail") {
  ServerEventParser parser;
  auto events = parser.feed("event: a\r\ndata: one\r\ndata: two\r\n\r\ndata:x\r\rid: 4\nevent: half");
  REQUIRE(events.size() == 2);
  CHECK(events[0].name == "a");
  CHECK(events[0].data == "one\ntwo");
  CHECK(events[1].name == "message");
  CHECK(events[1].data == "x");
  // The last message is not finished until its blank line arrives.
  events = parser.feed("\ndata: 5\n");
  CHECK(events.empty());
  events = parser.feed("\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].name == "half");
  CHECK(events[0].data == "5");
  // A comment alone, or a lone blank line, is no message.
  CHECK(parser.feed(": ping\n\n\n\n").empty());
}
