#include "accounts/accountservice.h"

#include "auth/crypto.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/eventstore.h"
#include "store/oauthstore.h"

#include <algorithm>
#include <cctype>

namespace pinhole::server::accounts {

namespace {

const char* const kBadLogin = "invalid_grant: wrong username or password";

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

Status validateEmail(const std::string& email) {
    const auto at = email.find('@');
    const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < email.size() &&
                    email.find('@', at + 1) == std::string::npos &&
                    std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
    return ok ? Status::ok() : invalidArgument("email: not a valid e-mail address");
}

} // namespace

Result<std::size_t> utf8Length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        if (!decodeUtf8(text, i))
            return invalidArgument("text is not valid UTF-8");
    }
    return count;
}

std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& at) {
    // RFC 3629: the shortest form only, no surrogates, nothing above U+10FFFF.
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
    const unsigned char c = byte(0);
    std::size_t len = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80)
        len = 1, cp = c;
    else if ((c & 0xe0) == 0xc0)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return std::nullopt;
    if (at + len > text.size())
        return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(k) & 0xc0) != 0x80)
            return std::nullopt;
        cp = (cp << 6) | (byte(k) & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return std::nullopt;
    at += len;
    return cp;
}

Status validateProfileText(std::string_view field, std::string_view text, std::size_t maxChars, bool multiline) {
    const std::string prefix = std::string(field) + ": ";
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto cp = decodeUtf8(text, i);
        if (!cp)
            return invalidArgument(prefix + "not valid UTF-8");
        // Control characters, and the bidirectional formatting characters that make text display
        // in another order than it is stored ("Trojan Source"): one name must not pose as another.
        const bool newline = *cp == '\n' || *cp == '\r' || *cp == '\t';
        const bool control = *cp < 0x20 || (*cp >= 0x7f && *cp <= 0x9f);
        const bool bidi = *cp == 0x061c || *cp == 0x200e || *cp == 0x200f || (*cp >= 0x202a && *cp <= 0x202e) ||
                          (*cp >= 0x2066 && *cp <= 0x2069);
        if ((control && !(multiline && newline)) || bidi)
            return invalidArgument(prefix + "control and bidirectional formatting characters are not allowed");
    }
    if (count > maxChars)
        return invalidArgument(prefix + "must be at most " + std::to_string(maxChars) + " characters");
    return Status::ok();
}

// ASCII letters, digits and underscore only, as Mastodon: two accounts can never look alike
// through Unicode confusables or normalisation, and names are compared case-insensitively.
Status validateUsername(const std::string& username) {
    if (username.empty() || username.size() > kMaxUsername)
        return invalidArgument("username: must be 1 to 30 characters");
    if (!std::all_of(username.begin(), username.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; }) ||
        std::any_of(username.begin(), username.end(), [](unsigned char c) { return c >= 0x80; }))
        return invalidArgument("username: only letters a-z, digits and underscores are allowed");
    return Status::ok();
}

Status validatePassword(const std::string& password) {
    if (password.size() < kMinPassword)
        return invalidArgument("password: must be at least 8 characters");
    if (password.size() > kMaxPassword)
        return invalidArgument("password: must be at most 128 characters");
    return Status::ok();
}

AccountService::AccountService(store::Store& store, const Config& config)
    : m_store(store), m_config(config),
      m_perAddress(config.loginAttemptsPerAddress, std::chrono::seconds(config.loginWindowSeconds)),
      m_perAccount(config.loginFailuresPerAccount, std::chrono::seconds(config.loginWindowSeconds)) {}

Result<store::Account> AccountService::registerAccount(const NewAccount& input, bool viaApi) {
    if (viaApi && m_config.registration == RegistrationMode::Closed)
        return permissionDenied("registrations are closed on this server");
    PINHOLE_TRY(validateUsername(input.username));
    if (input.email)
        PINHOLE_TRY(validateEmail(*input.email));
    PINHOLE_TRY(validatePassword(input.password));
    auto hash = auth::hashPassword(input.password);
    if (!hash)
        return hash.status();

    store::Account a;
    a.id = newId();
    a.username = input.username;
    a.email = input.email;
    a.isAdmin = input.isAdmin;
    a.approved = !(viaApi && m_config.registration == RegistrationMode::Approval);
    a.passwordHash = std::move(hash).value();
    a.createdAt = a.updatedAt = nowMillis();

    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::insertAccount(**db, a));
    PINHOLE_TRY(tx.commit());
    log::info("account_created", {{"account", idToString(a.id)}, {"approved", a.approved}});
    return a;
}

