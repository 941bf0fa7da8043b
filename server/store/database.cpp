#include "store/database.h"

#include "core/log.h"

#include <sqlite3.h>

namespace pinhole::server::store {

Query::Query(Query&& other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_bindError(std::move(other.m_bindError)) {
    other.m_stmt = nullptr;
}

Query::~Query() {
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

namespace {
Status bindStatus(Database& db, int rc) {
    return rc == SQLITE_OK ? Status::ok() : db.lastError("bind");
}
} // namespace

Query& Query::bind(int index, std::int64_t value) {
    if (m_stmt && m_bindError.isOk())
        m_bindError = bindStatus(*m_db, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Query& Query::bind(int index, double value) {
    if (m_stmt && m_bindError.isOk())
        m_bindError = bindStatus(*m_db, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Query& Query::bind(int index, std::string_view text) {
    if (m_stmt && m_bindError.isOk())
        m_bindError = bindStatus(
            *m_db, sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Query& Query::bindBlob(int index, const void* data, std::size_t size) {
    if (m_stmt && m_bindError.isOk())
        m_bindError = bindStatus(*m_db, sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_TRANSIENT));
    return *this;
}

Query& Query::bindIds(int index, const std::vector<std::int64_t>& ids) {
    std::string array = "[";
    array.reserve(ids.size() * 20 + 2);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i)
            array += ',';
        array += std::to_string(ids[i]);
    }
    array += ']';
    return bind(index, std::string_view(array));
}

Query& Query::bindNull(int index) {
    if (m_stmt && m_bindError.isOk())
        m_bindError = bindStatus(*m_db, sqlite3_bind_null(m_stmt, index));
    return *this;
}

Result<bool> Query::step() {
    if (!m_stmt)
        return m_db->lastError("prepare");
    if (!m_bindError.isOk())
        return m_bindError;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return Status(Code::Conflict, sqlite3_errmsg(m_db->handle()));
    return m_db->lastError("step");
}

Status Query::run() {
    for (;;) {
        auto row = step();
        if (!row)
            return row.status();
        if (!*row)
            return Status::ok();
    }
}

std::int64_t Query::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}
double Query::real(int column) const {
    return sqlite3_column_double(m_stmt, column);
}
bool Query::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::string Query::text(int column) const {
    const auto* p = sqlite3_column_text(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(m_stmt, column)) : std::string();
}

std::string Query::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return p ? std::string(p, sqlite3_column_bytes(m_stmt, column)) : std::string();
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, Options options) {
    sqlite3* raw = nullptr;
    const int flags =
        (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<Database> db(new Database(raw));
    if (rc != SQLITE_OK)
        return Status(Code::Internal, "cannot open database " + path + ": " + sqlite3_errstr(rc));
    sqlite3_extended_result_codes(raw, 1);
    db->m_busyTimeoutMs = options.busyTimeoutMs;
    db->waitForLocks(true);
    // WAL for concurrent readers; synchronous=FULL so a committed transaction survives power loss
    // (NORMAL could lose the last commits, and we acknowledge uploads after commit).
    PINHOLE_TRY(db->exec("PRAGMA foreign_keys=ON"));
    // Reads through a shared memory map of the file (the OS page cache, one copy for every
    // connection) rather than copying pages into each connection's cache; each connection keeps
    // 8 MiB of pages of its own (the default is 2 MiB) for the hot indexes.
    PINHOLE_TRY(db->exec("PRAGMA mmap_size=268435456; PRAGMA cache_size=-8192"));
    if (!options.readOnly) {
        PINHOLE_TRY(db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL"));
    }
    return db;
}

Database::~Database() {
    for (auto& [sql, stmt] : m_statements)
        sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
}

Status Database::exec(std::string_view sql) {
    const std::string copy(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return Status::ok();
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Status(Code::Internal, "sqlite: " + text);
}

Query Database::prepare(std::string_view sql) {
    auto it = m_statements.find(sql);
    if (it != m_statements.end())
        return Query(*this, it->second);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
        log::error("sqlite_prepare_failed", {{"error", std::string(sqlite3_errmsg(m_db))}, {"sql", sql}});
        return Query(*this, nullptr);
    }
    m_statements.emplace(std::string(sql), stmt);
    return Query(*this, stmt);
}

void Database::waitForLocks(bool wait) {
    sqlite3_busy_timeout(m_db, wait ? m_busyTimeoutMs : 0);
}

std::int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}

Status Database::lastError(std::string_view context) const {
    const int rc = sqlite3_extended_errcode(m_db);
    const Code code = (rc & 0xff) == SQLITE_BUSY ? Code::Unavailable : Code::Internal;
    return Status(code, std::string("sqlite ") + std::string(context) + ": " + sqlite3_errmsg(m_db));
}

namespace {
Status beginWith(Database& db, Durability durability) {
    if (durability == Durability::Deferred)
        PINHOLE_TRY(db.prepare("PRAGMA synchronous=NORMAL").run());
    return db.exec("BEGIN IMMEDIATE");
}
} // namespace

Transaction::Transaction(Database& db, Durability durability)
    : m_db(db), m_durability(durability), m_begin(beginWith(db, durability)) {}

Transaction::~Transaction() {
    if (m_begin.isOk() && !m_done) {
        if (auto s = m_db.exec("ROLLBACK"); !s)
            log::error("rollback_failed", {{"error", s.message()}});
    }
    // The connection goes back to the pool as it was opened: every other commit is synced.
    if (m_durability == Durability::Deferred)
        if (auto s = m_db.prepare("PRAGMA synchronous=FULL").run(); !s)
            log::error("synchronous_restore_failed", {{"error", s.message()}});
}

Status Transaction::commit() {
    if (!m_begin)
        return m_begin;
    Status s = m_db.exec("COMMIT");
    if (s)
        m_done = true;
    return s;
}

// Cached statements rather than exec(): a read snapshot opens on every request of the hot paths.
ReadTransaction::ReadTransaction(Database& db) : m_db(db) {
    if (sqlite3_get_autocommit(db.handle()))
        m_open = db.prepare("BEGIN").run().isOk();
}

ReadTransaction::~ReadTransaction() {
    if (m_open)
        if (auto s = m_db.prepare("COMMIT").run(); !s)
            log::error("read_transaction_end_failed", {{"error", s.message()}});
}

} // namespace pinhole::server::store
