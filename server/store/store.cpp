#include "store/store.h"

#include "core/log.h"

namespace pinhole::server::store {

Status migrate(Database& db) {
    auto q = db.prepare("PRAGMA user_version");
    auto row = q.step();
    if (!row)
        return row.status();
    const auto current = static_cast<std::size_t>(q.int64(0));
    const auto& all = migrations();
    if (current > all.size())
        return Status(Code::Internal, "the database is from a newer pinholed (schema " + std::to_string(current) +
                                          ", this build knows " + std::to_string(all.size()) + ")");
    for (std::size_t version = current + 1; version <= all.size(); ++version) {
        Transaction tx(db);
        PINHOLE_TRY(tx.status());
        PINHOLE_TRY(db.exec(all[version - 1]));
        PINHOLE_TRY(db.exec("PRAGMA user_version = " + std::to_string(version)));
        PINHOLE_TRY(tx.commit());
        log::info("migration_applied", {{"version", static_cast<long long>(version)}});
    }
    return Status::ok();
}

Status ping(Database& db) {
    auto q = db.prepare("SELECT count(*) FROM sqlite_master");
    auto row = q.step();
    return row ? Status::ok() : row.status();
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
    auto db = Database::open(path);
    if (!db)
        return db.status();
    PINHOLE_TRY(migrate(**db));
    std::unique_ptr<Store> store(new Store(path));
    store->m_idle.push_back(std::move(db).value());
    store->m_open = 1;
    return store;
}

Result<Store::Lease> Store::connection() {
    std::unique_lock lock(m_mutex);
    m_available.wait(lock, [this] { return !m_idle.empty() || m_open < kMaxConnections; });
    if (!m_idle.empty()) {
        auto db = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(db));
    }
    ++m_open;
    lock.unlock();
    auto db = Database::open(m_path);
    if (!db) {
        std::lock_guard relock(m_mutex);
        --m_open;
        m_available.notify_one();
        return db.status();
    }
    return Lease(*this, std::move(db).value());
}

std::optional<Store::Lease> Store::idleConnection() {
    std::lock_guard lock(m_mutex);
    if (m_idle.empty())
        return std::nullopt;
    auto db = std::move(m_idle.back());
    m_idle.pop_back();
    db->waitForLocks(false); // until given back (~Lease)
    return Lease(*this, std::move(db));
}

void Store::giveBack(std::unique_ptr<Database> db) {
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(db));
    m_available.notify_one();
}

Store::Lease::~Lease() {
    if (m_db) {
        m_db->waitForLocks(true); // as every lease starts, whoever lent it
        m_store->giveBack(std::move(m_db));
    }
}

} // namespace pinhole::server::store
