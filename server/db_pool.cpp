#include "server/db_pool.h"

#include "core/schema/migrations.h"

namespace kehu::server {

Result<std::unique_ptr<DbPool>> DbPool::open(const std::string& path, int readers) {
  auto pool = std::make_unique<DbPool>();
  pool->path_ = path;
  auto writer = SqliteDatabase::open(path);
  if (!writer.ok()) return writer.take_error();
  auto v = migrate(**writer);
  if (!v.ok()) return v.take_error();
  pool->writer_ = std::move(writer.value());
  for (int i = 0; i < readers; ++i) {
    auto r = SqliteDatabase::open(path, SqliteOptions{.read_only = true});
    if (!r.ok()) return r.take_error();
    pool->readers_.push_back(std::move(r.value()));
  }
  return pool;
}

DbPool::ReadLease DbPool::read() {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [&] { return !readers_.empty(); });
  auto db = std::move(readers_.back());
  readers_.pop_back();
  return ReadLease(*this, std::move(db));
}

void DbPool::give_back(std::unique_ptr<SqliteDatabase> db) {
  {
    std::lock_guard lock(read_mu_);
    readers_.push_back(std::move(db));
  }
  read_cv_.notify_one();
}

}  // namespace kehu::server
