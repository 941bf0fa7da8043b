// SQL for OAuth apps, tokens and authorization codes. Secrets arrive here already hashed.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pinhole::server::store {

struct OAuthApp {
    Id id = 0;
    std::string name;
    std::optional<std::string> website;
    std::string redirectUris; // newline-separated
    std::string scopes;       // space-separated
    std::string clientId;
    std::string clientSecretHash;
    std::int64_t createdAt = 0;
};

struct TokenGrant {
    Id tokenId = 0;
    std::optional<Id> appId;
    std::optional<Id> accountId; // empty for an app-only token
    std::string scopes;
    bool accountApproved = true; // false while registration awaits an administrator
};

struct AuthCode {
    Id appId = 0;
    Id accountId = 0;
    std::string redirectUri;
    std::string scopes;
    std::int64_t expiresAt = 0;
};

Status insertApp(Database& db, const OAuthApp& app);
Result<OAuthApp> appByClientId(Database& db, std::string_view clientId);

Status insertToken(Database& db, Id id, const std::string& tokenHash, std::optional<Id> appId,
                   std::optional<Id> accountId, const std::string& scopes, std::int64_t now);
Result<TokenGrant> tokenByHash(Database& db, const std::string& tokenHash);
// Deletes the token if it belongs to the app; true if one was deleted.
Result<bool> deleteToken(Database& db, const std::string& tokenHash, Id appId);
Status deleteTokensOfAccount(Database& db, Id accountId);
// The counter every token revocation, token change, account approval change or account deletion
// bumps (triggers of migration 10), read by the token cache to know its entries still hold.
Result<std::int64_t> authGeneration(Database& db);

Status insertCode(Database& db, const std::string& codeHash, const AuthCode& code);
// Returns and deletes the code (single use). NotFound if absent.
Result<AuthCode> takeCode(Database& db, const std::string& codeHash);

} // namespace pinhole::server::store
