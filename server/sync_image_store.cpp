#include "server/sync_image_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/sync/sync_image.h"

namespace kehu::server {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Error unavailable(const std::string& why) {
  return Error::make(ErrorCode::storage, {"无法准备同步数据：" + why, "cannot prepare the sync data: " + why});
}

}  // namespace

SyncImageFile::~SyncImageFile() { ::close(fd_); }

SyncImageStore::SyncImageStore(std::string db_path) : db_path_(std::move(db_path)) {
  if (db_path_.empty() || db_path_ == ":memory:") return;
  namespace fs = std::filesystem;
  const fs::path db(db_path_);
  const std::string prefix = db.filename().string() + ".sync-image-";
  std::error_code ec;
  const fs::path dir = db.has_parent_path() ? db.parent_path() : fs::path(".");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
  }
}

Result<std::shared_ptr<const SyncImageFile>> SyncImageStore::current(int64_t current_rev) {
  std::lock_guard lock(mu_);
  if (image_ && (image_->rev() == current_rev || steady_seconds() - image_->built_at() < kMaxAgeSeconds))
    return image_;
  auto built = build();
  if (!built.ok()) return built.take_error();
  image_ = *built;
  return image_;
}

std::unique_lock<std::mutex> SyncImageStore::pause() {
  std::unique_lock lock(mu_);
  image_.reset();
  return lock;
}

Result<std::shared_ptr<const SyncImageFile>> SyncImageStore::build() {
  if (db_path_.empty() || db_path_ == ":memory:") return unavailable("the database is not a file");
  // One build at a time (mu_), so one name per server process. A failed build leaves nothing
  // (write_sync_image); one cut short by a crash is removed at the next start (the constructor).
  const std::string path = db_path_ + ".sync-image-" + std::to_string(::getpid());
  auto rev = write_sync_image(db_path_, path);
  if (!rev.ok()) return rev.take_error();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::remove(path.c_str());  // the open descriptor keeps the file's data
  if (fd < 0) return unavailable("cannot open " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return unavailable("cannot read the size of " + path);
  }
  return std::shared_ptr<const SyncImageFile>(std::make_shared<SyncImageFile>(fd, static_cast<int64_t>(st.st_size), *rev, steady_seconds()));
}

}  // namespace kehu::server
