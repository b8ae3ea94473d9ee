#include "server/auth/password_hasher.h"

#include <argon2.h>

#include <algorithm>
#include <vector>

#include "server/auth/crypto.h"

namespace kehu::server {

PasswordHasher::PasswordHasher(Random& random, int max_concurrent, uint32_t memory_kib, uint32_t iterations, int max_waiting)
    : random_(random), max_concurrent_(std::max(1, max_concurrent)), max_waiting_(std::max(0, max_waiting)),
      memory_kib_(memory_kib), iterations_(iterations) {
  auto dummy = hash(new_token(random_));  // nothing else runs yet: never busy
  dummy_hash_ = dummy.ok() ? *dummy : "";
}

Status PasswordHasher::acquire() {
  std::unique_lock lock(mu_);
  if (running_ >= max_concurrent_) {
    if (waiting_ >= max_waiting_) {
      ++refused_;
      return Error::make(ErrorCode::busy, {"登录请求过多，请几秒后再试", "too many sign-ins at once; try again in a few seconds"});
    }
    ++waiting_;
    cv_.wait(lock, [&] { return running_ < max_concurrent_; });
    --waiting_;
  }
  ++running_;
  return ok_status();
}

void PasswordHasher::release() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  cv_.notify_one();
}

PasswordHasher::Load PasswordHasher::load() {
  std::lock_guard lock(mu_);
  return Load{running_, waiting_, refused_};
}

Result<std::string> PasswordHasher::hash(const std::string& password) {
  std::string salt = random_.bytes(16);
  const uint32_t hash_len = 32;
  size_t encoded_len = argon2_encodedlen(iterations_, memory_kib_, 1, static_cast<uint32_t>(salt.size()), hash_len, Argon2_id);
  std::vector<char> encoded(encoded_len);
  KEHU_TRY(acquire());
  int rc = argon2id_hash_encoded(iterations_, memory_kib_, 1, password.data(), password.size(), salt.data(), salt.size(),
                                 hash_len, encoded.data(), encoded.size());
  release();
  if (rc != ARGON2_OK)
    return Error::make(ErrorCode::storage, {"无法计算密码摘要", "the password could not be hashed"});
  return std::string(encoded.data());
}

Result<bool> PasswordHasher::verify(const std::string& password, const std::string& encoded) {
  const std::string& target = encoded.rfind("$argon2id$", 0) == 0 ? encoded : dummy_hash_;
  KEHU_TRY(acquire());
  int rc = argon2id_verify(target.c_str(), password.data(), password.size());
  release();
  return rc == ARGON2_OK && &target == &encoded;
}

}  // namespace kehu::server
