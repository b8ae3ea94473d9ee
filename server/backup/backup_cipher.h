// backup_cipher.h — authenticated encryption of backup files (OpenSSL: AES-256-GCM, PBKDF2-HMAC-SHA256).
//
// A backup holds everything, password hashes included; on another disk or a share it is encrypted when a
// key is set (KEHU_BACKUP_KEY in the server's environment, else the settings' write-only backup.key).
// The file: "KEHUENC1", a 16-byte salt, an 8-byte nonce prefix, then 1 MiB pieces, each sealed with its
// own nonce (prefix + piece number) and a tag over the header, its number and whether it is the last, so
// no piece can be altered, reordered, dropped, or the file cut short without decryption failing. The key
// is derived from the passphrase with PBKDF2 (200,000 rounds) and the salt. Files are streamed: memory
// stays at a few pieces however large the database.
#pragma once

#include <string>

#include "core/random.h"
#include "core/result.h"

namespace kehu::server {

// The passphrase backups are encrypted with: KEHU_BACKUP_KEY when set, else `settings_key`; "" = none.
std::string backup_passphrase(const std::string& settings_key);

// The bytes an encrypted backup file starts with ("KEHUENC1").
std::string encrypted_file_magic();

// Writes `to` as the encrypted `from`, synced.
Status encrypt_file(const std::string& from, const std::string& to, const std::string& passphrase, Random& random);
// Writes `to` as the decrypted `from`. Error (and `to` removed) when the passphrase is wrong or the file
// was altered; the message names `what` (the backup).
Status decrypt_file(const std::string& from, const std::string& to, const std::string& passphrase, const std::string& what);

}  // namespace kehu::server
