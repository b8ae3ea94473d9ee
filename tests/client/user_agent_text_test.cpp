// A session's User-Agent as the signed-in devices list shows it (web/screens/user_agent_text.h): the common
// browsers and systems by name, the most specific browser first, anything else by its first product token.
#include <doctest/doctest.h>

#include "web/screens/user_agent_text.h"

using namespace kehu;
using namespace kehu::client;

TEST_CASE("user agents read as a browser on a system") {
  SUBCASE("browsers that also say Chrome and Safari are named as themselves") {
    const Text edge = user_agent_text(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0");
    CHECK(edge.en == "Edge on Windows");
    CHECK(edge.zh == "Edge · Windows");
    CHECK(user_agent_text("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile "
                          "Safari/537.36 MicroMessenger/8.0.50")
              .zh == "微信 · Android");
    CHECK(user_agent_text("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 "
                          "Safari/537.36")
              .en == "Chrome on Linux");
  }
  SUBCASE("Safari, Firefox and the systems") {
    CHECK(user_agent_text("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
                          "Safari/605.1.15")
              .en == "Safari on macOS");
    CHECK(user_agent_text("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                          "Version/17.5 Mobile/15E148 Safari/604.1")
              .en == "Safari on iOS");
    CHECK(user_agent_text("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0").en ==
          "Firefox on Windows");
  }
  SUBCASE("the desktop client, other tools and nothing at all") {
    CHECK(user_agent_text("cpp-httplib/0.18.1").zh == "Kehu 桌面客户端");
    CHECK(user_agent_text("curl/8.5.0").en == "curl");
    CHECK(user_agent_text("node").en == "node");
    CHECK(user_agent_text("").en == "Unknown browser");
    CHECK(user_agent_text("").zh == "未知浏览器");
  }
}
