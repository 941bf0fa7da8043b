// Accounts: registration, password login, profile edits. Validation lives here, SQL in
// store/accountstore. Threading: stateless apart from the thread-safe rate limiters; callable
// from any handler thread.
#pragma once

#include "auth/ratelimiter.h"
#include "core/config.h"
#include "core/status.h"
#include "store/accountstore.h"
#include "store/store.h"

#include <optional>
#include <string>

namespace pinhole::server::accounts {

struct NewAccount {
    std::string username;
    std::optional<std::string> email;
    std::string password;
    bool isAdmin = false;
};

struct ProfileChange {
    std::optional<std::string> displayName;
    std::optional<std::string> note;
    std::optional<bool> locked;
    std::optional<bool> hideCollections; // Mastodon's hide_collections
    // A stored avatar (MediaLibrary::storeAvatar); the facade stores the file first.
    std::optional<std::string> avatarSha256;
};

// Limits on what a person may type, as Mastodon has them.
inline constexpr std::size_t kMaxUsername = 30;
inline constexpr std::size_t kMaxDisplayName = 30; // characters
inline constexpr std::size_t kMaxNote = 500;       // characters
inline constexpr std::size_t kMinPassword = 8;
inline constexpr std::size_t kMaxPassword = 128; // bounds the hashing work an attacker can ask for

class AccountService {
public:
    AccountService(store::Store& store, const Config& config);

    // Validates and creates an account. `viaApi` applies the registration mode (closed refuses,
    // approval creates an unapproved account); the admin command passes false.
    Result<store::Account> registerAccount(const NewAccount& account, bool viaApi);

    // Checks a username-or-e-mail and password. Unknown users and wrong passwords give the same
    // error after the same work; attempts are rate-limited per address and per account (429).
    Result<store::Account> verifyLogin(const std::string& login, const std::string& password,
                                       const std::string& remoteAddress);

    Result<store::Account> get(Id id);
    Result<store::Account> lookup(const std::string& username);
    Result<store::Account> updateProfile(Id id, const ProfileChange& change);
    // Sets a new password and revokes every token of the account.
    Status resetPassword(const std::string& username, const std::string& password);
    Status approve(const std::string& username);

private:
    store::Store& m_store;
    const Config& m_config;
    auth::RateLimiter m_perAddress;
    auth::RateLimiter m_perAccount;
};

// Validators shared with the facades' error messages.
Status validateUsername(const std::string& username);
Status validatePassword(const std::string& password);
// Counts code points; InvalidArgument if `text` is not valid UTF-8.
Result<std::size_t> utf8Length(std::string_view text);
// Decodes the code point at `at` and moves past it; nullopt for anything RFC 3629 forbids
// (overlong forms, surrogates, values past U+10FFFF, truncated sequences). REQUIRES: at < size.
std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& at);
// A display name or note: valid UTF-8 of at most `maxChars` code points, without control
// characters (tab and newlines allowed when `multiline`) or bidirectional formatting characters.
Status validateProfileText(std::string_view field, std::string_view text, std::size_t maxChars, bool multiline);

} // namespace pinhole::server::accounts
