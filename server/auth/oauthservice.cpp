#include "auth/oauthservice.h"

#include "auth/crypto.h"
#include "auth/scopes.h"
#include "core/clock.h"
#include "core/log.h"
#include "store/oauthstore.h"

#include <sodium.h>

namespace pinhole::server::auth {

namespace {

constexpr std::int64_t kCodeLifetimeMs = 10 * 60 * 1000;
const char* const kBadClient = "invalid_client: unknown client or wrong secret";
// Issued tokens are far shorter; a longer one is a guess, refused before hashing it.
constexpr std::size_t kMaxTokenBytes = 256;

Principal principalOf(const store::TokenGrant& grant) {
    return Principal{grant.tokenId, grant.appId, grant.accountId, grant.scopes};
}

Status validateScopes(const std::string& scopes) {
    const auto list = splitScopes(scopes);
    if (list.empty())
        return invalidArgument("scope: at least one scope is required");
    for (const auto& s : list)
        if (!isKnownScope(s))
            return invalidArgument("scope: unknown scope " + s);
    return Status::ok();
}

std::string normaliseScopes(const std::string& scopes) {
    std::string out;
    for (const auto& s : splitScopes(scopes))
        out += (out.empty() ? "" : " ") + s;
    return out;
}

bool redirectAllowed(const std::string& registered, const std::string& uri) {
    std::size_t i = 0;
    while (i < registered.size()) {
        std::size_t j = registered.find('\n', i);
        if (j == std::string::npos)
            j = registered.size();
        if (registered.compare(i, j - i, uri) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

} // namespace

OAuthService::OAuthService(store::Store& store, accounts::AccountService& accounts, const Config& config)
    : m_store(store), m_accounts(accounts),
      m_tokenFailures(config.tokenFailuresPerAddress, std::chrono::seconds(config.loginWindowSeconds)),
      m_cacheCapacity(config.tokenCacheEntries) {}

Result<AppCredentials> OAuthService::createApp(const NewApp& input) {
    if (input.name.empty() || input.name.size() > 200)
        return invalidArgument("client_name: required, at most 200 characters");
    std::string redirects;
    std::size_t i = 0;
    const std::string& r = input.redirectUris;
    while (i < r.size()) {
        while (i < r.size() && std::isspace(static_cast<unsigned char>(r[i])))
            ++i;
        std::size_t j = i;
        while (j < r.size() && !std::isspace(static_cast<unsigned char>(r[j])))
            ++j;
        if (j > i)
            redirects += (redirects.empty() ? "" : "\n") + r.substr(i, j - i);
        i = j;
    }
    if (redirects.empty() || redirects.size() > 2000)
        return invalidArgument("redirect_uris: required");
    PINHOLE_TRY(validateScopes(input.scopes));

    AppCredentials out;
    out.id = newId();
    out.name = input.name;
    out.website = input.website;
    out.redirectUri = redirects;
    out.scopes = normaliseScopes(input.scopes);
    out.clientId = randomToken();
    out.clientSecret = randomToken();

    store::OAuthApp row{
        out.id, out.name, out.website, redirects, out.scopes, out.clientId, tokenHash(out.clientSecret), nowMillis()};
    auto db = m_store.connection();
    if (!db)
        return db.status();
    PINHOLE_TRY(store::insertApp(**db, row));
    return out;
}

Result<store::OAuthApp> OAuthService::authenticateClient(const std::string& clientId, const std::string& clientSecret) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto app = store::appByClientId(**db, clientId);
    if (!app) {
        if (app.status().code() == Code::NotFound)
            return unauthenticated(kBadClient);
        return app.status();
    }
    const std::string given = tokenHash(clientSecret);
    if (given.size() != app->clientSecretHash.size() ||
        sodium_memcmp(given.data(), app->clientSecretHash.data(), given.size()) != 0)
        return unauthenticated(kBadClient);
    return app;
}

Result<IssuedToken> OAuthService::issueForAccount(std::optional<Id> appId, Id accountId, const std::string& scopes) {
    IssuedToken t{randomToken(), normaliseScopes(scopes), nowMillis()};
    auto db = m_store.connection();
    if (!db)
        return db.status();
    PINHOLE_TRY(store::insertToken(**db, newId(), tokenHash(t.accessToken), appId, accountId, t.scopes, t.createdAt));
    return t;
}

Result<IssuedToken> OAuthService::passwordGrant(const std::string& clientId, const std::string& clientSecret,
                                                const std::string& login, const std::string& password,
                                                const std::string& scopes, const std::string& remoteAddress) {
    auto app = authenticateClient(clientId, clientSecret);
    if (!app)
        return app.status();
    const std::string wanted = scopes.empty() ? app->scopes : scopes;
    PINHOLE_TRY(validateScopes(wanted));
    if (!scopesWithin(wanted, app->scopes))
        return invalidArgument("invalid_scope: the app was not registered for these scopes");
    auto account = m_accounts.verifyLogin(login, password, remoteAddress);
    if (!account)
        return account.status();
    return issueForAccount(app->id, account->id, wanted);
}

Result<IssuedToken> OAuthService::clientCredentialsGrant(const std::string& clientId, const std::string& clientSecret,
                                                         const std::string& scopes) {
    auto app = authenticateClient(clientId, clientSecret);
    if (!app)
        return app.status();
    const std::string wanted = scopes.empty() ? app->scopes : scopes;
    PINHOLE_TRY(validateScopes(wanted));
    if (!scopesWithin(wanted, app->scopes))
        return invalidArgument("invalid_scope: the app was not registered for these scopes");
    IssuedToken t{randomToken(), normaliseScopes(wanted), nowMillis()};
    auto db = m_store.connection();
    if (!db)
        return db.status();
    PINHOLE_TRY(
        store::insertToken(**db, newId(), tokenHash(t.accessToken), app->id, std::nullopt, t.scopes, t.createdAt));
    return t;
}

Status OAuthService::checkAuthorizeRequest(const std::string& clientId, const std::string& redirectUri,
                                           const std::string& scopes) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto app = store::appByClientId(**db, clientId);
    if (!app)
        return app.status().code() == Code::NotFound ? invalidArgument(kBadClient) : app.status();
    if (!redirectAllowed(app->redirectUris, redirectUri))
        return invalidArgument("redirect_uri: not registered for this app");
    if (!scopes.empty()) {
        PINHOLE_TRY(validateScopes(scopes));
        if (!scopesWithin(scopes, app->scopes))
            return invalidArgument("invalid_scope: the app was not registered for these scopes");
    }
    return Status::ok();
}

Result<std::string> OAuthService::authorize(const std::string& clientId, const std::string& redirectUri,
                                            const std::string& scopes, const std::string& login,
                                            const std::string& password, const std::string& remoteAddress) {
    PINHOLE_TRY(checkAuthorizeRequest(clientId, redirectUri, scopes));
    auto account = m_accounts.verifyLogin(login, password, remoteAddress);
    if (!account)
        return account.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto app = store::appByClientId(**db, clientId);
    if (!app)
        return app.status();
    const std::string code = randomToken();
    store::AuthCode row{app->id, account->id, redirectUri, normaliseScopes(scopes.empty() ? app->scopes : scopes),
                        nowMillis() + kCodeLifetimeMs};
    PINHOLE_TRY(store::insertCode(**db, tokenHash(code), row));
    return code;
}

Result<IssuedToken> OAuthService::authorizationCodeGrant(const std::string& clientId, const std::string& clientSecret,
                                                         const std::string& code, const std::string& redirectUri) {
    auto app = authenticateClient(clientId, clientSecret);
    if (!app)
        return app.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto taken = store::takeCode(**db, tokenHash(code));
    const char* const bad = "invalid_grant: unknown, used or expired authorization code";
    if (!taken)
        return taken.status().code() == Code::NotFound ? invalidArgument(bad) : taken.status();
    if (taken->appId != app->id || taken->expiresAt < nowMillis() || taken->redirectUri != redirectUri)
        return invalidArgument(bad);
    IssuedToken t{randomToken(), taken->scopes, nowMillis()};
    PINHOLE_TRY(
        store::insertToken(**db, newId(), tokenHash(t.accessToken), app->id, taken->accountId, t.scopes, t.createdAt));
    return t;
}

Status OAuthService::revoke(const std::string& clientId, const std::string& clientSecret, const std::string& token) {
    auto app = authenticateClient(clientId, clientSecret);
    if (!app)
        return app.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto deleted = store::deleteToken(**db, tokenHash(token), app->id);
    if (!deleted)
        return deleted.status();
    return Status::ok();
}

Result<Principal> OAuthService::authenticate(std::string_view bearerToken, const std::string& remoteAddress) {
    // Checked before the lookup, so a spent budget also hides whether a guess was right.
    const std::string key = "addr:" + remoteAddress;
    if (auto wait = m_tokenFailures.exhausted(key)) {
        log::warn("token_rate_limited", {{"remote", remoteAddress}});
        return Status(Code::TooManyRequests, "too many invalid access tokens from this address; try again later")
            .withRetryAfter(*wait);
    }
    auto failed = [&] {
        (void)m_tokenFailures.acquire(key);
        log::info("token_rejected", {{"remote", remoteAddress}});
        return unauthenticated("the access token is invalid");
    };
    if (bearerToken.empty() || bearerToken.size() > kMaxTokenBytes)
        return failed();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto grant = grantOf(**db, tokenHash(bearerToken));
    if (!grant)
        return grant.status().code() == Code::NotFound ? failed() : grant.status();
    if (!grant->accountApproved)
        return permissionDenied("your account is waiting for an administrator's approval");
    return principalOf(*grant);
}

std::optional<Principal> OAuthService::cachedPrincipal(std::int64_t authGeneration, std::string_view bearerToken,
                                                       const std::string& remoteAddress) {
    if (bearerToken.empty() || bearerToken.size() > kMaxTokenBytes || m_tokenFailures.exhausted("addr:" + remoteAddress))
        return std::nullopt;
    auto grant = cachedGrant(tokenHash(bearerToken), authGeneration);
    if (!grant || !grant->accountApproved)
        return std::nullopt;
    return principalOf(*grant);
}

std::optional<store::TokenGrant> OAuthService::cachedGrant(const std::string& hash, std::int64_t generation) {
    std::lock_guard lock(m_cacheMutex);
    if (generation > m_cacheGeneration) { // something was revoked: every entry may be stale
        m_cache.clear();
        m_cacheGeneration = generation;
    }
    if (generation == m_cacheGeneration)
        if (auto it = m_cache.find(hash); it != m_cache.end())
            return it->second;
    return std::nullopt;
}

Result<store::TokenGrant> OAuthService::grantOf(store::Database& db, const std::string& hash) {
    auto generation = store::authGeneration(db);
    if (!generation)
        return generation.status();
    if (auto cached = cachedGrant(hash, *generation))
        return *cached;
    auto grant = store::tokenByHash(db, hash);
    if (!grant)
        return grant;
    std::lock_guard lock(m_cacheMutex);
    // Kept only under the generation it was read after: a revocation since has moved the cache on.
    if (*generation == m_cacheGeneration && m_cacheCapacity > 0) {
        if (m_cache.size() >= m_cacheCapacity)
            m_cache.clear();
        m_cache.emplace(hash, *grant);
    }
    return grant;
}

} // namespace pinhole::server::auth
