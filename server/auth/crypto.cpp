#include "auth/crypto.h"

#include "core/digest.h"

#include <sodium.h>

#include <mutex>

namespace pinhole::server::auth {

namespace {
// OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;

const std::string& dummyHash() {
    static const std::string hash = [] {
        auto h = hashPassword("pinhole-dummy-password-for-timing");
        return h ? h.value() : std::string();
    }();
    return hash;
}
} // namespace

Status initCrypto() {
    if (sodium_init() < 0)
        return internalError("libsodium failed to initialise");
    dummyHash();
    return Status::ok();
}

Result<std::string> hashPassword(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return internalError("out of memory while hashing a password");
    return std::string(out);
}

bool verifyPassword(std::string_view password, const std::string& encodedHash) {
    return crypto_pwhash_str_verify(encodedHash.c_str(), password.data(), password.size()) == 0;
}

void verifyDummyPassword(std::string_view password) {
    (void)verifyPassword(password, dummyHash());
}

std::string randomToken() {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

std::string tokenHash(std::string_view token) {
    return sha256(token);
}

} // namespace pinhole::server::auth
