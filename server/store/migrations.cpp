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
        // 2: the media library: assets (one per owner and content), their derivatives, and
        // resumable (tus) uploads in progress.
        R"sql(
CREATE TABLE assets (
    id              INTEGER PRIMARY KEY,
    owner_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    sha256          TEXT NOT NULL,               -- hex SHA-256 of the original bytes
    byte_size       INTEGER NOT NULL,
    mime_type       TEXT NOT NULL,               -- from the bytes, never the file name
    state           TEXT NOT NULL DEFAULT 'processing'
                    CHECK (state IN ('processing', 'ready', 'failed')),
    failure         TEXT,                        -- why, when state = 'failed'
    width           INTEGER,                     -- upright (after EXIF orientation)
    height          INTEGER,
    orientation     INTEGER,
    taken_at        INTEGER,                     -- Unix ms, from EXIF when known
    camera_make     TEXT,
    camera_model    TEXT,
    lens            TEXT,
    exposure_time   TEXT,                        -- "1/250"
    f_number        REAL,
    iso             INTEGER,
    focal_length    REAL,                        -- mm
    gps_latitude    REAL,                        -- owner only
    gps_longitude   REAL,
    gps_altitude    REAL,
    placeholder     TEXT,                        -- ThumbHash, base64
    description     TEXT NOT NULL DEFAULT '',    -- alt text (Mastodon's description)
    focus_x         REAL NOT NULL DEFAULT 0,
    focus_y         REAL NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (owner_id, sha256)                    -- the same bytes twice are one asset
);
CREATE INDEX assets_by_sha256 ON assets(sha256);

CREATE TABLE asset_derivatives (
    asset_id    INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    variant     TEXT NOT NULL CHECK (variant IN ('thumb', 'preview', 'large')),
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    byte_size   INTEGER NOT NULL,
    mime_type   TEXT NOT NULL,
    PRIMARY KEY (asset_id, variant)
) WITHOUT ROWID;

-- tus uploads in progress. The bytes live in <data>/uploads/<id>.part; `offset` moves only
-- after they are fsynced, so a restart resumes from an offset that is really on disk.
CREATE TABLE uploads (
    id              TEXT PRIMARY KEY,            -- random, unguessable
    owner_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    length          INTEGER NOT NULL,
    "offset"        INTEGER NOT NULL DEFAULT 0,
    metadata        TEXT NOT NULL DEFAULT '',    -- Upload-Metadata as sent
    declared_sha256 TEXT,                        -- hex, from the "sha256" metadata key
    asset_id        INTEGER REFERENCES assets(id) ON DELETE SET NULL,  -- once complete
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX uploads_by_expiry ON uploads(expires_at);
)sql",
        // 3: the durable job queue (server/jobs/jobqueue.h has the state machine).
        R"sql(
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    queue            TEXT NOT NULL,               -- which handler runs it: "derive", ...
    payload          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    state            TEXT NOT NULL
                     CHECK (state IN ('invisible', 'pending', 'running', 'completed', 'canceled', 'errored')),
    priority         INTEGER NOT NULL DEFAULT 0,  -- higher first, among equal deadlines
    deadline         INTEGER,                     -- Unix ms; NULL: none (after every deadline)
    visible_at       INTEGER NOT NULL,            -- an invisible job becomes pending then
    exclusivity_key  TEXT,                        -- e.g. the asset id; NULL: none
    attempts         INTEGER NOT NULL DEFAULT 0,  -- claims so far, the running one included
    max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
    lease_owner      TEXT,                        -- the worker holding it, while running
    lease_expires_at INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    completed_at     INTEGER,                     -- when it reached a final state
    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
-- dequeue: the best pending job, in exactly the ORDER BY of store/jobstore.cpp's claim.
CREATE INDEX jobs_pending ON jobs(deadline IS NULL, deadline, priority DESC, created_at, id)
    WHERE state = 'pending';
-- dequeue's promotion of invisible jobs whose time has come.
CREATE INDEX jobs_invisible ON jobs(visible_at) WHERE state = 'invisible';
-- reclaimExpiredLeases.
CREATE INDEX jobs_leases ON jobs(lease_expires_at) WHERE state = 'running';
-- Exclusivity, guaranteed by the database: no two running jobs share a key.
CREATE UNIQUE INDEX jobs_running_key ON jobs(exclusivity_key) WHERE state = 'running';
-- counts per queue and state (/metrics) and the admin listing's filters.
CREATE INDEX jobs_by_queue_state ON jobs(queue, state);
)sql",
    };
    return all;
}

} // namespace pinhole::server::store
