// desktop_options.h — crm-desktop's command line.
//
//   crm-desktop --server URL [--cache DIR] [--fonts DIR] [--sign-in USER | --kiosk]
//               [--screenshot PNG --screenshot-after-ms N] [--visit PATH=PNG ...]
//
// --server   the crm-server to talk to: http://host[:port] or https://host[:port] (no path).
// --cache    the folder for the cache databases (one per user) and settings.json; default
//            $XDG_DATA_HOME/kehu/<host>_<port> (~/.local/share/...), one folder per server so two
//            servers' users of the same name never share a cache.
// --fonts    the folder holding kehu-ui.ttf and kehu-ui-ext.ttf; default: the build tree's web/fonts
//            (found relative to the executable; see default_font_dirs()).
// --sign-in  signs in as USER at start, with the password from the environment variable KEHU_PASSWORD
//            (never on the command line, where other users of the machine could read it).
// --kiosk    runs as a kiosk display (web/kiosk_display.h) instead of the signed-in client, with the
//            display's token from the environment variable KEHU_KIOSK_TOKEN (as for the password: not on
//            the command line). Cannot go with --sign-in or --visit.
// --screenshot / --screenshot-after-ms: draw for N ms, write the window's pixels to PNG and the test
//            hook's snapshot (test_hook.h) to PNG.json, and exit 0 (for tests under Xvfb).
// --visit    after N ms (and the --screenshot, if any), goes to PATH ("/customers", as the browser's
//            address fragment), draws for 1.5 s and writes the window to PNG and the test hook's snapshot
//            (test_hook.h) to PNG.json; repeatable, in order; exits 0 after the last. Needs
//            --screenshot-after-ms.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kehu::desktop {

struct DesktopOptions {
  std::string server_url;  // normalised: scheme://host[:port], no trailing slash
  std::filesystem::path cache_dir;
  std::vector<std::filesystem::path> font_dirs;  // searched in order
  std::string screenshot_path;                   // empty: run until the window is closed
  int screenshot_after_ms = 0;
  std::string sign_in_user;                      // empty: the login screen as usual
  bool kiosk = false;                            // a kiosk display (token from KEHU_KIOSK_TOKEN)
  struct Visit {
    std::string place;  // an address path: "/customers"
    std::string png;
  };
  std::vector<Visit> visits;
};

struct ParsedOptions {
  std::optional<DesktopOptions> options;  // set when the program should run
  int exit_code = 0;                      // otherwise: exit with this (0 after --help, 2 on bad input)
  std::string message;                    // printed before exiting (usage or the error)
};

// Parses argv. `exe_path` is the running executable (for the default font folder).
ParsedOptions parse_options(const std::vector<std::string>& args, const std::filesystem::path& exe_path);

// "http://h:8080/" -> "http://h:8080"; nullopt for another scheme, a path, or no host.
std::optional<std::string> normalize_server_url(const std::string& url);

// The usage text.
const char* desktop_usage();

}  // namespace kehu::desktop
