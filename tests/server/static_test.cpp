// The client files: media types, gzip, revalidation, and nothing outside the static folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "test_server.h"

using namespace kehu;
using namespace kehu::test;

namespace {
std::string make_static_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("kehu-static-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "index.html") << "<!doctype html><title>客户管理</title>" << std::string(2000, ' ');
  std::ofstream(dir / "crm.js") << "console.log('kehu');" << std::string(2000, ' ');
  std::ofstream(dir / "crm.wasm", std::ios::binary) << std::string("\0asm\1\0\0\0", 8) << std::string(4000, '\0');
  std::ofstream(dir / "sub" / "font.ttf") << "font";
  std::ofstream(dir.parent_path() / "secret.txt") << "do not serve";
  return dir.string();
}
}  // namespace

TEST_CASE("static files: types, gzip, ETag, confinement") {
  std::string dir = make_static_dir();
  TestServer s([&](server::ServerConfig& c) { c.static_dir = dir; });
  auto index = s.request("GET", "/");
  CHECK(index.status == 200);
  CHECK(index.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(index.raw.find("客户管理") != std::string::npos);
  CHECK(s.request("GET", "/crm.wasm").header("Content-Type") == "application/wasm");
  CHECK(s.request("GET", "/crm.js").header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(s.request("GET", "/sub/font.ttf").header("Content-Type") == "font/ttf");

  auto gz = s.request("GET", "/crm.wasm", "", nullptr, {{"Accept-Encoding", "gzip, deflate"}});
  CHECK(gz.header("Content-Encoding") == "gzip");
  CHECK(gz.raw.substr(0, 2) == "\x1f\x8b");
  CHECK(gz.raw.size() < 200);  // 4 KB of zeros compress to almost nothing
  CHECK(gz.header("Vary") == "Accept-Encoding");
  auto plain = s.request("GET", "/crm.wasm", "", nullptr, {{"Accept-Encoding", "identity"}});
  CHECK(plain.header("Content-Encoding").empty());
  CHECK(plain.raw.size() == 4008);

  std::string etag = index.header("ETag");
  REQUIRE_FALSE(etag.empty());
  CHECK(index.header("Cache-Control") == "no-cache");
  CHECK(s.request("GET", "/", "", nullptr, {{"If-None-Match", etag}}).status == 304);

  for (std::string bad : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/missing.js", "/sub"}) {
    INFO(bad);
    auto r = s.request("GET", bad);
    CHECK(r.status == 404);
    CHECK(r.raw.find("do not serve") == std::string::npos);
  }
  std::filesystem::remove_all(dir);
  std::filesystem::remove(std::filesystem::path(dir).parent_path() / "secret.txt");
}
