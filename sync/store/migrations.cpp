// The local schema, as numbered migrations. Append a new entry for every change; never edit one
// that has shipped. Times are Unix milliseconds; `hlc` columns are core/hlc.h stamps.
#include "store/localstore.h"

namespace pinhole::sync::store {

const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> all = {
        // 1: the library, the mirror of server state, the outbox and the upload journal.
        R"sql(
-- Settings and progress: server_url, username, access_token, pinned_key, device_id, hlc,
-- cursor, last_sync_at.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per content: the same bytes imported from two folders are one asset.
CREATE TABLE assets (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,          -- lower-case hex
    server_id     TEXT UNIQUE,                   -- NULL until the server knows the bytes
    size          INTEGER NOT NULL,
    width         INTEGER,
    height        INTEGER,
    taken_at      TEXT,                          -- EXIF DateTimeOriginal as written
    camera_make   TEXT,
    camera_model  TEXT,
    caption       TEXT NOT NULL DEFAULT '',
    caption_hlc   INTEGER NOT NULL DEFAULT 0,
    trashed       INTEGER NOT NULL DEFAULT 0 CHECK (trashed IN (0, 1)),
    imported_at   INTEGER NOT NULL
);

-- Where an asset's bytes are on this computer (any of them will do).
CREATE TABLE asset_files (
    path      TEXT PRIMARY KEY,
    asset_id  INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX asset_files_by_asset ON asset_files(asset_id);

-- Tags: an add-wins set. A removal hides only the adds it has seen (hlc <= removed_hlc).
CREATE TABLE tags (
    asset_id     INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    added_hlc    INTEGER NOT NULL,
    removed_hlc  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (asset_id, label)
) WITHOUT ROWID;

-- Albums, keyed by the id the creating client chose (a UUID), which the server keeps.
CREATE TABLE albums (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    name_hlc  INTEGER NOT NULL,
    deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) WITHOUT ROWID;

-- Album membership: an add-wins set, like tags.
CREATE TABLE album_assets (
    album_id     TEXT NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    asset_id     INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    added_hlc    INTEGER NOT NULL,
    removed_hlc  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (album_id, asset_id)
) WITHOUT ROWID;

-- A caption edited on two devices: the losing text is kept here for the user to see.
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,                   -- "asset:<sha256>"
    field       TEXT NOT NULL,
    kept        TEXT NOT NULL,
    lost        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- What the change stream sent that the library tables don't model (posts, profiles, likes,
-- comments, relationships): the server's JSON as it came, tombstones as deleted = 1.
CREATE TABLE mirror (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- The outbox: see outbox/outbox.h for the state machine. seq orders sending.
CREATE TABLE outbox (
    seq              INTEGER PRIMARY KEY,
    op_id            TEXT NOT NULL UNIQUE,        -- UUID, the server remembers it
    kind             TEXT NOT NULL,               -- "album.create", "tag.add", ...
    payload          TEXT NOT NULL,               -- JSON object
    hlc              INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'applied', 'parked', 'discarded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    reason           TEXT,                        -- why it is parked, or the last transient error
    result           TEXT,                        -- the server's answer once applied
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX outbox_by_state ON outbox(state, seq);

-- The upload journal: see upload/uploader.h for the state machine.
CREATE TABLE uploads (
    asset_id         INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'uploading', 'done', 'parked')),
    location         TEXT,                        -- the tus upload URL once created
    upload_offset    INTEGER NOT NULL DEFAULT 0,  -- bytes the server acknowledged
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    reason           TEXT,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX uploads_by_state ON uploads(state, asset_id);
)sql",
        // 2: what the viewer shows and edits beyond tags and captions: EXIF details read at import
        // (or sent by the server), rating and favourite (LWW by HLC), the trash stamp, ordered album
        // membership, and regions drawn on photos.
        R"sql(
ALTER TABLE assets ADD COLUMN orientation INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8);
ALTER TABLE assets ADD COLUMN lens TEXT;
ALTER TABLE assets ADD COLUMN exposure_time TEXT;      -- "1/250"
ALTER TABLE assets ADD COLUMN f_number TEXT;           -- "2.8"
ALTER TABLE assets ADD COLUMN iso TEXT;
ALTER TABLE assets ADD COLUMN focal_length TEXT;       -- "35" (mm)
ALTER TABLE assets ADD COLUMN latitude REAL;
ALTER TABLE assets ADD COLUMN longitude REAL;
ALTER TABLE assets ADD COLUMN thumbhash TEXT;          -- base64, when the server sent one
ALTER TABLE assets ADD COLUMN mime_type TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5);
ALTER TABLE assets ADD COLUMN rating_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assets ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1));
ALTER TABLE assets ADD COLUMN favourite_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assets ADD COLUMN trashed_hlc INTEGER NOT NULL DEFAULT 0;

-- The album's order: 0..n-1 over the members shown (added_hlc > removed_hlc).
ALTER TABLE album_assets ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- Regions drawn on a photo (the server's `region` schema), keyed by a client-chosen UUID.
-- Per-region last-writer-wins by `hlc`; a removal is a tombstone (deleted = 1) so that an older
-- edit arriving later does not bring the region back.
CREATE TABLE regions (
    id          TEXT PRIMARY KEY,
    asset_id    INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    x           REAL NOT NULL,
    y           REAL NOT NULL,
    w           REAL NOT NULL,
    h           REAL NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('face', 'pet', 'object', 'text')),
    label       TEXT NOT NULL DEFAULT '',
    hlc         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX regions_by_asset ON regions(asset_id, created_at);
)sql",
        // 3: the media cache (media/mediacache.h) and the albums pinned for offline use.
        R"sql(
-- A cached file of the server's: <profile>/media/<variant>/<aa>/<sha256>. A row exists only for
-- a whole file (written to tmp/, renamed, then recorded). last_access orders eviction.
CREATE TABLE media_cache (
    sha256       TEXT NOT NULL,
    variant      TEXT NOT NULL CHECK (variant IN ('thumb', 'preview', 'large', 'original')),
    size         INTEGER NOT NULL,
    last_access  INTEGER NOT NULL,
    PRIMARY KEY (sha256, variant)
) WITHOUT ROWID;
CREATE INDEX media_cache_by_access ON media_cache(last_access);

-- Albums pinned for offline use on this computer: a local setting, never synced.
CREATE TABLE pinned_albums (
    album_id   TEXT PRIMARY KEY,
    pinned_at  INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    };
    return all;
}

} // namespace pinhole::sync::store
