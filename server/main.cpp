// main.cpp — crm-server: serve | user add|passwd|list | check | backup | backups | restore | --version.
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/db/sqlite_database.h"
#include "core/schema/migrations.h"
#include "server/app.h"
#include "server/bootstrap.h"
#include "server/cli/backup_command.h"
#include "server/cli/check_command.h"
#include "server/cli/user_command.h"
#include "server/http/client_address.h"
#include "server/idempotency.h"
#include "server/routes/routes.h"
#include "server/serving_lock.h"
#include "server/version.h"

using namespace kehu;
using namespace kehu::server;

namespace {

App* g_app = nullptr;
void on_signal(int) {
  if (g_app) g_app->stop();
}

const char* kUsage =
    "usage: crm-server serve [--port 8080] [--host 0.0.0.0] [--db data/kehu.db] [--static DIR]\n"
    "                        [--tls-cert FILE.pem --tls-key FILE.pem] [--trusted-proxy ADDRESS ...]\n"
    "       crm-server user add|passwd|list ...   (see crm-server user)\n"
    "       crm-server check [--repair] [--folder DIR] [--db data/kehu.db]   (database, backups, statistics)\n"
    "       crm-server backup [--incremental] [--folder DIR] [--db data/kehu.db]\n"
    "       crm-server backups [--folder DIR] [--db data/kehu.db]   (lists them)\n"
    "       crm-server restore NAME [--folder DIR] [--db data/kehu.db]   (with the server stopped)\n"
    "       crm-server --version\n";

// Pulls "--db FILE" out of args (shared by every command).
std::string take_option(std::vector<std::string>& args, const std::string& name, const std::string& fallback) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) {
      std::string v = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      return v;
    }
  }
  return fallback;
}

int serve(std::vector<std::string> args) {
  ServerConfig config;
  config.db_path = take_option(args, "--db", config.db_path);
  config.tls_cert = take_option(args, "--tls-cert", "");
  config.tls_key = take_option(args, "--tls-key", "");
  if (config.tls_cert.empty() != config.tls_key.empty()) {  // before any folder or lock is made
    std::fprintf(stderr, "crm-server: --tls-cert and --tls-key go together\n");
    return 2;
  }
  for (std::string proxy; !(proxy = take_option(args, "--trusted-proxy", "")).empty();) {
    if (!is_ip_literal(proxy)) {
      std::fprintf(stderr, "crm-server: --trusted-proxy takes the proxy's IP address, not %s\n", proxy.c_str());
      return 2;
    }
    config.trusted_proxies.push_back(proxy);
  }
  config.static_dir = take_option(args, "--static", "");
  config.host = take_option(args, "--host", config.host);
  std::string port = take_option(args, "--port", std::to_string(config.port));
  if (!args.empty()) {
    std::fprintf(stderr, "crm-server: unknown argument %s\n%s", args[0].c_str(), kUsage);
    return 2;
  }
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (*end != '\0' || p < 0 || p > 65535) {
    std::fprintf(stderr, "crm-server: --port must be a number from 0 to 65535\n");
    return 2;
  }
  config.port = static_cast<int>(p);
  auto parent = std::filesystem::path(config.db_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);

  // One server per database: a second one (or an offline restore) would pull the file from under it.
  auto serving = ServingLock::take(config.db_path);
  if (!serving.ok()) {
    std::fprintf(stderr, "crm-server: %s\n", serving.error().message.en.c_str());
    return 1;
  }
  // The connection gate holds every open connection without a thread (server/http/connection_gate.h):
  // allow the file descriptors for them, as many as the hard limit permits, keeping 256 for the rest.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &files);
      ::getrlimit(RLIMIT_NOFILE, &files);
    }
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < static_cast<rlim_t>(config.max_connections) + 256)
      config.max_connections = std::max(64, static_cast<int>(files.rlim_cur) - 256);
  }
  auto app = App::create(config);
  if (!app.ok()) {
    std::fprintf(stderr, "crm-server: %s\n", app.error().message.en.c_str());
    return 1;
  }
  auto admin = ensure_first_admin((*app)->db(), (*app)->hasher(), (*app)->clock(), (*app)->random());
  if (!admin.ok()) {
    std::fprintf(stderr, "crm-server: %s\n", admin.error().message.en.c_str());
    return 1;
  }
  if (!admin->empty()) std::printf("%s\n", admin->c_str());
  {
    auto lease = (*app)->db().write();
    (void)forget_expired_replies(lease.db(), (*app)->clock().now_ms());
  }
  register_all_routes(**app);
  int bound = (*app)->bind();
  if (bound < 0) {
    std::fprintf(stderr, "crm-server: cannot listen on %s:%d (in use?)\n", config.host.c_str(), config.port);
    return 1;
  }
  g_app = app->get();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::printf("Kehu %s listening on %s://%s:%d (database %s%s%s)\n", kKehuVersion, config.tls_cert.empty() ? "http" : "https",
              config.host == "0.0.0.0" ? "localhost" : config.host.c_str(), bound, config.db_path.c_str(),
              config.static_dir.empty() ? "" : ", client files ", config.static_dir.c_str());
  std::fflush(stdout);
  (*app)->listen_after_bind();
  g_app = nullptr;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("crm-server %s (SQLite %s, schema %d)\n", kKehuVersion, sqlite_version(), latest_schema_version());
    return 0;
  }
  if (args[0] == "serve") return serve({args.begin() + 1, args.end()});
  if (args[0] == "user") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    std::string db = take_option(rest, "--db", "data/kehu.db");
    return run_user_command(db, rest);
  }
  if (args[0] == "backup" || args[0] == "backups" || args[0] == "restore") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    std::string db = take_option(rest, "--db", "data/kehu.db");
    if (args[0] == "backup") return run_backup_command(db, rest);
    if (args[0] == "backups") return run_backups_command(db, rest);
    return run_restore_command(db, rest);
  }
  if (args[0] == "check") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    std::string db = take_option(rest, "--db", "data/kehu.db");
    return run_check_command(db, rest);
  }
  std::fputs(kUsage, stderr);
  return 2;
}
