// The schema, as numbered migrations. Append a new entry for every change; never edit one that
// has shipped. Times are Unix milliseconds; ids are core/ids.h ids unless a table says otherwise.
#include "store/store.h"

namespace pinhole::server::store {

const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> all = {
        // 1: accounts and OAuth.
        R"sql(
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL,
    username_key    TEXT NOT NULL UNIQUE,      -- lower-cased: "Alice" and "alice" are one name
    email           TEXT UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    is_admin        INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    approved        INTEGER NOT NULL DEFAULT 1 CHECK (approved IN (0, 1)),
    password_hash   TEXT NOT NULL,             -- Argon2id, libsodium's encoded form
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE oauth_apps (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    website             TEXT,
    redirect_uris       TEXT NOT NULL,         -- newline-separated
    scopes              TEXT NOT NULL,         -- space-separated
    client_id           TEXT NOT NULL UNIQUE,
    client_secret_hash  BLOB NOT NULL,         -- SHA-256 of the secret
    created_at          INTEGER NOT NULL
);

-- Bearer tokens, stored only as SHA-256 hashes. account_id is NULL for an app's own token
-- (client_credentials). Revoking deletes the row.
CREATE TABLE oauth_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  BLOB NOT NULL UNIQUE,
    app_id      INTEGER REFERENCES oauth_apps(id) ON DELETE CASCADE,
    account_id  INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    scopes      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX oauth_tokens_by_account ON oauth_tokens(account_id);

-- Authorization codes (authorization_code grant): single use, short-lived, hashed.
CREATE TABLE oauth_codes (
    code_hash     BLOB PRIMARY KEY,
    app_id        INTEGER NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    redirect_uri  TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    };
    return all;
}

} // namespace pinhole::server::store
