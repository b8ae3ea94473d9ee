#include "shell/desktop/desktop_options.h"

#include <cstdlib>
#include <regex>

namespace kehu::desktop {

namespace {

struct UrlParts {
  std::string scheme, host, port;  // port "" when not given
};

std::optional<UrlParts> split_server_url(const std::string& url) {
  static const std::regex re(R"(^(https?)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?/?$)");
  std::smatch m;
  if (!std::regex_match(url, m, re)) return std::nullopt;
  UrlParts parts{m[1].str(), m[2].str(), m[3].matched ? m[3].str() : ""};
  if (!parts.port.empty()) {
    long port = std::strtol(parts.port.c_str(), nullptr, 10);
    if (port < 1 || port > 65535) return std::nullopt;
  }
  return parts;
}

// "http://127.0.0.1:8080" -> "127.0.0.1_8080", for the default cache folder.
std::string folder_name_for(const UrlParts& url) {
  std::string port = !url.port.empty() ? url.port : url.scheme == "https" ? "443" : "80";
  std::string out;
  for (char c : url.host + "_" + port) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    out += safe ? c : '_';
  }
  return out;
}

std::filesystem::path default_cache_dir(const std::string& url) {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "share";
  } else {
    base = ".";
  }
  return base / "kehu" / folder_name_for(*split_server_url(url));
}

// The build tree puts the executable at build/shell/desktop/crm-desktop and the web files (which the
// fonts are part of) at build/web; an installed layout would have bin/ next to share/kehu/.
std::vector<std::filesystem::path> default_font_dirs(const std::filesystem::path& exe_path) {
  std::filesystem::path dir = exe_path.parent_path();
  return {dir / ".." / ".." / "web" / "fonts", dir / ".." / "web" / "fonts", dir / "fonts",
          dir / ".." / "share" / "kehu" / "fonts"};
}

}  // namespace

const char* desktop_usage() {
  return "usage: crm-desktop --server URL [--cache DIR] [--fonts DIR] [--sign-in USER | --kiosk]\n"
         "                   [--screenshot PNG --screenshot-after-ms N] [--visit PATH=PNG ...]\n"
         "  --server URL   crm-server address: http://host[:port] or https://host[:port]\n"
         "  --cache DIR    folder for the local cache and settings (default ~/.local/share/kehu/HOST_PORT)\n"
         "  --fonts DIR    folder with kehu-ui.ttf and kehu-ui-ext.ttf (default: web/fonts of the build)\n"
         "  --sign-in USER sign in as USER at start; the password is read from KEHU_PASSWORD\n"
         "  --kiosk        run as a kiosk display; its token is read from KEHU_KIOSK_TOKEN\n"
         "  --screenshot PNG --screenshot-after-ms N   write the window to PNG after N ms, then exit\n"
         "  --visit PATH=PNG   then go to PATH (e.g. /customers), write PNG and PNG.json; repeatable\n";
}

std::optional<std::string> normalize_server_url(const std::string& url) {
  auto parts = split_server_url(url);
  if (!parts) return std::nullopt;
  return parts->scheme + "://" + parts->host + (parts->port.empty() ? "" : ":" + parts->port);
}

ParsedOptions parse_options(const std::vector<std::string>& args, const std::filesystem::path& exe_path) {
  auto fail = [](std::string why) {
    ParsedOptions p;
    p.exit_code = 2;
    p.message = "crm-desktop: " + why + "\n" + desktop_usage();
    return p;
  };
  DesktopOptions o;
  std::string cache, fonts, after_ms, visit;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      ParsedOptions p;
      p.message = desktop_usage();
      return p;
    }
    if (a == "--kiosk") {
      o.kiosk = true;
      continue;
    }
    std::string* target = a == "--server"                ? &o.server_url
                          : a == "--cache"               ? &cache
                          : a == "--fonts"               ? &fonts
                          : a == "--screenshot"          ? &o.screenshot_path
                          : a == "--screenshot-after-ms" ? &after_ms
                          : a == "--sign-in"             ? &o.sign_in_user
                          : a == "--visit"               ? &visit
                                                         : nullptr;
    if (!target) return fail("unknown argument " + a);
    if (i + 1 >= args.size() || args[i + 1].empty()) return fail(a + " needs a value");
    *target = args[++i];
    if (target == &visit) {
      const size_t eq = visit.find('=');
      if (eq == std::string::npos || eq == 0 || visit[0] != '/' || eq + 1 == visit.size())
        return fail("--visit must look like /customers=customers.png, not " + visit);
      o.visits.push_back({visit.substr(0, eq), visit.substr(eq + 1)});
    }
  }
  if (o.server_url.empty()) return fail("--server is required");
  if (o.kiosk && !o.sign_in_user.empty()) return fail("--kiosk and --sign-in cannot go together: a kiosk display signs in no one");
  if (o.kiosk && !o.visits.empty()) return fail("--kiosk and --visit cannot go together: a kiosk display has no places to visit");
  auto url = normalize_server_url(o.server_url);
  if (!url) return fail("--server must look like http://host[:port] or https://host[:port], not " + o.server_url);
  o.server_url = *url;
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  if (o.server_url.rfind("https://", 0) == 0) return fail("this build has no HTTPS support (built without OpenSSL)");
#endif
  o.cache_dir = cache.empty() ? default_cache_dir(o.server_url) : std::filesystem::path(cache);
  o.font_dirs = fonts.empty() ? default_font_dirs(exe_path) : std::vector<std::filesystem::path>{fonts};
  if (o.screenshot_path.empty() && o.visits.empty() && !after_ms.empty()) return fail("--screenshot-after-ms needs --screenshot or --visit");
  if (!o.screenshot_path.empty() && after_ms.empty()) return fail("--screenshot and --screenshot-after-ms go together");
  if (!o.visits.empty() && after_ms.empty()) return fail("--visit needs --screenshot-after-ms (how long to wait before the first)");
  if (!after_ms.empty()) {
    char* end = nullptr;
    long ms = std::strtol(after_ms.c_str(), &end, 10);
    if (*end != '\0' || ms < 0 || ms > 3600 * 1000) return fail("--screenshot-after-ms must be 0 to 3600000");
    o.screenshot_after_ms = static_cast<int>(ms);
  }
  ParsedOptions p;
  p.options = std::move(o);
  return p;
}

}  // namespace kehu::desktop
