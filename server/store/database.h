// The one RAII wrapper around SQLite: a connection with cached prepared statements.
//
// Threading: a Database is used by one thread at a time (SQLite's "multi-thread" mode); the
// server gets one per handler thread from ConnectionPool. Every connection opens in WAL mode with
// foreign_keys=ON and a busy_timeout.
//
// Concurrent writers: WAL lets readers run beside the one writer. Every write transaction starts
// with BEGIN IMMEDIATE (Transaction does this), so it takes the write lock up front instead of
// upgrading a read lock mid-way (which can fail with SQLITE_BUSY regardless of busy_timeout);
// waiting writers queue on busy_timeout. Write transactions are kept short: no network or
// image work inside one.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace pinhole::server::store {

class Database;

// A prepared statement borrowed from the connection's cache; reset and unbound when destroyed.
// Bind indexes and column indexes are as in SQLite: binds from 1, columns from 0.
class Query {
public:
    Query(Query&& other) noexcept;
    Query& operator=(Query&&) = delete;
    ~Query();

    Query& bind(int index, std::int64_t value);
    Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
    Query& bind(int index, double value);
    Query& bind(int index, std::string_view text);
    Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Query& bindBlob(int index, const void* data, std::size_t size);
    Query& bindNull(int index);
    // A list of ids as one JSON array, for `IN (SELECT value FROM json_each(?N))`: one cached
    // statement serves every list length, so a page of rows is read in one query, not one each.
    Query& bindIds(int index, const std::vector<std::int64_t>& ids);
    template <class T> Query& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // Advances to the next row: true if there is one, false when done.
    Result<bool> step();
    // Runs a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
    Status run();

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string blob(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    Query(Database& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
    Database* m_db;
    sqlite3_stmt* m_stmt;
    Status m_bindError;
};

class Database {
public:
    struct Options {
        bool readOnly = false;
        int busyTimeoutMs = 5000;
    };

    static Result<std::unique_ptr<Database>> open(const std::string& path, Options options);
    static Result<std::unique_ptr<Database>> open(const std::string& path) { return open(path, Options{}); }
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements with no results (schema, pragmas).
    Status exec(std::string_view sql);

    // A cached prepared statement for `sql`. A bad statement is a bug: the failure is
    // reported by the Query's first step()/run().
    Query prepare(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    sqlite3* handle() { return m_db; }

    // With false, a statement that would wait for a lock (the busy timeout) fails at once with
    // SQLITE_BUSY instead, for a caller that must never wait (store::Store::idleConnection);
    // true restores the timeout the connection was opened with.
    void waitForLocks(bool wait);

    // Builds a Status from the connection's last error.
    Status lastError(std::string_view context) const;

private:
    explicit Database(sqlite3* db) : m_db(db) {}
    sqlite3* m_db;
    int m_busyTimeoutMs = 0;
    // Looked up by the caller's string_view (a literal), with no std::string made per query.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
    };
    std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> m_statements;
};

// How a commit reaches the disk. Connections run `synchronous=FULL`: a commit returns once the
// WAL is synced, so what a response acknowledges survives a power cut.
//   Deferred: the commit is not synced itself (`synchronous=NORMAL` for this transaction). It
//   survives a crash or kill of the process like any other (the WAL is in the OS's cache), and
//   is made durable by the next durable commit of any connection, since the WAL is one ordered
//   file; an OS crash or power cut before that may lose it, never anything after it. Only for
//   work whose loss is repaired by doing it again: the job queue's bookkeeping (a lost claim or
//   completion runs the job again) and the event log's consumers (a lost batch is applied again,
//   with its cursor). Never for anything a response acknowledges.
enum class Durability { Full, Deferred };

// A write transaction: BEGIN IMMEDIATE now, ROLLBACK on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db, Durability durability = Durability::Full);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Whether BEGIN succeeded; check before doing work.
    const Status& status() const { return m_begin; }
    Status commit();

private:
    Database& m_db;
    Durability m_durability;
    Status m_begin;
    bool m_done = false;
};

// Work a caller adds to a service's write transaction (e.g. sync/ recording an operation id with
// the change it made): runs after the change, before commit, with the id of what the change
// made or touched; a failure rolls the whole transaction back. Empty: nothing to add.
using AlsoInTransaction = std::function<Status(Database& db, std::int64_t subjectId)>;

// A read snapshot: BEGIN (deferred) now, ended on destruction. Many small reads in one snapshot
// are consistent with each other and much cheaper than as many implicit transactions (each of
// which takes and releases the WAL read lock). A no-op inside a transaction already open.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    Database& m_db;
    bool m_open = false;
};

} // namespace pinhole::server::store
