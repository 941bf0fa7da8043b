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
        // 4: the social core: follows, follow requests, blocks, statuses (posts and their comments),
        // their media, hashtags and favourites, notifications, idempotency keys, the event log and
        // its consumers' cursors, home feeds and counters (server/social/, server/feed/).
        R"sql(
ALTER TABLE accounts ADD COLUMN hide_collections INTEGER NOT NULL DEFAULT 0 CHECK (hide_collections IN (0, 1));

-- A follow; `id` orders the followers/following lists (Mastodon pages them by the follow).
CREATE TABLE follows (
    follower_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    followee_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id           INTEGER NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_followee ON follows(followee_id, id);
CREATE INDEX follows_by_follower ON follows(follower_id, id);

-- A follow of a locked account, waiting for its owner's answer.
CREATE TABLE follow_requests (
    requester_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    target_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id           INTEGER NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (requester_id, target_id)
) WITHOUT ROWID;
CREATE INDEX follow_requests_by_target ON follow_requests(target_id, id);

CREATE TABLE blocks (
    blocker_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    blocked_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id           INTEGER NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;
CREATE INDEX blocks_by_blocked ON blocks(blocked_id, blocker_id);

-- Posts and comments (a comment is a status with in_reply_to_id). Deleting a post deletes its
-- comments (the service does it, one event each; the cascade is the safety net).
CREATE TABLE statuses (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    in_reply_to_id          INTEGER REFERENCES statuses(id) ON DELETE CASCADE,
    in_reply_to_account_id  INTEGER,
    visibility              TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    text                    TEXT NOT NULL,
    created_at              INTEGER NOT NULL
);
CREATE INDEX statuses_by_account ON statuses(account_id, id);
CREATE INDEX statuses_posts_by_account ON statuses(account_id, id) WHERE in_reply_to_id IS NULL;
CREATE INDEX statuses_by_parent ON statuses(in_reply_to_id, id) WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX statuses_public ON statuses(id) WHERE visibility = 'public' AND in_reply_to_id IS NULL;

-- A post's photos, in order: the author's own library assets (never copies).
CREATE TABLE status_media (
    status_id  INTEGER NOT NULL REFERENCES statuses(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    asset_id   INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, position)
) WITHOUT ROWID;
CREATE INDEX status_media_by_asset ON status_media(asset_id, status_id);

-- Hashtags of a status, lower-cased without '#'.
CREATE TABLE status_tags (
    tag        TEXT NOT NULL,
    status_id  INTEGER NOT NULL REFERENCES statuses(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, status_id)
) WITHOUT ROWID;
CREATE INDEX status_tags_by_status ON status_tags(status_id);

CREATE TABLE favourites (
    status_id   INTEGER NOT NULL REFERENCES statuses(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (status_id, account_id)
) WITHOUT ROWID;
CREATE INDEX favourites_by_status ON favourites(status_id, id);

CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,  -- who is told
    type             TEXT NOT NULL CHECK (type IN ('follow', 'follow_request', 'favourite', 'mention')),
    from_account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status_id        INTEGER REFERENCES statuses(id) ON DELETE CASCADE,
    created_at       INTEGER NOT NULL
);
CREATE INDEX notifications_by_account ON notifications(account_id, id);

-- Idempotency-Key of POST /api/v1/statuses: a retried request answers the status it created.
CREATE TABLE idempotency_keys (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    status_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);

-- The event log: one row per state change, appended in the transaction of the change. seq
-- orders it: writers are serialized (BEGIN IMMEDIATE), so rows become visible in seq order.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,
    actor_id    INTEGER NOT NULL,   -- who acted
    account_id  INTEGER,            -- the other account (followee, blocked, status author ...)
    status_id   INTEGER,
    parent_id   INTEGER,            -- the status replied to, for statuses
    created_at  INTEGER NOT NULL
);

-- Each consumer's position in the log: the last seq it has applied (moved in the transaction
-- of the consumer's effects).
CREATE TABLE consumer_cursors (
    consumer  TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;

-- Home feeds, fanned out on write (server/feed/). Capped per account, approximately.
CREATE TABLE home_feed (
    account_id  INTEGER NOT NULL,
    status_id   INTEGER NOT NULL,
    author_id   INTEGER NOT NULL,
    PRIMARY KEY (account_id, status_id)
) WITHOUT ROWID;

-- Counters, maintained from the event log; `pinholed admin recount` checks them against the rows.
CREATE TABLE account_counters (
    account_id       INTEGER PRIMARY KEY,
    followers_count  INTEGER NOT NULL DEFAULT 0,
    following_count  INTEGER NOT NULL DEFAULT 0,
    statuses_count   INTEGER NOT NULL DEFAULT 0
);
-- The few accounts above the celebrity threshold, found without a scan (feed/homefeed.h).
CREATE INDEX account_counters_by_followers ON account_counters(followers_count);
CREATE TABLE status_counters (
    status_id         INTEGER PRIMARY KEY,
    favourites_count  INTEGER NOT NULL DEFAULT 0,
    replies_count     INTEGER NOT NULL DEFAULT 0
);
)sql",
        // 5: sync (server/sync/, docs/protocol.md): the subject of an event that is not a
        // status or an account (an asset), the server's epoch (a cursor from another database is
        // refused), the applied client operations (idempotence) and per-field HLC stamps
        // (last-writer-wins).
        R"sql(
ALTER TABLE events ADD COLUMN subject_id INTEGER;   -- e.g. the asset of asset.* events

-- One row: a random number fixed when this database was made; part of every sync cursor.
CREATE TABLE sync_epoch (
    epoch  INTEGER NOT NULL
);
INSERT INTO sync_epoch (epoch) VALUES (abs(random() % 4294967296));

-- Client operations applied, written in the transaction of their change: an op_id seen again
-- answers already_applied. subject_id: what it acted on (its kind's entity); result_id: what
-- it created, if anything.
CREATE TABLE sync_ops (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    op_id       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    hlc         INTEGER NOT NULL,
    subject_id  INTEGER,
    result_id   INTEGER,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, op_id)
) WITHOUT ROWID;
CREATE INDEX sync_ops_by_subject ON sync_ops(account_id, subject_id, kind);

-- The HLC of the write each field holds (per-field last-writer-wins). A field without a row
-- was never written through sync or the API since this migration: stamp 0.
CREATE TABLE sync_field_stamps (
    entity     TEXT NOT NULL,     -- 'asset'
    entity_id  INTEGER NOT NULL,
    field      TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;
)sql",
        // 6: annotations (server/annotations/): the schema registry, annotations on assets, batch
        // operations and their staged items, the search index (events.subject_id, added by 5,
        // names the annotation or operation of annotation.* events).
        R"sql(
-- Versions of one name coexist: an annotation keeps the version it was written with.
CREATE TABLE annotation_schemas (
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    definition  TEXT NOT NULL,   -- canonical JSON of the DSL (annotations/schema.h)
    owner_id    INTEGER,         -- who registered the name; NULL: built in
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (name, version)
) WITHOUT ROWID;

CREATE TABLE annotations (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    owner_id        INTEGER NOT NULL,   -- the asset's owner (it never changes): scopes search
    author_id       INTEGER NOT NULL,
    schema_name     TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT NOT NULL,      -- JSON, valid for its schema version
    writer          TEXT,               -- the batch writer whose committed operation put it here
    revision        INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    FOREIGN KEY (schema_name, schema_version) REFERENCES annotation_schemas(name, version)
);
CREATE INDEX annotations_by_asset ON annotations(asset_id, id);
CREATE INDEX annotations_by_schema ON annotations(schema_name, id);
CREATE INDEX annotations_by_writer ON annotations(owner_id, schema_name, writer) WHERE writer IS NOT NULL;

-- Marken's atomic batch replace: items are staged here; commit swaps them for the key's
-- (owner, schema, writer) current annotations in one transaction.
CREATE TABLE annotation_operations (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    schema_name   TEXT NOT NULL,
    writer        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'committed', 'aborted')),
    item_count    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
);
CREATE TABLE annotation_operation_items (
    operation_id    INTEGER NOT NULL REFERENCES annotation_operations(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    schema_version  INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    PRIMARY KEY (operation_id, position)
) WITHOUT ROWID;

-- The search index, kept by the annotation_search consumer of the event log: the searchable
-- text of each annotation (rowid = annotation id), and which batch writer's key it came from,
-- so a committed operation's old rows are found and replaced in one consumer transaction.
CREATE VIRTUAL TABLE annotation_text USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE annotation_indexed (
    annotation_id  INTEGER PRIMARY KEY,
    owner_id       INTEGER NOT NULL,
    schema_name    TEXT NOT NULL,
    writer         TEXT
);
CREATE INDEX annotation_indexed_by_writer ON annotation_indexed(owner_id, schema_name, writer)
    WHERE writer IS NOT NULL;
)sql",
        // 7: the library (server/library/): asset fields the owner edits, the trash, and albums
        // with their ordered membership.
        R"sql(
