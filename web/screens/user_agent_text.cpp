#include "web/screens/user_agent_text.h"

#include <algorithm>
#include <string_view>

namespace kehu::client {

namespace {

bool has(std::string_view ua, std::string_view token) { return ua.find(token) != std::string_view::npos; }

// The browser, most specific first: Edge, Opera and WeChat's browser also say "Chrome" and "Safari".
std::string browser_of(std::string_view ua) {
  if (has(ua, "MicroMessenger")) return "WeChat";
  if (has(ua, "Edg/") || has(ua, "EdgA/") || has(ua, "EdgiOS/")) return "Edge";
  if (has(ua, "OPR/") || has(ua, "Opera")) return "Opera";
  if (has(ua, "Firefox/") || has(ua, "FxiOS/")) return "Firefox";
  if (has(ua, "Chrome/") || has(ua, "CriOS/") || has(ua, "Chromium/")) return "Chrome";
  if (has(ua, "Safari/") && has(ua, "Version/")) return "Safari";
  if (has(ua, "cpp-httplib")) return "Kehu desktop";  // the desktop client (shell/desktop) sends httplib's
  return "";
}

std::string system_of(std::string_view ua) {
  if (has(ua, "Windows")) return "Windows";
  if (has(ua, "Android")) return "Android";  // before Linux: Android says both
  if (has(ua, "iPhone") || has(ua, "iPod")) return "iOS";
  if (has(ua, "iPad")) return "iPadOS";
  if (has(ua, "CrOS")) return "ChromeOS";
  if (has(ua, "Mac OS X") || has(ua, "Macintosh")) return "macOS";
  if (has(ua, "Linux") || has(ua, "X11")) return "Linux";
  return "";
}

// "curl/8.5.0" -> "curl": the first product token of an agent none of the rules know.
std::string first_product(std::string_view ua) {
  const size_t end = ua.find_first_of("/ ;(");
  std::string out(ua.substr(0, std::min<size_t>(end, 40)));
  return out;
}

}  // namespace

Text user_agent_text(const std::string& user_agent) {
  const std::string browser = browser_of(user_agent), system = system_of(user_agent);
  if (browser.empty() && system.empty()) {
    const std::string product = first_product(user_agent);
    if (product.empty()) return {"未知浏览器", "Unknown browser"};
    return {product, product};
  }
  const Text b = browser == "Kehu desktop" ? Text{"Kehu 桌面客户端", "Kehu desktop"}
                 : browser == "WeChat"     ? Text{"微信", "WeChat"}
                 : browser.empty()         ? Text{"浏览器", "Browser"}
                                           : Text{browser, browser};
  if (system.empty()) return b;
  return {b.zh + " · " + system, b.en + " on " + system};
}

}  // namespace kehu::client
