#include "failing_vfs.h"

#include <sqlite3.h>

#include <cstring>

namespace kehu::test {

namespace {

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_shim;
std::atomic<int> g_countdown{0};  // 0: disarmed; otherwise write operations left before failing
std::atomic<int> g_rc{SQLITE_OK};
std::atomic<bool> g_fired{false};

// True when this write-side operation must fail (and every one after it, while armed).
bool fail_now() {
  if (g_fired.load()) return true;
  int left = g_countdown.load();
  if (left <= 0) return false;
  if (g_countdown.fetch_sub(1) == 1) {
    g_fired.store(true);
    return true;
  }
  return false;
}

// A shim file: our methods first, the real VFS's file right after.
struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
ShimFile* shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return shim(f)->real(); }

int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) { return real(f)->pMethods->xRead(real(f), out, n, at); }
int x_write(sqlite3_file* f, const void* in, int n, sqlite3_int64 at) {
  if (fail_now()) return g_rc.load();
  return real(f)->pMethods->xWrite(real(f), in, n, at);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (fail_now()) return g_rc.load();
  return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (fail_now()) return (g_rc.load() & 0xFF) == SQLITE_IOERR ? SQLITE_IOERR_FSYNC : g_rc.load();
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return real(f)->pMethods->xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int drop) { return real(f)->pMethods->xShmUnmap(real(f), drop); }
int x_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) { return real(f)->pMethods->xFetch(real(f), at, n, out); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 at, void* p) { return real(f)->pMethods->xUnfetch(real(f), at, p); }

const sqlite3_io_methods kMethods = {3,          x_close,          x_read,        x_write,         x_truncate,
                                     x_sync,     x_file_size,      x_lock,        x_unlock,        x_check_reserved,
                                     x_file_control, x_sector_size, x_device_characteristics, x_shm_map, x_shm_lock,
                                     x_shm_barrier, x_shm_unmap,   x_fetch,       x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  std::memset(f, 0, sizeof(ShimFile));
  int rc = g_real->xOpen(g_real, name, real(f), flags, out_flags);
  // The real file's methods decide which of ours apply; none when it did not open.
  f->pMethods = real(f)->pMethods ? &kMethods : nullptr;
  return rc;
}

}  // namespace

FailingVfs::FailingVfs() {
  g_real = sqlite3_vfs_find(nullptr);
  g_shim = *g_real;
  g_shim.zName = "kehu-failing";
  g_shim.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_real->szOsFile;
  g_shim.xOpen = x_open;
  g_shim.pNext = nullptr;
  sqlite3_vfs_register(&g_shim, 1);
}

FailingVfs::~FailingVfs() {
  disarm();
  sqlite3_vfs_register(g_real, 1);
  sqlite3_vfs_unregister(&g_shim);
}

void FailingVfs::arm(int nth, int rc) {
  g_fired.store(false);
  g_rc.store(rc);
  g_countdown.store(nth);
}

void FailingVfs::disarm() {
  g_countdown.store(0);
  g_fired.store(false);
}

bool FailingVfs::fired() const { return g_fired.load(); }

}  // namespace kehu::test
