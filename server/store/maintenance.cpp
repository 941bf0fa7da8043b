#include "store/maintenance.h"

#include <sqlite3.h>

#include <memory>

namespace pinhole::server::store {

Status backupDatabase(Database& source, const std::string& destPath) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXCLUSIVE;
    const int opened = sqlite3_open_v2(destPath.c_str(), &raw, flags, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> dest(raw, sqlite3_close);
    if (opened != SQLITE_OK)
        return internalError("cannot create " + destPath + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(opened)));
    sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.handle(), "main");
    if (!backup)
        return internalError("cannot start the backup: " + std::string(sqlite3_errmsg(dest.get())));
    // -1: every page in one step, inside one read transaction on the source (a consistent copy).
    const int stepped = sqlite3_backup_step(backup, -1);
    const int finished = sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE)
        return internalError("backup failed: " + std::string(sqlite3_errstr(stepped)));
    if (finished != SQLITE_OK)
        return internalError("backup failed: " + std::string(sqlite3_errmsg(dest.get())));
    return Status::ok();
}

Result<std::vector<std::string>> integrityProblems(Database& db) {
    std::vector<std::string> problems;
    {
        auto q = db.prepare("PRAGMA integrity_check");
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            if (q.text(0) != "ok")
                problems.push_back("integrity_check: " + q.text(0));
        }
    }
    auto q = db.prepare("PRAGMA foreign_key_check");
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        problems.push_back("foreign_key_check: row " + q.text(1) + " of " + q.text(0) + " refers to a missing row of " +
                           q.text(2));
    }
    return problems;
}

Result<std::vector<ReferencedFile>> referencedFiles(Database& db) {
    std::vector<ReferencedFile> files;
    {
        auto q = db.prepare("SELECT sha256, max(byte_size) FROM assets GROUP BY sha256 ORDER BY sha256");
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            files.push_back({ReferencedFile::Kind::Original, q.text(0), "", q.int64(1)});
        }
    }
    auto q = db.prepare("SELECT a.sha256, d.variant, max(d.byte_size) FROM asset_derivatives d "
                        "JOIN assets a ON a.id = d.asset_id GROUP BY a.sha256, d.variant ORDER BY a.sha256, d.variant");
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        files.push_back({ReferencedFile::Kind::Derivative, q.text(0), q.text(1), q.int64(2)});
    }
    auto avatars = db.prepare("SELECT DISTINCT avatar_sha256 FROM accounts WHERE avatar_sha256 IS NOT NULL "
                              "ORDER BY avatar_sha256");
    for (;;) {
        auto row = avatars.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        files.push_back({ReferencedFile::Kind::Avatar, avatars.text(0), "", -1});
    }
    return files;
}

Result<int> dropUnfinishedUploads(Database& db) {
    PINHOLE_TRY(db.prepare("DELETE FROM uploads WHERE asset_id IS NULL").run());
    return db.changes();
}

} // namespace pinhole::server::store
