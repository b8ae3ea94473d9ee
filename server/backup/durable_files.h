// durable_files.h — the file operations backups need to survive a power cut: syncing a file and the
// folder that names it, renaming into place, copying, and hashing a file without holding it in memory.
//
// A backup is only a backup once its bytes are on the disk: a file is fsync'ed before it is renamed to
// its final name, and the folder after, so a crash leaves either the old state or the whole new file.
// Errors name the file and what the system said.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace kehu::server {

Status sync_file(const std::string& path);
Status sync_folder(const std::string& path);
// Renames `from` to `to` (same file system) and syncs the folder of `to`.
Status rename_synced(const std::string& from, const std::string& to);
// Copies `from` to `to` (replacing it) and syncs it.
Status copy_file_synced(const std::string& from, const std::string& to);
// While alive, starts the write-back of `path` every 100 ms on a thread of its own, so a file being
// written fast (a backup of a gigabyte) never holds enough dirty pages that the kernel throttles every
// writer of the machine (the database's commits among them) to catch up.
class BackgroundWriteback {
 public:
  explicit BackgroundWriteback(const std::string& path);
  ~BackgroundWriteback();
  BackgroundWriteback(const BackgroundWriteback&) = delete;
  BackgroundWriteback& operator=(const BackgroundWriteback&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Lower-case hex SHA-256 of the file's bytes, read 1 MiB at a time.
Result<std::string> file_sha256(const std::string& path);
// Writes `text` to `path` durably: a temporary file beside it, synced, renamed over it.
Status write_file_synced(const std::string& path, const std::string& text);

}  // namespace kehu::server