Result<store::Account> AccountService::verifyLogin(const std::string& login, const std::string& password,
                                                   const std::string& remoteAddress) {
    if (auto wait = m_perAddress.acquire("addr:" + remoteAddress)) {
        log::warn("login_rate_limited", {{"by", "address"}, {"remote", remoteAddress}});
        return Status(Code::TooManyRequests, "too many login attempts; try again later").withRetryAfter(*wait);
    }
    // The per-account budget is spent only by failures, so a client signing in often is never
    // locked out, while guessing at one account from many addresses is.
    const std::string accountKey = "acct:" + lowerAscii(login);
    if (auto wait = m_perAccount.exhausted(accountKey)) {
        log::warn("login_rate_limited", {{"by", "account"}, {"remote", remoteAddress}});
        return Status(Code::TooManyRequests, "too many failed logins for this account; try again later")
            .withRetryAfter(*wait);
    }
    auto failed = [&] {
        (void)m_perAccount.acquire(accountKey);
        return invalidArgument(kBadLogin);
    };
    if (password.size() > kMaxPassword)
        return failed();

    Result<store::Account> found = notFound("");
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        found = login.find('@') != std::string::npos ? store::accountByEmail(**db, login)
                                                     : store::accountByUsername(**db, login);
    }
    if (!found) {
        if (found.status().code() != Code::NotFound)
            return found.status();
        auth::verifyDummyPassword(password);
        return failed();
    }
    if (!auth::verifyPassword(password, found->passwordHash))
        return failed();
    if (!found->approved)
        return permissionDenied("your account is waiting for an administrator's approval");
    return found;
}

Result<store::Account> AccountService::get(Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::accountById(**db, id);
}

Result<store::Account> AccountService::lookup(const std::string& username) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::accountByUsername(**db, username);
}

Result<store::Account> AccountService::updateProfile(Id id, const ProfileChange& change) {
    if (change.displayName)
        PINHOLE_TRY(validateProfileText("display_name", *change.displayName, kMaxDisplayName, false));
    if (change.note)
        PINHOLE_TRY(validateProfileText("note", *change.note, kMaxNote, true));
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto current = store::accountById(**db, id);
    if (!current)
        return current.status();
    store::Account a = std::move(current).value();
    if (change.displayName)
        a.displayName = *change.displayName;
    if (change.note)
        a.note = *change.note;
    if (change.locked)
        a.locked = *change.locked;
    if (change.hideCollections)
        a.hideCollections = *change.hideCollections;
    if (change.avatarSha256)
        a.avatarSha256 = *change.avatarSha256;
    a.updatedAt = nowMillis();
    PINHOLE_TRY(store::updateProfile(**db, a));
    // The event log records every state change (server/social/eventlog.h).
    PINHOLE_TRY(store::appendEvent(**db, {.type = store::EventType::AccountUpdated, .actorId = id}, a.updatedAt));
    PINHOLE_TRY(tx.commit());
    return a;
}

Status AccountService::resetPassword(const std::string& username, const std::string& password) {
    PINHOLE_TRY(validatePassword(password));
    auto hash = auth::hashPassword(password);
    if (!hash)
        return hash.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto account = store::accountByUsername(**db, username);
    if (!account)
        return account.status();
    PINHOLE_TRY(store::updatePasswordHash(**db, account->id, *hash, nowMillis()));
    PINHOLE_TRY(store::deleteTokensOfAccount(**db, account->id));
    return tx.commit();
}

Status AccountService::approve(const std::string& username) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto account = store::accountByUsername(**db, username);
    if (!account)
        return account.status();
    return store::setApproved(**db, account->id, true);
}

} // namespace pinhole::server::accounts
