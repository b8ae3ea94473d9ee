#include "shell/desktop/desktop_platform.h"

#include <ctime>

#include <GLFW/glfw3.h>

#include <cstdio>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <system_error>

#include "core/db/sqlite_database.h"

namespace kehu::desktop {

std::string cache_file_stem(const std::string& name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                (c == '.' && i > 0);
    if (safe) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out.empty() ? "%" : out;
}

DesktopPlatform::DesktopPlatform(GLFWwindow* window, const std::string& server_url, std::filesystem::path cache_dir)
    : window_(window),
      cache_dir_(std::move(cache_dir)),
      completions_([] { glfwPostEmptyEvent(); }),
      settings_(cache_dir_ / "settings.json"),
      server_url_(server_url),
      http_(server_url, completions_) {}

DesktopPlatform::~DesktopPlatform() = default;

void DesktopPlatform::send(client::HttpRequest request, client::HttpCallback done) {
  http_.submit(std::move(request), bearer_token_, std::move(done));
}

void DesktopPlatform::download(const std::string& path, const std::string& file_name) {
  client::HttpRequest request;
  request.path = path;
  // The name is the server's; only its last part is used, so nothing lands outside the directory.
  std::string name = std::filesystem::path(file_name).filename().string();
  if (name.empty() || name == "." || name == "..") name = "download";
  http_.submit(std::move(request), bearer_token_, [name](client::HttpResponse answer) {
    if (answer.status != 200) {
      std::fprintf(stderr, "crm-desktop: download of %s failed (HTTP %d)\n", name.c_str(), answer.status);
      return;
    }
    std::ofstream out(name, std::ios::binary);
    out << answer.body;
    std::fprintf(stderr, out ? "crm-desktop: saved %s\n" : "crm-desktop: could not write %s\n", name.c_str());
  });
}

int DesktopPlatform::listen_events(std::function<void(const std::string&)> on_event, std::function<void(bool)> on_open) {
  // A new listener gets a stream of its own (with the current token): its `ready` says where to pull from.
  events_.reset();
  events_ = std::make_unique<EventStream>(server_url_, bearer_token_, completions_, std::move(on_event), std::move(on_open));
  return ++events_listener_;
}

void DesktopPlatform::stop_events(int listener) {
  if (listener == events_listener_) events_.reset();
}

std::filesystem::path DesktopPlatform::cache_path(const std::string& name) const {
  return cache_dir_ / (cache_file_stem(name) + ".db");
}

void DesktopPlatform::open_cache(const std::string& name, client::CacheCallback done) {
  using CacheResult = Result<std::unique_ptr<Database>>;
  std::error_code ec;
  std::filesystem::create_directories(cache_dir_, ec);  // a failure shows as the open's error below

  SqliteOptions options;
  options.client_cache = true;
  options.wal = false;
  auto opened = SqliteDatabase::open(cache_path(name).string(), options);
  // std::function needs a copyable callable: the move-only result travels in a shared_ptr.
  auto result = std::make_shared<CacheResult>(opened.ok() ? CacheResult(std::unique_ptr<Database>(std::move(*opened)))
                                                          : CacheResult(opened.take_error()));
  if (!result->ok()) std::fprintf(stderr, "crm-desktop: %s\n", result->error().message.en.c_str());
  completions_.post([done = std::move(done), result] { done(std::move(*result)); });
}

void DesktopPlatform::delete_cache(const std::string& name) {
  std::filesystem::path db = cache_path(name);
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::filesystem::path p = db;
    p += suffix;
    std::error_code ec;
    std::filesystem::remove(p, ec);
    if (ec) std::fprintf(stderr, "crm-desktop: cannot delete %s: %s\n", p.string().c_str(), ec.message().c_str());
  }
}

int DesktopPlatform::utc_offset_minutes() const {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

int64_t DesktopPlatform::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

double DesktopPlatform::monotonic_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void DesktopPlatform::set_clipboard(const std::string& text) { glfwSetClipboardString(window_, text.c_str()); }

void DesktopPlatform::open_page(const std::string& path) {
  // The system's browser (xdg-open), started without a shell so the address is one argument as it is.
  const std::string url = server_url_ + "/" + path;
  char* const argv[] = {const_cast<char*>("xdg-open"), const_cast<char*>(url.c_str()), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0) {
    std::fprintf(stderr, "crm-desktop: could not start xdg-open for %s\n", url.c_str());
    return;
  }
  // Reaped by a thread of its own, so no zombie is left and no process-wide signal setting changes.
  std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
}

}  // namespace kehu::desktop
