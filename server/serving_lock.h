// serving_lock.h — "a server is running on this database": an exclusive flock() on DB_PATH.lock, taken by
// `crm-server serve` and held while it runs. The kernel lets it go when the process ends, however it
// ends, so a crash leaves no stale mark. A second server on the same database, and an offline restore
// (which replaces the file under a running server), are refused while it is held; online backups,
// `user` and `check` need no lock (SQLite's own locking keeps them safe beside a server).
#pragma once

#include <string>

#include "core/result.h"

namespace kehu::server {

class ServingLock {
 public:
  // Takes the lock for `db_path`; ErrorCode::conflict when another process holds it.
  static Result<ServingLock> take(const std::string& db_path);
  ServingLock(ServingLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ServingLock& operator=(ServingLock&&) = delete;
  ~ServingLock();

 private:
  explicit ServingLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Whether a server holds the lock of `db_path` now (a restore asks before touching anything).
bool database_in_service(const std::string& db_path);

}  // namespace kehu::server