ALTER TABLE assets ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1));
ALTER TABLE assets ADD COLUMN taken_at_correction INTEGER;  -- Unix ms set by the owner; wins over taken_at
ALTER TABLE assets ADD COLUMN trashed_at INTEGER;           -- Unix ms; NULL: not in the trash
-- The library's order and date filters: the capture time as best known (corrected, else from
-- EXIF, else the upload time).
ALTER TABLE assets ADD COLUMN sort_at INTEGER
    GENERATED ALWAYS AS (COALESCE(taken_at_correction, taken_at, created_at)) VIRTUAL;
CREATE INDEX assets_by_owner_time ON assets(owner_id, sort_at, id);
CREATE INDEX assets_trashed ON assets(trashed_at) WHERE trashed_at IS NOT NULL;

CREATE TABLE albums (
    id              INTEGER PRIMARY KEY,
    owner_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    cover_asset_id  INTEGER REFERENCES assets(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX albums_by_owner ON albums(owner_id, id);

-- An album's assets in order: positions are 0..n-1 without gaps (albumstore.h keeps them so).
CREATE TABLE album_assets (
    album_id    INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    asset_id    INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (album_id, asset_id)
) WITHOUT ROWID;
CREATE INDEX album_assets_by_position ON album_assets(album_id, position);
CREATE INDEX album_assets_by_asset ON album_assets(asset_id);
)sql",
        // 8: client-chosen ids for what a sync client creates offline (an
        // album, a region), and the HLC of the last sync write or delete of each, so an older op
        // arriving later loses (docs/protocol.md §4).
        R"sql(
CREATE TABLE sync_client_ids (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,        -- 'album' | 'annotation'
    client_id   TEXT NOT NULL,        -- the client's UUID
    entity_id   INTEGER NOT NULL,     -- the server's id (the entity may be gone: a tombstone)
    hlc         INTEGER NOT NULL,     -- the last write or delete through sync
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (account_id, kind, client_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_client_ids_by_entity ON sync_client_ids(kind, entity_id);
)sql",
        // 9: an account's avatar: the SHA-256 naming its file under
        // media/avatars (media/library.h); NULL for the default picture.
        R"sql(
ALTER TABLE accounts ADD COLUMN avatar_sha256 TEXT CHECK (avatar_sha256 IS NULL OR length(avatar_sha256) = 64);
)sql",
        // 10: a counter that every change able to end a bearer token's
        // validity bumps, in the transaction of the change, whichever process makes it: the
        // server's in-memory token cache (auth/oauthservice.h) reads it on each request and
        // forgets every cached token when it moved, so a revocation takes effect at once.
        R"sql(
CREATE TABLE auth_generation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL
);
INSERT INTO auth_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER auth_generation_token_deleted AFTER DELETE ON oauth_tokens
BEGIN UPDATE auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_generation_token_updated AFTER UPDATE ON oauth_tokens
BEGIN UPDATE auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_generation_account_approval AFTER UPDATE OF approved ON accounts
BEGIN UPDATE auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_generation_account_deleted AFTER DELETE ON accounts
BEGIN UPDATE auth_generation SET generation = generation + 1; END;
)sql",
    };
    return all;
}

} // namespace pinhole::server::store
