// db_pool.h — the server's SQLite connections: one writer, several readers (WAL lets them overlap).
//
// SQLite allows one writer at a time; funnelling every write through one connection behind a mutex
// keeps writers in order without busy retries, while readers each have their own connection (and
// statement cache) and never wait for the writer. Leases return connections on destruction.
// Thread-safe.
#pragma once

#include <condition_variable>
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
    explicit WriteLease(DbPool& pool) : lock_(pool.write_mu_), db_(*pool.writer_) {}
    Database& db() { return db_; }

   private:
    std::unique_lock<std::mutex> lock_;
    Database& db_;
  };

  ReadLease read();
  WriteLease write() { return WriteLease(*this); }
  const std::string& path() const { return path_; }

 private:
  void give_back(std::unique_ptr<SqliteDatabase> db);
  std::string path_;
  std::mutex write_mu_;
  std::unique_ptr<SqliteDatabase> writer_;
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteDatabase>> readers_;
};

}  // namespace kehu::server
