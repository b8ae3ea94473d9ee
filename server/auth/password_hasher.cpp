#include "server/auth/password_hasher.h"

#include <argon2.h>

#include <vector>

#include "core/text/utf8.h"
#include "server/auth/crypto.h"

namespace kehu::server {

std::optional<Text> check_password_policy(const std::string& password) {
  if (!is_valid_utf8(password)) return Text{"密码包含无效字符", "the password contains invalid characters"};
  size_t n = utf8_length(password);
  if (n < PasswordPolicy::kMinLength) return Text{"密码至少 8 个字符", "the password must have at least 8 characters"};
  if (n > PasswordPolicy::kMaxLength) return Text{"密码最多 128 个字符", "the password may have at most 128 characters"};
  if (trim(password).empty()) return Text{"密码不能全是空格", "the password cannot be only spaces"};
  return std::nullopt;
}

PasswordHasher::PasswordHasher(Random& random, int max_concurrent, uint32_t memory_kib, uint32_t iterations)
    : random_(random), available_(max_concurrent), memory_kib_(memory_kib), iterations_(iterations) {
  dummy_hash_ = hash(new_token(random_));
}

void PasswordHasher::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return available_ > 0; });
  --available_;
}

void PasswordHasher::release() {
  {
    std::lock_guard lock(mu_);
    ++available_;
  }
  cv_.notify_one();
}

std::string PasswordHasher::hash(const std::string& password) {
  std::string salt = random_.bytes(16);
  const uint32_t hash_len = 32;
  size_t encoded_len = argon2_encodedlen(iterations_, memory_kib_, 1, static_cast<uint32_t>(salt.size()), hash_len, Argon2_id);
  std::vector<char> encoded(encoded_len);
  acquire();
  int rc = argon2id_hash_encoded(iterations_, memory_kib_, 1, password.data(), password.size(), salt.data(), salt.size(),
                                 hash_len, encoded.data(), encoded.size());
  release();
  if (rc != ARGON2_OK) return "";
  return std::string(encoded.data());
}

bool PasswordHasher::verify(const std::string& password, const std::string& encoded) {
  const std::string& target = encoded.rfind("$argon2id$", 0) == 0 ? encoded : dummy_hash_;
  acquire();
  int rc = argon2id_verify(target.c_str(), password.data(), password.size());
  release();
  return rc == ARGON2_OK && &target == &encoded;
}

}  // namespace kehu::server
