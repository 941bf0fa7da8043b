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
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || i + len > text.size())
            return invalidArgument("text is not valid UTF-8");
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80)
                return invalidArgument("text is not valid UTF-8");
        i += len;
        ++count;
    }
    return count;
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
    if (change.displayName) {
        auto n = utf8Length(*change.displayName);
        if (!n || *n > kMaxDisplayName)
            return invalidArgument("display_name: must be valid text of at most 30 characters");
    }
    if (change.note) {
        auto n = utf8Length(*change.note);
        if (!n || *n > kMaxNote)
            return invalidArgument("note: must be valid text of at most 500 characters");
    }
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
    a.updatedAt = nowMillis();
    PINHOLE_TRY(store::updateProfile(**db, id, a.displayName, a.note, a.locked, a.hideCollections, a.updatedAt));
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
