// The local store: a new file gets every migration and passes its integrity checks; reopening
// applies nothing twice; a store from a newer program is refused, not damaged.
#include "store/localstore.h"

#include <QTemporaryDir>
#include <QTest>

using pinhole::sync::Code;
using pinhole::sync::store::Database;
using pinhole::sync::store::LocalStore;
using pinhole::sync::store::migrations;

class TestLocalStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

private slots:
    void aNewStoreHasEveryMigrationAndIsIntact() {
        auto store = LocalStore::open(path("new.db"));
        QVERIFY2(store.isOk(), store.isOk() ? "" : store.status().message().c_str());
        QCOMPARE((*store)->schemaVersion(), static_cast<int>(migrations().size()));
        QVERIFY((*store)->checkIntegrity().isOk());
    }

    void theStoreIsInWalModeWithForeignKeys() {
        auto store = LocalStore::open(path("wal.db"));
        QVERIFY(store.isOk());
        auto q = (*store)->db().prepare("PRAGMA journal_mode");
        QVERIFY(q.step().value());
        QCOMPARE(QString::fromStdString(q.text(0)), QStringLiteral("wal"));
        auto fk = (*store)->db().prepare("PRAGMA foreign_keys");
        QVERIFY(fk.step().value());
        QCOMPARE(fk.int64(0), 1);
    }

    void reopeningKeepsDataAndMigratesNothingTwice() {
        {
            auto store = LocalStore::open(path("reopen.db"));
            QVERIFY(store.isOk());
            QVERIFY((*store)->setMeta("cursor", "42").isOk());
        }
        std::vector<std::string> logged;
        auto store = LocalStore::open(
            path("reopen.db"), [&](auto, std::string_view event, std::string_view) { logged.emplace_back(event); });
        QVERIFY(store.isOk());
        QCOMPARE((*store)->meta("cursor").value_or(""), std::string("42"));
        QVERIFY(std::find(logged.begin(), logged.end(), "local_migration_applied") == logged.end());
    }

    void metaValuesAreReplacedAndErased() {
        auto store = LocalStore::open(path("meta.db"));
        QVERIFY(store.isOk());
        QVERIFY((*store)->setMeta("k", "1").isOk());
        QVERIFY((*store)->setMeta("k", "2").isOk());
        QCOMPARE((*store)->meta("k").value_or(""), std::string("2"));
        QVERIFY((*store)->eraseMeta("k").isOk());
        QVERIFY(!(*store)->meta("k").has_value());
    }

    void aStoreFromANewerProgramIsRefused() {
        {
            auto db = Database::open(path("newer.db"));
            QVERIFY(db.isOk());
            QVERIFY((*db)->exec("PRAGMA user_version = " + std::to_string(migrations().size() + 1)).isOk());
        }
        auto store = LocalStore::open(path("newer.db"));
        QVERIFY(!store.isOk());
        QCOMPARE(store.status().code(), Code::PreconditionFailed);
    }

    void aDanglingReferenceFailsTheIntegrityCheck() {
        auto store = LocalStore::open(path("dangling.db"));
        QVERIFY(store.isOk());
        auto& db = (*store)->db();
        QVERIFY(db.exec("PRAGMA foreign_keys = OFF").isOk());
        QVERIFY(db.exec("INSERT INTO asset_files(path, asset_id) VALUES ('/nowhere.jpg', 999)").isOk());
        QVERIFY(db.exec("PRAGMA foreign_keys = ON").isOk());
        const auto s = (*store)->checkIntegrity();
        QVERIFY(!s.isOk());
        QVERIFY(s.message().find("asset_files") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
