#include "server/serving_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kehu::server {

namespace {

int open_lock_file(const std::string& db_path) { return ::open((db_path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); }

}  // namespace

Result<ServingLock> ServingLock::take(const std::string& db_path) {
  int fd = open_lock_file(db_path);
  if (fd < 0)
    return Error::make(ErrorCode::storage, {"无法创建锁文件 " + db_path + ".lock", "cannot create the lock file " + db_path + ".lock: " + std::strerror(errno)});
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Error::make(ErrorCode::conflict, {"另一个 crm-server 正在使用数据库 " + db_path, "another crm-server is already serving the database " + db_path});
  }
  return ServingLock(fd);
}

ServingLock::~ServingLock() {
  if (fd_ >= 0) ::close(fd_);  // closing lets the lock go
}

bool database_in_service(const std::string& db_path) {
  int fd = ::open((db_path + ".lock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // never served
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

}  // namespace kehu::server
