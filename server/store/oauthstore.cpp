#include "store/oauthstore.h"

namespace pinhole::server::store {

Status insertApp(Database& db, const OAuthApp& a) {
    auto q = db.prepare("INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, "
                        "client_secret_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    q.bind(1, a.id).bind(2, a.name).bind(3, a.website).bind(4, a.redirectUris).bind(5, a.scopes).bind(6, a.clientId);
    q.bindBlob(7, a.clientSecretHash.data(), a.clientSecretHash.size()).bind(8, a.createdAt);
    return q.run();
}

Result<OAuthApp> appByClientId(Database& db, std::string_view clientId) {
    auto q = db.prepare("SELECT id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at "
                        "FROM oauth_apps WHERE client_id = ?1");
    q.bind(1, clientId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("unknown client");
    OAuthApp a;
    a.id = q.int64(0);
    a.name = q.text(1);
    if (!q.isNull(2))
        a.website = q.text(2);
    a.redirectUris = q.text(3);
    a.scopes = q.text(4);
    a.clientId = q.text(5);
    a.clientSecretHash = q.blob(6);
    a.createdAt = q.int64(7);
    return a;
}

Status insertToken(Database& db, Id id, const std::string& tokenHash, std::optional<Id> appId,
                   std::optional<Id> accountId, const std::string& scopes, std::int64_t now) {
    auto q = db.prepare("INSERT INTO oauth_tokens (id, token_hash, app_id, account_id, scopes, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q.bind(1, id).bindBlob(2, tokenHash.data(), tokenHash.size()).bind(3, appId).bind(4, accountId);
    q.bind(5, scopes).bind(6, now);
    return q.run();
}

Result<TokenGrant> tokenByHash(Database& db, const std::string& tokenHash) {
    auto q = db.prepare("SELECT t.id, t.app_id, t.account_id, t.scopes, coalesce(a.approved, 1) FROM oauth_tokens t "
                        "LEFT JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = ?1");
    q.bindBlob(1, tokenHash.data(), tokenHash.size());
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("unknown token");
    TokenGrant g;
    g.tokenId = q.int64(0);
    if (!q.isNull(1))
        g.appId = q.int64(1);
    if (!q.isNull(2))
        g.accountId = q.int64(2);
    g.scopes = q.text(3);
    g.accountApproved = q.int64(4) != 0;
    return g;
}

Result<std::int64_t> authGeneration(Database& db) {
    auto q = db.prepare("SELECT generation FROM auth_generation WHERE id = 1");
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return internalError("auth_generation has no row");
    return q.int64(0);
}

Result<bool> deleteToken(Database& db, const std::string& tokenHash, Id appId) {
    auto q = db.prepare("DELETE FROM oauth_tokens WHERE token_hash = ?1 AND app_id = ?2");
    q.bindBlob(1, tokenHash.data(), tokenHash.size()).bind(2, appId);
    PINHOLE_TRY(q.run());
    return db.changes() > 0;
}

Status deleteTokensOfAccount(Database& db, Id accountId) {
    auto q = db.prepare("DELETE FROM oauth_tokens WHERE account_id = ?1");
    q.bind(1, accountId);
    return q.run();
}

Status insertCode(Database& db, const std::string& codeHash, const AuthCode& c) {
    auto q = db.prepare("INSERT INTO oauth_codes (code_hash, app_id, account_id, redirect_uri, scopes, expires_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q.bindBlob(1, codeHash.data(), codeHash.size()).bind(2, c.appId).bind(3, c.accountId).bind(4, c.redirectUri);
    q.bind(5, c.scopes).bind(6, c.expiresAt);
    return q.run();
}

Result<AuthCode> takeCode(Database& db, const std::string& codeHash) {
    auto q = db.prepare("DELETE FROM oauth_codes WHERE code_hash = ?1 "
                        "RETURNING app_id, account_id, redirect_uri, scopes, expires_at");
    q.bindBlob(1, codeHash.data(), codeHash.size());
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("unknown code");
    AuthCode c{q.int64(0), q.int64(1), q.text(2), q.text(3), q.int64(4)};
    // Drain the statement so the DELETE completes.
    auto done = q.step();
    if (!done)
        return done.status();
    return c;
}

} // namespace pinhole::server::store
