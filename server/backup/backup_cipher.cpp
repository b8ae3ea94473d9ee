#include "server/backup/backup_cipher.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "server/backup/durable_files.h"

namespace kehu::server {

namespace {

constexpr char kMagic[8] = {'K', 'E', 'H', 'U', 'E', 'N', 'C', '1'};
constexpr size_t kSalt = 16, kPrefix = 8, kHeader = sizeof kMagic + kSalt + kPrefix, kTag = 16;
constexpr size_t kPiece = 1 << 20;
constexpr int kRounds = 200'000;

using Cipher = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Error cipher_error(const std::string& zh, const std::string& en) { return Error::make(ErrorCode::storage, {zh, en}); }

bool derive(const std::string& passphrase, const unsigned char* salt, unsigned char key[32]) {
  return PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()), salt, kSalt, kRounds, EVP_sha256(), 32, key) == 1;
}

// The nonce and the authenticated data of piece `n`.
void piece_params(const unsigned char* header, uint64_t n, bool last, unsigned char nonce[12], unsigned char aad[kHeader + 9]) {
  std::memcpy(nonce, header + sizeof kMagic + kSalt, kPrefix);
  for (int i = 0; i < 4; ++i) nonce[kPrefix + i] = static_cast<unsigned char>(n >> (24 - 8 * i));
  std::memcpy(aad, header, kHeader);
  for (int i = 0; i < 8; ++i) aad[kHeader + i] = static_cast<unsigned char>(n >> (56 - 8 * i));
  aad[kHeader + 8] = last ? 1 : 0;
}

// Seals or opens one piece; false when a tag does not match (opening) or OpenSSL fails.
bool run_piece(bool seal, const unsigned char key[32], const unsigned char* header, uint64_t n, bool last, const unsigned char* in,
               size_t size, unsigned char* out, unsigned char tag[kTag]) {
  Cipher ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  unsigned char nonce[12], aad[kHeader + 9];
  piece_params(header, n, last, nonce, aad);
  int len = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key, nonce, seal ? 1 : 0) != 1) return false;
  if (EVP_CipherUpdate(ctx.get(), nullptr, &len, aad, sizeof aad) != 1) return false;
  if (size > 0 && EVP_CipherUpdate(ctx.get(), out, &len, in, static_cast<int>(size)) != 1) return false;
  if (!seal && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag) != 1) return false;
  if (EVP_CipherFinal_ex(ctx.get(), out + size, &len) != 1) return false;
  return !seal || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, tag) == 1;
}

}  // namespace

std::string backup_passphrase(const std::string& settings_key) {
  const char* env = std::getenv("KEHU_BACKUP_KEY");
  return env && *env ? std::string(env) : settings_key;
}

std::string encrypted_file_magic() { return std::string(kMagic, sizeof kMagic); }

Status encrypt_file(const std::string& from, const std::string& to, const std::string& passphrase, Random& random) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!in || !out) return cipher_error("无法加密备份文件", "cannot encrypt the backup file " + from);
  unsigned char header[kHeader];
  std::memcpy(header, kMagic, sizeof kMagic);
  const std::string fresh = random.bytes(kSalt + kPrefix);
  std::memcpy(header + sizeof kMagic, fresh.data(), kSalt + kPrefix);
  unsigned char key[32];
  if (!derive(passphrase, header + sizeof kMagic, key)) return cipher_error("无法生成加密密钥", "cannot derive the encryption key");
  out.write(reinterpret_cast<const char*>(header), kHeader);
  std::vector<unsigned char> now(kPiece), next(kPiece), sealed(kPiece + kTag);
  in.read(reinterpret_cast<char*>(now.data()), kPiece);
  size_t now_size = static_cast<size_t>(in.gcount());
  for (uint64_t n = 0;; ++n) {
    in.read(reinterpret_cast<char*>(next.data()), kPiece);
    const size_t next_size = static_cast<size_t>(in.gcount());
    if (in.bad()) return cipher_error("读取备份文件失败", "cannot read the backup file " + from);  // not an end of file
    const bool last = next_size == 0;
    unsigned char tag[kTag];
    if (!run_piece(true, key, header, n, last, now.data(), now_size, sealed.data(), tag))
      return cipher_error("加密失败", "encryption failed");
    out.write(reinterpret_cast<const char*>(sealed.data()), static_cast<std::streamsize>(now_size));
    out.write(reinterpret_cast<const char*>(tag), kTag);
    if (last) break;
    std::swap(now, next);
    now_size = next_size;
  }
  out.close();
  if (!out) return cipher_error("无法写入加密的备份文件", "cannot write the encrypted backup file " + to);
  return sync_file(to);
}

Status decrypt_file(const std::string& from, const std::string& to, const std::string& passphrase, const std::string& what) {
  auto refused = [&] {
    std::error_code ec;
    std::filesystem::remove(to, ec);
    return cipher_error("备份 " + what + " 已加密，而密钥打不开它（密钥不对，或文件被改动过）",
                        "backup " + what + " is encrypted and the key does not open it (a wrong key, or the file was altered)");
  };
  if (passphrase.empty())
    return cipher_error("备份 " + what + " 已加密：请设置 KEHU_BACKUP_KEY 或备份密钥", "backup " + what + " is encrypted: set KEHU_BACKUP_KEY or the backup key");
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!in || !out) return cipher_error("无法解密备份文件", "cannot decrypt the backup file " + from);
  unsigned char header[kHeader];
  in.read(reinterpret_cast<char*>(header), kHeader);
  if (static_cast<size_t>(in.gcount()) != kHeader || std::memcmp(header, kMagic, sizeof kMagic) != 0) return refused();
  unsigned char key[32];
  if (!derive(passphrase, header + sizeof kMagic, key)) return refused();
  std::vector<unsigned char> now(kPiece + kTag), next(kPiece + kTag), plain(kPiece + kTag);
  in.read(reinterpret_cast<char*>(now.data()), static_cast<std::streamsize>(kPiece + kTag));
  size_t now_size = static_cast<size_t>(in.gcount());
  for (uint64_t n = 0;; ++n) {
    if (now_size < kTag) return refused();  // cut short
    in.read(reinterpret_cast<char*>(next.data()), static_cast<std::streamsize>(kPiece + kTag));
    const size_t next_size = static_cast<size_t>(in.gcount());
    const bool last = next_size == 0;
    const size_t body = now_size - kTag;
    if (!run_piece(false, key, header, n, last, now.data(), body, plain.data(), now.data() + body)) return refused();
    out.write(reinterpret_cast<const char*>(plain.data()), static_cast<std::streamsize>(body));
    if (last) break;
    std::swap(now, next);
    now_size = next_size;
  }
  out.close();
  if (!out) return cipher_error("无法写入解密的备份", "cannot write the decrypted backup " + to);
  return ok_status();
}

}  // namespace kehu::server
