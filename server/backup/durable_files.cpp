#include "server/backup/durable_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "server/auth/crypto.h"

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

// fsync, gently. A gigabyte written by a backup sits in the page cache until synced; one fsync would
// queue all of it at once, and the database's own commits (synchronous=FULL) would wait behind it for
// hundreds of milliseconds. Written back 16 MiB at a time first, a commit waits for one piece at most.
Status sync_fd(int fd, const std::string& path) {
  constexpr off_t kPiece = 16 << 20;
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    for (off_t at = 0; at < st.st_size; at += kPiece)
      ::sync_file_range(fd, at, kPiece, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  }
  if (::fsync(fd) != 0) return file_error("sync", path);
  return ok_status();
}

}  // namespace

Status sync_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return file_error("open", path);
  return sync_fd(fd.get(), path);
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
  KEHU_TRY(sync_fd(out.get(), to));
  if (out.close() != 0) return file_error("write", to);
  return ok_status();
}

struct BackgroundWriteback::State {
  std::string path;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
};

BackgroundWriteback::BackgroundWriteback(const std::string& path) : state_(std::make_unique<State>()) {
  state_->path = path;
  state_->thread = std::thread([s = state_.get()] {
    std::unique_lock lock(s->mu);
    while (!s->cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return s->stop; })) {
      int fd = ::open(s->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;  // not created yet
      ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // start write-back of what is dirty; do not wait
      ::close(fd);
    }
  });
}

BackgroundWriteback::~BackgroundWriteback() {
  {
    std::lock_guard lock(state_->mu);
    state_->stop = true;
  }
  state_->cv.notify_all();
  state_->thread.join();
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
  return hex_of(digest, len);
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
