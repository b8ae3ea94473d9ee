// failing_vfs.h — SQLite's disk as it fills up or fails, for tests (the way SQLite tests itself: a VFS
// shim over the real one that fails the Nth operation).
//
// While a FailingVfs exists it is SQLite's default VFS, so every connection opened after it (a test
// server's included) goes through it; it passes everything to the real VFS until arm(n, rc): from the
// nth write-side operation on (xWrite, xTruncate, xSync on any file: database, WAL or journal) each
// such operation fails with `rc` (SQLITE_FULL: disk full; SQLITE_IOERR_WRITE: a failing disk) until
// disarm(), as a full disk stays full until space is freed. Reads keep working throughout. One at a
// time per process; not thread-safe to arm while writes run.
#pragma once

#include <atomic>

struct sqlite3_vfs;

namespace kehu::test {

class FailingVfs {
 public:
  FailingVfs();
  ~FailingVfs();
  FailingVfs(const FailingVfs&) = delete;
  FailingVfs& operator=(const FailingVfs&) = delete;

  void arm(int nth, int rc);
  void disarm();
  // Whether an operation has failed since the last arm().
  bool fired() const;
};

}  // namespace kehu::test
