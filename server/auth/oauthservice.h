// OAuth 2 as Mastodon speaks it: app registration, the password, client_credentials and
// authorization_code grants, revocation, and bearer-token authentication for every request.
// Tokens and client secrets are returned once and stored only as SHA-256 hashes.
// Resolved tokens are kept in memory (cache.tokens entries) while the database's auth generation
// (store/oauthstore.h: bumped by triggers on every revocation, in any process) stays where it was.
// Threading: callable from any handler thread; the failure budget and the token cache are
// thread-safe (the cache under m_cacheMutex).
#pragma once

#include "accounts/accountservice.h"
#include "auth/ratelimiter.h"
#include "core/config.h"
#include "core/status.h"
#include "store/oauthstore.h"
#include "store/store.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace pinhole::server::auth {

inline constexpr const char* kOutOfBandRedirect = "urn:ietf:wg:oauth:2.0:oob";

struct NewApp {
    std::string name;
    std::string redirectUris; // one or more, separated by whitespace or newlines
    std::string scopes = "read";
    std::optional<std::string> website;
};

struct AppCredentials {
    Id id = 0;
    std::string name;
    std::optional<std::string> website;
    std::string redirectUri;
    std::string scopes;
    std::string clientId;
    std::string clientSecret; // only ever here, at creation
};

struct IssuedToken {
    std::string accessToken; // only ever here, at creation
    std::string scopes;
    std::int64_t createdAt = 0; // Unix ms
};

// Who is calling, resolved from a bearer token.
struct Principal {
    Id tokenId = 0;
    std::optional<Id> appId;
    std::optional<Id> accountId; // empty for an app token
    std::string scopes;
};

class OAuthService {
public:
    OAuthService(store::Store& store, accounts::AccountService& accounts, const Config& config);

    Result<AppCredentials> createApp(const NewApp& app);

    Result<IssuedToken> passwordGrant(const std::string& clientId, const std::string& clientSecret,
                                      const std::string& login, const std::string& password, const std::string& scopes,
                                      const std::string& remoteAddress);
    Result<IssuedToken> clientCredentialsGrant(const std::string& clientId, const std::string& clientSecret,
                                               const std::string& scopes);
    Result<IssuedToken> authorizationCodeGrant(const std::string& clientId, const std::string& clientSecret,
                                               const std::string& code, const std::string& redirectUri);

    // The /oauth/authorize form: checks the login and returns a single-use code (10 minutes).
    Result<std::string> authorize(const std::string& clientId, const std::string& redirectUri,
                                  const std::string& scopes, const std::string& login, const std::string& password,
                                  const std::string& remoteAddress);
    // Checks that the app exists and may use this redirect URI (before showing the form).
    Status checkAuthorizeRequest(const std::string& clientId, const std::string& redirectUri,
                                 const std::string& scopes);

    // RFC 7009: succeeds whether or not the token existed, if the client authenticates.
    Status revoke(const std::string& clientId, const std::string& clientSecret, const std::string& token);

    // A token for an account created through the API, on behalf of the registering app.
    Result<IssuedToken> issueForAccount(std::optional<Id> appId, Id accountId, const std::string& scopes);

    // Resolves a bearer token. Failures are counted per client address: once an address has
    // failed `auth.token_failures_per_address` times in `auth.login_window_seconds`, every token it
    // presents is refused with 429 (and Retry-After) until the budget refills, so guessing tokens
    // is bounded. A valid token spends nothing. A token revoked (or its account deleted or
    // unapproved) by any process is refused from the first request that begins after the commit.
    Result<Principal> authenticate(std::string_view bearerToken, const std::string& remoteAddress);
    // authenticate() from the grant cache alone, given the auth generation just read
    // (store/oauthstore.h), never reading, writing or waiting (for answers on an I/O thread):
    // nullopt wherever authenticate() would do more (a token the cache does not hold, a spent
    // failure budget, a revocation since the cache was filled), so the caller falls back to it.
    std::optional<Principal> cachedPrincipal(std::int64_t authGeneration, std::string_view bearerToken,
                                             const std::string& remoteAddress);

private:
    // The grant of a token hash, from the cache if the generation read now is the one its
    // entries were read under, else from the database (and kept).
    Result<store::TokenGrant> grantOf(store::Database& db, const std::string& hash);
    // The cached grant of a token hash under `generation` (the auth generation just read); a
    // newer generation than the cache's empties the cache first.
    std::optional<store::TokenGrant> cachedGrant(const std::string& hash, std::int64_t generation);
    Result<store::OAuthApp> authenticateClient(const std::string& clientId, const std::string& clientSecret);

    store::Store& m_store;
    accounts::AccountService& m_accounts;
    RateLimiter m_tokenFailures; // keyed "addr:<remote address>"
    const std::size_t m_cacheCapacity;
    std::mutex m_cacheMutex;                                    // guards the two members below
    std::int64_t m_cacheGeneration = -1;                        // the auth generation the cached grants were read under
    std::unordered_map<std::string, store::TokenGrant> m_cache; // token hash -> grant
};

} // namespace pinhole::server::auth
