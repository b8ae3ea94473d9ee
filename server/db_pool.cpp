#include "server/db_pool.h"

#include "core/schema/migrations.h"
#include "server/backup/backup_restore.h"

namespace kehu::server {

Result<std::unique_ptr<DbPool>> DbPool::open(const std::string& path, int readers) {
  auto pool = std::make_unique<DbPool>();
  pool->path_ = path;
  pool->reader_count_ = readers;
  KEHU_TRY(pool->open_connections());
  return pool;
}

Status DbPool::open_connections() {
  auto writer = SqliteDatabase::open(path_);
  if (!writer.ok()) return writer.take_error();
  auto v = migrate(**writer);
  if (!v.ok()) return v.take_error();
  writer_ = std::move(writer.value());
  for (int i = 0; i < reader_count_; ++i) {
    auto r = SqliteDatabase::open(path_, SqliteOptions{.read_only = true});
    if (!r.ok()) return r.take_error();
    readers_.push_back(std::move(r.value()));
  }
  return ok_status();
}

Status DbPool::replace_file(const std::string& restored, const std::function<Status(Database& live)>& before_swap,
                            std::chrono::milliseconds wait) {
  swapping_ = true;
  std::unique_lock write_lock(write_mu_);
  Status done = ok_status();
  {
    std::unique_lock read_lock(read_mu_);
    if (!read_cv_.wait_for(read_lock, wait, [&] { return static_cast<int>(readers_.size()) == reader_count_; })) {
      done = Error::make(ErrorCode::busy, {"数据库仍在使用中，请稍后再恢复", "the database is still in use; try the restore again shortly"});
    } else if (done = before_swap(*writer_); done.ok()) {
      readers_.clear();
      writer_.reset();
      done = replace_database_file(path_, restored);
      // Opened again whether or not the file was replaced: the server goes on with the database there is.
      auto reopened = open_connections();
      if (done.ok() && !reopened.ok()) done = reopened.take_error();
    }
    swapping_ = false;
  }
  read_cv_.notify_all();
  return done;
}

DbPool::ReadLease DbPool::read() {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [&] { return !swapping_ && !readers_.empty(); });
  auto db = std::move(readers_.back());
  readers_.pop_back();
  return ReadLease(*this, std::move(db));
}

void DbPool::give_back(std::unique_ptr<SqliteDatabase> db) {
  {
    std::lock_guard lock(read_mu_);
    readers_.push_back(std::move(db));
  }
  read_cv_.notify_all();  // a restore waiting for every connection is woken too, not only the next reader
}

}  // namespace kehu::server
