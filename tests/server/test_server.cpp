#include "test_server.h"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <random>

#include "core/db/sqlite_database.h"
#include "core/users/user_store.h"
#include "server/routes/routes.h"

namespace kehu::test {

std::string Response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

TestServer::TestServer(std::function<void(server::ServerConfig&)> configure) : configure_(std::move(configure)) {
  std::random_device rd;
  dir_ = (std::filesystem::temp_directory_path() / ("kehu-server-" + std::to_string(rd()) + std::to_string(rd()))).string();
  std::filesystem::create_directories(dir_);
  start();
}

void TestServer::start() {
  server::ServerConfig config;
  config.db_path = db_path();
  config.host = "127.0.0.1";
  config.port = 0;
  config.workers = 4;
  config.readers = 4;
  config.scheduled_backups = false;  // a test that wants them turns them on
  if (configure_) configure_(config);
  auto app = server::App::create(config);
  REQUIRE(app.ok());
  app_ = std::move(app.value());
  server::register_all_routes(*app_);
  port_ = app_->bind();
  REQUIRE(port_ > 0);
  thread_ = std::thread([this] { app_->listen_after_bind(); });
  app_->http().wait_until_ready();
}

void TestServer::restart() {
  app_->stop();
  thread_.join();
  app_.reset();
  start();
}

TestServer::~TestServer() {
  app_->stop();
  thread_.join();
  app_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int64_t TestServer::add_user(const std::string& username, const std::string& role, bool active) {
  auto lease = app_->db().write();
  auto txn = WriteTxn::begin(lease.db(), app_->clock(), Actor{});
  REQUIRE(txn.ok());
  auto u = create_user(**txn, NewUser{username, username + " 显示名", "", role, active}, app_->hasher().hash("password-123").value());
  REQUIRE(u.ok());
  REQUIRE((*txn)->commit().ok());
  return u->id;
}

std::string TestServer::login(const std::string& username, const std::string& password) {
  auto r = request("POST", "/api/v1/auth/login", "", {{"username", username}, {"password", password}});
  REQUIRE(r.status == 200);
  return r.body["token"].get<std::string>();
}

std::string TestServer::admin_token() {
  if (admin_token_.empty()) {
    add_user("admin", "admin");
    admin_token_ = login("admin");
  }
  return admin_token_;
}

Response TestServer::raw_request(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& content_type, httplib::Headers headers) {
  // https when the server was given a certificate: verified against that certificate, as a browser would.
  httplib::Client client((app_->tls() ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_));
  if (app_->tls()) client.set_ca_cert_path(app_->config().tls_cert.c_str());
  client.set_read_timeout(20, 0);
  client.set_decompress(false);  // tests look at exactly what came over the wire
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  if (!body.empty() || method == "POST" || method == "PATCH") {
    req.body = body;
    req.set_header("Content-Type", content_type);
  }
  auto res = client.send(req);
  REQUIRE_MESSAGE(res, "no answer from the server: " << httplib::to_string(res.error()));
  Response out;
  out.status = res->status;
  out.headers = res->headers;
  out.raw = res->body;
  out.body = nlohmann::json::parse(res->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

Response TestServer::request(const std::string& method, const std::string& path, const std::string& token,
                             const nlohmann::json& body, httplib::Headers headers) {
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return raw_request(method, path, body.is_null() ? std::string() : body.dump(), "application/json", std::move(headers));
}

int TestServer::connect_raw(const char* from) const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  REQUIRE(::inet_pton(AF_INET, from, &local.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

int64_t TestServer::count(const std::string& sql) {
  auto lease = app_->db().read();
  auto r = lease.db().query_int(sql);
  REQUIRE(r.ok());
  return r->value_or(-1);
}

}  // namespace kehu::test
