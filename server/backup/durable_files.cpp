#include "server/backup/durable_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include <openssl/evp.h>

namespace kehu::server {

namespace {

Error file_error(const std::string& what, const std::string& path, int err = errno) {
  std::string why = std::strerror(err);
  return Error::make(ErrorCode::storage, {"文件" + what + "失败：" + path + "（" + why + "）",
                                          "cannot " + what + " " + path + ": " + why});
}

// An open file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting what close() says (a write error may surface only here).
  int close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

Status sync_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return file_error("open", path);
  if (::fsync(fd.get()) != 0) return file_error("sync", path);
  return ok_status();
}

Status sync_folder(const std::string& path) {
  Fd fd(::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return file_error("open", path);
  if (::fsync(fd.get()) != 0) return file_error("sync", path);
  return ok_status();
}

Status rename_synced(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) return file_error("rename", from);
  return sync_folder(std::filesystem::path(to).parent_path().string());
}

Status copy_file_synced(const std::string& from, const std::string& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return file_error("open", from);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return file_error("create", to);
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return file_error("read", from);
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buffer.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return file_error("write", to);
      done += w;
    }
  }
  if (::fsync(out.get()) != 0) return file_error("sync", to);
  if (out.close() != 0) return file_error("write", to);
  return ok_status();
}

Result<std::string> file_sha256(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return file_error("open", path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return file_error("hash", path, ENOMEM);
  std::vector<unsigned char> buffer(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return file_error("read", path);
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += kHex[digest[i] >> 4], out += kHex[digest[i] & 15];
  return out;
}

Status write_file_synced(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".partial";
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return file_error("create", tmp);
    for (size_t done = 0; done < text.size();) {
      ssize_t w = ::write(fd.get(), text.data() + done, text.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return file_error("write", tmp);
      done += static_cast<size_t>(w);
    }
    if (::fsync(fd.get()) != 0) return file_error("sync", tmp);
    if (fd.close() != 0) return file_error("write", tmp);
  }
  return rename_synced(tmp, path);
}

}  // namespace kehu::server
