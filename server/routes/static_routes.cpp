// static_routes.cpp — the web client's files (index.html, crm.js, crm.wasm, fonts) from --static DIR.
//
// Correct media types (application/wasm lets browsers compile while downloading), gzip for text and
// wasm when the browser accepts it (compressed once per file version and kept in memory), and
// revalidation through ETag / If-None-Match (the file names carry no hash, so browsers must ask, and a
// 304 is cheap). Paths are confined to the static folder. Anything under /api/ that no route matched
// is a JSON 404.
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "server/http/http_errors.h"
#include "server/routes/routes.h"

namespace kehu::server {

namespace {

struct MediaType {
  const char* type;
  bool compress;
};

MediaType media_type(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  static const std::unordered_map<std::string, MediaType> kTypes = {
      {".html", {"text/html; charset=utf-8", true}},  {".js", {"text/javascript; charset=utf-8", true}},
      {".mjs", {"text/javascript; charset=utf-8", true}}, {".wasm", {"application/wasm", true}},
      {".css", {"text/css; charset=utf-8", true}},     {".json", {"application/json; charset=utf-8", true}},
      {".svg", {"image/svg+xml", true}},               {".png", {"image/png", false}},
      {".jpg", {"image/jpeg", false}},                 {".ico", {"image/x-icon", true}},
      {".ttf", {"font/ttf", true}},                    {".otf", {"font/otf", true}},
      {".woff2", {"font/woff2", false}},               {".txt", {"text/plain; charset=utf-8", true}},
      {".md", {"text/markdown; charset=utf-8", true}},
  };
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? MediaType{"application/octet-stream", false} : it->second;
}

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct CachedFile {
  std::string etag;
  std::string body;
  std::string gzipped;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::filesystem::weakly_canonical(root).string()) {}

  void serve(const httplib::Request& req, httplib::Response& res) {
    std::string rel = req.path == "/" ? "/index.html" : req.path;
    if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) return not_found(req, res);
    std::filesystem::path full = std::filesystem::weakly_canonical(root_ + rel);
    if (full.string().rfind(root_ + "/", 0) != 0) return not_found(req, res);
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return not_found(req, res);
    std::string etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
                       std::to_string(st.st_mtim.tv_nsec) + "\"";
    MediaType type = media_type(full.string());
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    auto file = load(full.string(), etag, type.compress);
    if (!file) return not_found(req, res);
    bool gz = type.compress && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
    if (type.compress) res.set_header("Vary", "Accept-Encoding");
    if (gz) res.set_header("Content-Encoding", "gzip");
    // Streamed from the cached copy, which the provider keeps alive: a slow reader holds a reference,
    // not a copy of the file (the client's wasm is megabytes; set_content would copy it per answer).
    const size_t size = (gz ? file->gzipped : file->body).size();
    res.set_content_provider(size, type.type, [file, gz](size_t offset, size_t length, httplib::DataSink& sink) {
      const std::string& bytes = gz ? file->gzipped : file->body;
      return offset < bytes.size() && sink.write(bytes.data() + offset, std::min(length, bytes.size() - offset));
    });
  }

 private:
  std::shared_ptr<CachedFile> load(const std::string& path, const std::string& etag, bool compress) {
    std::lock_guard lock(mu_);
    auto& slot = cache_[path];
    if (slot && slot->etag == etag) return slot;
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream ss;
    ss << in.rdbuf();
    auto file = std::make_shared<CachedFile>();
    file->etag = etag;
    file->body = ss.str();
    if (compress) file->gzipped = gzip(file->body);
    slot = file;
    return file;
  }
  static void not_found(const httplib::Request& req, httplib::Response& res) {
    res.status = 404;
    Lang lang = parse_accept_language(req.get_header_value("Accept-Language"));
    res.set_content(error_json(error_for_status(404), lang).dump(), "application/json; charset=utf-8");
  }

  std::string root_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<CachedFile>> cache_;
};

}  // namespace

void register_static_routes(App& app) {
  std::shared_ptr<StaticFiles> files;
  if (!app.config().static_dir.empty()) files = std::make_shared<StaticFiles>(app.config().static_dir);
  app.http().Get(R"(/.*)", [files](const httplib::Request& req, httplib::Response& res) {
    GatedHttpServer::note_handled();
    if (req.path.rfind("/api/", 0) == 0 || !files) {
      res.status = 404;  // the error handler writes the JSON body
      return;
    }
    files->serve(req, res);
  });
}

}  // namespace kehu::server
