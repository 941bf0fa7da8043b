#include "store/localstore.h"

namespace pinhole::sync::store {

Status migrate(Database& db, const std::vector<std::string_view>& all, const LogSink& log) {
    auto q = db.prepare("PRAGMA user_version");
    auto row = q.step();
    if (!row)
        return row.status();
    const auto current = static_cast<std::size_t>(q.int64(0));
    if (current > all.size())
        return Status(Code::PreconditionFailed, "the local store has schema version " + std::to_string(current) +
                                                    ", newer than this program (" + std::to_string(all.size()) +
                                                    "); update pinhole");
    for (std::size_t version = current + 1; version <= all.size(); ++version) {
        Transaction tx(db);
        PINHOLE_TRY(tx.status());
        PINHOLE_TRY(db.exec(all[version - 1]));
        PINHOLE_TRY(db.exec("PRAGMA user_version = " + std::to_string(version)));
        PINHOLE_TRY(tx.commit());
        logTo(log, LogLevel::Info, "local_migration_applied", std::to_string(version));
    }
    return Status::ok();
}

Result<std::unique_ptr<LocalStore>> LocalStore::open(const std::string& path, LogSink log) {
    auto db = Database::open(path);
    if (!db)
        return db.status();
    (*db)->setLogSink(log);
    PINHOLE_TRY(migrate(**db, migrations(), log));
    return std::unique_ptr<LocalStore>(new LocalStore(std::move(*db), path));
}

int LocalStore::schemaVersion() {
    auto q = m_db->prepare("PRAGMA user_version");
    auto row = q.step();
    return row && *row ? static_cast<int>(q.int64(0)) : -1;
}

Status LocalStore::checkIntegrity() {
    {
        auto q = m_db->prepare("PRAGMA integrity_check");
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row || q.text(0) != "ok")
            return Status(Code::Internal, "integrity_check: " + (*row ? q.text(0) : std::string("no answer")));
    }
    auto q = m_db->prepare("PRAGMA foreign_key_check");
    auto row = q.step();
    if (!row)
        return row.status();
    if (*row)
        return Status(Code::Internal, "foreign_key_check: a row of " + q.text(0) + " points nowhere");
    return Status::ok();
}

std::optional<std::string> LocalStore::meta(std::string_view key) {
    auto q = m_db->prepare("SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    auto row = q.step();
    if (!row || !*row)
        return std::nullopt;
    return q.text(0);
}

Status LocalStore::setMeta(std::string_view key, std::string_view value) {
    return m_db
        ->prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

Status LocalStore::eraseMeta(std::string_view key) {
    return m_db->prepare("DELETE FROM meta WHERE key = ?").bind(1, key).run();
}

} // namespace pinhole::sync::store
