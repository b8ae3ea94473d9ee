// trusted_devices.h — browsers that have signed in to an account (SPEC §9, the login throttle).
//
// After a successful sign-in the browser is given a device cookie: a 256-bit random token, of which only
// the SHA-256 is stored with the account. A later attempt on that account carrying the cookie is counted
// on the device (login_throttle.h), so an attacker guessing the account's password from elsewhere cannot
// lock its owner out. A device is trusted for one account only, for `kDeviceTrustMs` after its last
// sign-in; an account keeps its `kDevicesPerUser` most recent devices, and a password change forgets
// them all (whoever knew the old password may hold one).
#pragma once

#include <cstdint>
#include <string>

#include "core/db/database.h"
#include "core/random.h"

namespace kehu::server {

inline constexpr int64_t kDeviceTrustMs = 90LL * 24 * 3600 * 1000;
inline constexpr int kDevicesPerUser = 20;

// Trusts a new device for `user_id`; returns its cookie token.
Result<std::string> trust_new_device(Database& db, Random& random, int64_t user_id, int64_t now_ms);
// Whether `token` is a device trusted for `user_id` now.
Result<bool> is_trusted_device(Database& db, const std::string& token, int64_t user_id, int64_t now_ms);
// Marks a trusted device's sign-in, extending its trust.
Status note_device_sign_in(Database& db, const std::string& token, int64_t now_ms);
Status forget_user_devices(Database& db, int64_t user_id);

}  // namespace kehu::server
