// The server's database: a path, the numbered migrations, and a pool of connections.
//
// Threading: connection() may be called from any thread; each lease is used by one thread and
// returned when destroyed. The pool grows on demand up to kMaxConnections and then waits.
#pragma once

#include "core/status.h"
#include "store/database.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::store {

// Schema migrations, in order; migration i (1-based) brings user_version from i-1 to i.
// Each runs in its own transaction together with the user_version bump. Append, never edit.
const std::vector<std::string_view>& migrations();

// Applies the migrations the database has not seen yet.
Status migrate(Database& db);

// A trivial query: whether the connection can read the database (for /readyz).
Status ping(Database& db);

class Store {
public:
    // More than the handler and worker threads together; beyond that a caller waits.
    static constexpr std::size_t kMaxConnections = 16;

    // Opens (creating if needed) and migrates the database at `path`.
    static Result<std::unique_ptr<Store>> open(const std::string& path);

    class Lease {
    public:
        Lease(Store& store, std::unique_ptr<Database> db) : m_store(&store), m_db(std::move(db)) {}
        Lease(Lease&&) noexcept = default;
        ~Lease();
        Database& operator*() { return *m_db; }
        Database* operator->() { return m_db.get(); }

    private:
        Store* m_store;
        std::unique_ptr<Database> m_db;
    };

    // A connection for the calling thread's exclusive use until the lease is destroyed.
    Result<Lease> connection();
    // An idle connection, or nullopt rather than waiting for one or opening one, which fails
    // rather than waits for a lock while leased (for work on an I/O thread, which must never wait).
    std::optional<Lease> idleConnection();

    const std::string& path() const { return m_path; }

private:
    explicit Store(std::string path) : m_path(std::move(path)) {}
    void giveBack(std::unique_ptr<Database> db);

    std::string m_path;
    std::mutex m_mutex; // guards m_idle, m_open
    std::condition_variable m_available;
    std::vector<std::unique_ptr<Database>> m_idle;
    std::size_t m_open = 0;
};

} // namespace pinhole::server::store
