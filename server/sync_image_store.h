// sync_image_store.h — the sync image (core/sync/sync_image.h) GET /api/v1/sync/image serves, built
// once and shared by the clients that start a first sync around the same time.
//
// Building an image of 100k customers + 200k contacts takes the server a few seconds (copy, then the
// index merge) and 200 MB of disk, so the store keeps the last one: it is reused while nothing was written since, or while it is
// younger than kMaxAgeSeconds (a client continues from the image's rev with GET /sync, so a slightly old
// image costs it only a few pages). The file is unlinked as soon as it is opened: an image being
// downloaded stays readable through its descriptor after a newer one replaces it, and nothing is left on
// disk when the server stops. Thread-safe: one build at a time; requests that arrive during a build
// wait for it and share its result.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/db/database.h"
#include "core/result.h"

namespace kehu::server {

// An open, unlinked image file: readable with pread() until the last holder lets go.
class SyncImageFile {
 public:
  SyncImageFile(int fd, int64_t size, int64_t rev, double built_at) : fd_(fd), size_(size), rev_(rev), built_at_(built_at) {}
  ~SyncImageFile();
  SyncImageFile(const SyncImageFile&) = delete;
  SyncImageFile& operator=(const SyncImageFile&) = delete;

  int fd() const { return fd_; }
  int64_t size() const { return size_; }
  int64_t rev() const { return rev_; }
  double built_at() const { return built_at_; }  // steady-clock seconds

 private:
  int fd_;
  int64_t size_, rev_;
  double built_at_;
};

class SyncImageStore {
 public:
  static constexpr double kMaxAgeSeconds = 300;

  // `db_path`: the server's database file; images are built next to it (same disk). Removes images a
  // crashed server left there (only one server runs on a database file).
  explicit SyncImageStore(std::string db_path);

  // The image to send now, given the database's current rev. Call without holding a read connection:
  // requests wait here while an image is built.
  Result<std::shared_ptr<const SyncImageFile>> current(int64_t current_rev);
  // For a restore: waits for a build running now, drops the kept image (it is of the database being
  // replaced) and keeps new builds waiting until the returned lock is released, after the swap.
  std::unique_lock<std::mutex> pause();

 private:
  Result<std::shared_ptr<const SyncImageFile>> build();

  std::string db_path_;
  std::mutex mu_;
  std::shared_ptr<const SyncImageFile> image_;
};

}  // namespace kehu::server
