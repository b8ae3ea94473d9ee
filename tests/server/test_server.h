// test_server.h — a real server for tests: the full App with every route, a fresh SQLite file, a free
// loopback port, and a real HTTP client (cpp-httplib) talking to it over TCP.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/app.h"

namespace kehu::test {

struct Response {
  int status = 0;
  nlohmann::json body;
  httplib::Headers headers;
  std::string raw;
  std::string header(const std::string& name) const;
};

// "/api/v1/{res}/{id}{tail}": the path of one record, or of a sub-resource with tail "/transition".
inline std::string record_path(const std::string& res, const nlohmann::json& id, const std::string& tail = "") {
  return "/api/v1/" + res + "/" + std::to_string(id.get<int64_t>()) + tail;
}

class TestServer {
 public:
  // `configure` may adjust the config (limits, throttle rules) before start.
  explicit TestServer(std::function<void(server::ServerConfig&)> configure = nullptr);
  ~TestServer();

  int port() const { return port_; }
  server::App& app() { return *app_; }
  std::string db_path() const { return dir_ + "/kehu.db"; }
  std::string dir() const { return dir_; }

  // Adds a user with `role` and password "password-123"; returns its id.
  int64_t add_user(const std::string& username, const std::string& role, bool active = true);
  // Signs in and returns the bearer token (CHECKs success).
  std::string login(const std::string& username, const std::string& password = "password-123");
  std::string admin_token();

  Response request(const std::string& method, const std::string& path, const std::string& token = "",
                   const nlohmann::json& body = nullptr, httplib::Headers headers = {});
  Response raw_request(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type, httplib::Headers headers = {});
  int64_t count(const std::string& sql);
  // A plain TCP connection to the server (a file descriptor the caller closes), for bytes no HTTP client
  // would send: unfinished or malformed requests. `from`: the local address to connect from (any
  // 127.x.y.z works on Linux), so that a test can be two clients at different addresses.
  int connect_raw(const char* from = "127.0.0.1") const;
  // Stops the server and starts it again on the same database (a new port): what a crash and a restart
  // leave behind, minus the crash.
  void restart();

 private:
  void start();
  std::function<void(server::ServerConfig&)> configure_;
  std::string dir_;
  std::unique_ptr<server::App> app_;
  std::thread thread_;
  int port_ = 0;
  std::string admin_token_;
};

}  // namespace kehu::test
