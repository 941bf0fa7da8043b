// The server's secrets, all through libsodium: Argon2id password hashes, random tokens, and the
// SHA-256 under which tokens are stored (a token has 256 bits of entropy, so a fast hash is
// enough; a database leak yields no usable token).
// Thread-safe; call initCrypto() once at start-up.
#pragma once

#include "core/status.h"

#include <string>
#include <string_view>

namespace pinhole::server::auth {

Status initCrypto();

// Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), in libsodium's encoded form.
Result<std::string> hashPassword(std::string_view password);
bool verifyPassword(std::string_view password, const std::string& encodedHash);
// Burns the same time as a verification: used for unknown users so timing doesn't tell.
void verifyDummyPassword(std::string_view password);

// 256 random bits, base64url without padding (43 characters).
std::string randomToken();
// Raw 32-byte SHA-256 of a token, as stored.
std::string tokenHash(std::string_view token);

} // namespace pinhole::server::auth
