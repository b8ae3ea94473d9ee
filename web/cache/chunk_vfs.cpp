#include "web/cache/chunk_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>

namespace kehu::client {

namespace {

struct MemFile {
  // Null: never written (reads as zeros). Shared with a flush's snapshot (take_dirty) until written again:
  // a write to a chunk the snapshot still holds copies it first, so taking a snapshot copies nothing.
  std::vector<std::shared_ptr<uint8_t[]>> chunks;
  int64_t size = 0;
  std::set<uint32_t> dirty;
  bool size_dirty = false;
};

std::map<std::string, std::shared_ptr<MemFile>>& files() {
  static std::map<std::string, std::shared_ptr<MemFile>> all;
  return all;
}

std::shared_ptr<MemFile> file_named(const std::string& name, bool create) {
  auto& all = files();
  auto it = all.find(name);
  if (it != all.end()) return it->second;
  if (!create) return nullptr;
  auto f = std::make_shared<MemFile>();
  all.emplace(name, f);
  return f;
}

uint8_t* chunk_for_write(MemFile& f, uint32_t index) {
  if (f.chunks.size() <= index) f.chunks.resize(index + 1);
  auto& chunk = f.chunks[index];
  if (!chunk) {
    chunk = std::shared_ptr<uint8_t[]>(new uint8_t[kChunkSize]());  // zeroed
  } else if (chunk.use_count() > 1) {
    std::shared_ptr<uint8_t[]> copy(new uint8_t[kChunkSize]);
    std::memcpy(copy.get(), chunk.get(), kChunkSize);
    chunk = std::move(copy);  // the snapshot keeps the old bytes
  }
  return chunk.get();
}

// --- sqlite3_file --------------------------------------------------------------------------------
struct ChunkFile {
  sqlite3_file base;
  MemFile* file;
  std::shared_ptr<MemFile>* keep;  // owned: keeps anonymous (temp) files alive until close
};

MemFile& mem(sqlite3_file* f) { return *reinterpret_cast<ChunkFile*>(f)->file; }

int x_close(sqlite3_file* f) {
  delete reinterpret_cast<ChunkFile*>(f)->keep;
  return SQLITE_OK;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  MemFile& m = mem(f);
  auto* dst = static_cast<uint8_t*>(out);
  int64_t available = std::max<int64_t>(0, std::min<int64_t>(amount, m.size - offset));
  int64_t done = 0;
  while (done < available) {
    int64_t pos = offset + done;
    auto index = static_cast<uint32_t>(pos / static_cast<int64_t>(kChunkSize));
    size_t within = static_cast<size_t>(pos % static_cast<int64_t>(kChunkSize));
    size_t n = std::min<size_t>(kChunkSize - within, static_cast<size_t>(available - done));
    if (index < m.chunks.size() && m.chunks[index]) std::memcpy(dst + done, m.chunks[index].get() + within, n);
    else std::memset(dst + done, 0, n);
    done += static_cast<int64_t>(n);
  }
  if (available < amount) {
    std::memset(dst + available, 0, static_cast<size_t>(amount - available));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* in, int amount, sqlite3_int64 offset) {
  MemFile& m = mem(f);
  const auto* src = static_cast<const uint8_t*>(in);
  int64_t done = 0;
  while (done < amount) {
    int64_t pos = offset + done;
    auto index = static_cast<uint32_t>(pos / static_cast<int64_t>(kChunkSize));
    size_t within = static_cast<size_t>(pos % static_cast<int64_t>(kChunkSize));
    size_t n = std::min<size_t>(kChunkSize - within, static_cast<size_t>(amount - done));
    std::memcpy(chunk_for_write(m, index) + within, src + done, n);
    m.dirty.insert(index);
    done += static_cast<int64_t>(n);
  }
  if (offset + amount > m.size) {
    m.size = offset + amount;
    m.size_dirty = true;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  MemFile& m = mem(f);
  if (size < m.size) {
    size_t keep = static_cast<size_t>((size + static_cast<int64_t>(kChunkSize) - 1) / static_cast<int64_t>(kChunkSize));
    if (m.chunks.size() > keep) m.chunks.resize(keep);
    for (auto it = m.dirty.begin(); it != m.dirty.end();) it = *it >= keep ? m.dirty.erase(it) : std::next(it);
    // Zero the tail of the last kept chunk so a later growth reads zeros, as a real file would.
    if (keep > 0 && m.chunks[keep - 1] && size % static_cast<int64_t>(kChunkSize) != 0) {
      size_t within = static_cast<size_t>(size % static_cast<int64_t>(kChunkSize));
      std::memset(chunk_for_write(m, static_cast<uint32_t>(keep - 1)) + within, 0, kChunkSize - within);
      m.dirty.insert(static_cast<uint32_t>(keep - 1));
    }
  }
  m.size = size;
  m.size_dirty = true;
  return SQLITE_OK;
}

int x_sync(sqlite3_file*, int) { return SQLITE_OK; }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  *size = mem(f).size;
  return SQLITE_OK;
}
int x_lock(sqlite3_file*, int) { return SQLITE_OK; }
int x_unlock(sqlite3_file*, int) { return SQLITE_OK; }
int x_check_reserved(sqlite3_file*, int* out) {
  *out = 0;
  return SQLITE_OK;
}
int x_file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int x_sector_size(sqlite3_file*) { return 4096; }
int x_device_characteristics(sqlite3_file*) { return SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_POWERSAFE_OVERWRITE; }

const sqlite3_io_methods kIoMethods = {
    1,      x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock, x_check_reserved,
    x_file_control, x_sector_size, x_device_characteristics, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

// --- sqlite3_vfs ----------------------------------------------------------------------------------
sqlite3_vfs* base_vfs() {
  static sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  return base;
}

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* out, int flags, int* out_flags) {
  auto* f = reinterpret_cast<ChunkFile*>(out);
  std::shared_ptr<MemFile> file;
  if (name) {
    file = file_named(name, (flags & SQLITE_OPEN_CREATE) != 0);
    if (!file) return SQLITE_CANTOPEN;
  } else {
    file = std::make_shared<MemFile>();  // a temp file: lives until closed
  }
  f->base.pMethods = &kIoMethods;
  f->file = file.get();
  f->keep = new std::shared_ptr<MemFile>(std::move(file));
  if (out_flags) *out_flags = flags;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int) {
  files().erase(name);
  return SQLITE_OK;
}

int x_access(sqlite3_vfs*, const char* name, int, int* out) {
  auto f = file_named(name, false);
  *out = f && f->size > 0;
  return SQLITE_OK;
}

int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  sqlite3_snprintf(n, out, "%s", name);
  return SQLITE_OK;
}

int x_randomness(sqlite3_vfs*, int n, char* out) { return base_vfs()->xRandomness(base_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return base_vfs()->xSleep(base_vfs(), us); }
int x_current_time(sqlite3_vfs*, double* out) { return base_vfs()->xCurrentTime(base_vfs(), out); }
int x_get_last_error(sqlite3_vfs*, int, char*) { return 0; }
int x_current_time64(sqlite3_vfs*, sqlite3_int64* out) { return base_vfs()->xCurrentTimeInt64(base_vfs(), out); }

}  // namespace

Status register_chunk_vfs() {
  static sqlite3_vfs vfs = {
      2, static_cast<int>(sizeof(ChunkFile)), 512, nullptr, kChunkVfsName, nullptr, x_open, x_delete, x_access,
      x_full_pathname, nullptr, nullptr, nullptr, nullptr, x_randomness, x_sleep, x_current_time, x_get_last_error,
      x_current_time64, nullptr, nullptr, nullptr};
  if (sqlite3_vfs_find(kChunkVfsName)) return ok_status();
  if (sqlite3_initialize() != SQLITE_OK || !base_vfs() || sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
    return Error::make(ErrorCode::storage, {"无法初始化本地缓存", "cannot set up the local cache"});
  return ok_status();
}

void load_chunk(const std::string& name, uint32_t index, std::string_view bytes) {
  auto f = file_named(name, true);
  uint8_t* dst = chunk_for_write(*f, index);
  std::memcpy(dst, bytes.data(), std::min(bytes.size(), kChunkSize));
}

void set_loaded_size(const std::string& name, int64_t size) {
  auto f = file_named(name, true);
  f->size = size;
  size_t keep = static_cast<size_t>((size + static_cast<int64_t>(kChunkSize) - 1) / static_cast<int64_t>(kChunkSize));
  if (f->chunks.size() > keep) f->chunks.resize(keep);
  f->dirty.clear();
  f->size_dirty = false;
}

DirtyChunks take_dirty(const std::string& name) {
  DirtyChunks out;
  auto f = file_named(name, false);
  if (!f) return out;
  out.size = f->size;
  for (uint32_t index : f->dirty) {
    if (index >= f->chunks.size() || !f->chunks[index]) continue;
    int64_t start = static_cast<int64_t>(index) * static_cast<int64_t>(kChunkSize);
    size_t len = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kChunkSize), f->size - start));
    out.chunks.push_back({index, f->chunks[index], len});
  }
  f->dirty.clear();
  f->size_dirty = false;
  return out;
}

void mark_dirty_again(const std::string& name, const std::vector<uint32_t>& indices) {
  auto f = file_named(name, false);
  if (!f) return;  // forgotten meanwhile (deleted, or handed to another tab)
  for (uint32_t index : indices)
    if (index < f->chunks.size()) f->dirty.insert(index);
  f->size_dirty = true;
}

bool has_dirty(const std::string& name) {
  auto f = file_named(name, false);
  return f && (!f->dirty.empty() || f->size_dirty);
}

void forget_file(const std::string& name) { files().erase(name); }

int64_t file_size(const std::string& name) {
  auto f = file_named(name, false);
  return f ? f->size : 0;
}

}  // namespace kehu::client
