// chunk_vfs.h — an SQLite VFS that keeps database files in memory as fixed-size chunks and remembers
// which chunks changed, so a host can persist a cache by writing only those (TOOLCHAIN.md: IDBFS would
// store the whole database file on every flush).
//
// The browser host loads a cache's stored chunks with load_chunk() before opening it, opens it with
// SqliteOptions{.client_cache = true, .vfs = kChunkVfsName}, and after each commit takes the changed
// chunks with take_dirty() and writes them to IndexedDB in one IndexedDB transaction — so the stored copy
// always holds whole SQLite transactions. Files SQLite opens besides the main database (temp files,
// journals — the cache runs journal_mode=MEMORY) live in memory and are never persisted.
// Single-threaded: the client runs on one thread (the browser's main thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace kehu::client {

inline constexpr const char* kChunkVfsName = "kehu-chunks";
inline constexpr size_t kChunkSize = 64 * 1024;

// Registers the VFS with SQLite (idempotent).
Status register_chunk_vfs();

// Seeds file `name` before it is opened: chunk `index` holds bytes [index*kChunkSize, ...). `size` is the
// file's length; chunks past it are ignored. Loaded chunks are not dirty.
void load_chunk(const std::string& name, uint32_t index, std::string_view bytes);
void set_loaded_size(const std::string& name, int64_t size);

struct DirtyChunk {
  uint32_t index = 0;
  std::shared_ptr<const uint8_t[]> bytes;  // the chunk as it was when taken; later writes do not change it
  size_t length = 0;                       // kChunkSize, or less for the file's last chunk
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.get()), length}; }
};
struct DirtyChunks {
  int64_t size = 0;                // the file's length now
  std::vector<DirtyChunk> chunks;  // changed chunks
};
// The chunks of `name` changed since the last call (and its size); clears the dirty marks. A snapshot
// without copying: the chunks are shared, and the file copies a chunk before writing to one still held
// here (copy on write), so taking the whole of a 200 MB cache costs no more than taking one chunk.
DirtyChunks take_dirty(const std::string& name);
bool has_dirty(const std::string& name);
// A flush of these chunks (taken by take_dirty) was not stored: they are dirty again, so the next flush
// carries them with whatever changed since. Without this the next flush would store only the newer
// chunks over a copy that lacks these, a file no commit ever had. Indices past the file's end are ignored.
void mark_dirty_again(const std::string& name, const std::vector<uint32_t>& indices);

// Drops the in-memory file (after the database using it was closed).
void forget_file(const std::string& name);
int64_t file_size(const std::string& name);

}  // namespace kehu::client
