// db_pool.h — the server's SQLite connections: one writer, several readers (WAL lets them overlap).
//
// SQLite allows one writer at a time; funnelling every write through one connection behind a mutex
// keeps writers in order without busy retries, while readers each have their own connection (and
// statement cache) and never wait for the writer. Leases return connections on destruction; a write
// lease first runs the after-write hook (the change feed of GET /events reads the committed rev there).
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/db/sqlite_database.h"

namespace kehu::server {

class DbPool {
 public:
  // Opens (creating if needed) and migrates the database file.
  static Result<std::unique_ptr<DbPool>> open(const std::string& path, int readers);

  class ReadLease {
   public:
    ReadLease(DbPool& pool, std::unique_ptr<SqliteDatabase> db) : pool_(pool), db_(std::move(db)) {}
    ~ReadLease() { pool_.give_back(std::move(db_)); }
    Database& db() { return *db_; }

   private:
    DbPool& pool_;
    std::unique_ptr<SqliteDatabase> db_;
  };
  class WriteLease {
   public:
    explicit WriteLease(DbPool& pool) : pool_(pool), lock_(pool.write_mu_), db_(*pool.writer_) {}
    ~WriteLease() {
      if (pool_.after_write_) pool_.after_write_(db_);  // still holding the writer: no commit can slip in
    }
    WriteLease(const WriteLease&) = delete;
    WriteLease& operator=(const WriteLease&) = delete;
    Database& db() { return db_; }

   private:
    DbPool& pool_;
    std::unique_lock<std::mutex> lock_;
    Database& db_;
  };

  ReadLease read();
  WriteLease write() { return WriteLease(*this); }
  const std::string& path() const { return path_; }
  // Runs at the end of every write lease, on the writer connection, outside any transaction of the
  // lease's holder. Set once, before the pool is shared between threads.
  void set_after_write(std::function<void(Database&)> hook) { after_write_ = std::move(hook); }

  // Puts the database file `restored` (same folder) in place of the pool's file, for a restore: new
  // reads wait and swapping() is true meanwhile (the HTTP layer refuses writes with 503 then); once
  // every connection is back, `before_swap` runs on the writer (still the old database), every
  // connection is closed, the file replaced (backup_restore.h) and the connections opened again. Error,
  // with nothing replaced, when a read lease is not given back within `wait`.
  Status replace_file(const std::string& restored, const std::function<Status(Database& live)>& before_swap,
                      std::chrono::milliseconds wait = std::chrono::seconds(10));
  bool swapping() const { return swapping_; }

 private:
  void give_back(std::unique_ptr<SqliteDatabase> db);
  Status open_connections();
  std::string path_;
  int reader_count_ = 0;
  std::atomic<bool> swapping_{false};
  std::mutex write_mu_;
  std::unique_ptr<SqliteDatabase> writer_;
  std::function<void(Database&)> after_write_;
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteDatabase>> readers_;
};

}  // namespace kehu::server
