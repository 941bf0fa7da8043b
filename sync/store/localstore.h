// The client's local SQLite store: the account's library, albums, annotations, the mirror of
// what the server sent (feed, profiles), the outbox and the upload journal, in one file with
// numbered migrations (store/migrations.cpp). Each module keeps the SQL of its own tables
// (library/, outbox/, upload/, replication/); this class owns the connection, the schema and
// the small key/value `meta` table (server, token, cursor, clock).
//
// Threading: one LocalStore is used by one thread at a time; the engine serializes access with
// its mutex. Crash safety: WAL + synchronous=FULL; every change is one transaction.
#pragma once

#include "core/log.h"
#include "core/status.h"
#include "store/database.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::sync::store {

// The schema, one entry per version (index 0 = version 1). Append only.
const std::vector<std::string_view>& migrations();

class LocalStore {
public:
    // Opens (creating if needed) and migrates the store at `path`. A store written by a newer
    // binary (user_version above the last migration) is refused, not downgraded.
    static Result<std::unique_ptr<LocalStore>> open(const std::string& path, LogSink log = {});

    Database& db() { return *m_db; }
    const std::string& path() const { return m_path; }

    int schemaVersion();
    // PRAGMA integrity_check and foreign_key_check: ok, or the first problems found.
    Status checkIntegrity();

    std::optional<std::string> meta(std::string_view key);
    Status setMeta(std::string_view key, std::string_view value);
    Status eraseMeta(std::string_view key);

private:
    LocalStore(std::unique_ptr<Database> db, std::string path) : m_db(std::move(db)), m_path(std::move(path)) {}
    std::unique_ptr<Database> m_db;
    std::string m_path;
};

// Applies the migrations above user_version, each in its own transaction.
Status migrate(Database& db, const std::vector<std::string_view>& all, const LogSink& log = {});

} // namespace pinhole::sync::store
