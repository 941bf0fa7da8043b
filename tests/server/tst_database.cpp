// The SQLite layer: connections open in WAL with foreign keys, migrations run once and record
// user_version, a transaction rolls back unless committed, constraint violations are Conflict,
// and a database from a newer build is refused.
#include "store/accountstore.h"
#include "store/database.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;
using namespace pinhole::server::store;

namespace {
std::int64_t scalar(Database& db, const char* sql) {
    auto q = db.prepare(sql);
    auto row = q.step();
    return row.isOk() && *row ? q.int64(0) : -1;
}
std::string text(Database& db, const char* sql) {
    auto q = db.prepare(sql);
    auto row = q.step();
    return row.isOk() && *row ? q.text(0) : std::string();
}
} // namespace

class TestDatabase : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

private slots:
    void opensInWalWithForeignKeys() {
        auto db = Database::open(path("a.db"));
        QVERIFY(db.isOk());
        QCOMPARE(text(**db, "PRAGMA journal_mode"), std::string("wal"));
        QCOMPARE(scalar(**db, "PRAGMA foreign_keys"), std::int64_t(1));
        QCOMPARE(scalar(**db, "PRAGMA synchronous"), std::int64_t(2)); // FULL
    }
    void migrationsRunOnceAndRecordTheVersion() {
        {
            auto store = Store::open(path("m.db"));
            QVERIFY(store.isOk());
        }
        auto db = Database::open(path("m.db"));
        QCOMPARE(scalar(**db, "PRAGMA user_version"), std::int64_t(migrations().size()));
        QVERIFY(migrate(**db).isOk()); // nothing left to do
        QCOMPARE(scalar(**db, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'"), std::int64_t(1));
    }
    void newerDatabaseIsRefused() {
        {
            auto db = Database::open(path("new.db"));
            QVERIFY((*db)->exec("PRAGMA user_version = 9999").isOk());
        }
        auto store = Store::open(path("new.db"));
        QVERIFY(!store.isOk());
        QVERIFY(store.status().message().find("newer") != std::string::npos);
    }
    void uncommittedTransactionRollsBack() {
        auto db = Database::open(path("t.db"));
        QVERIFY((*db)->exec("CREATE TABLE t (x INTEGER)").isOk());
        {
            Transaction tx(**db);
            QVERIFY(tx.status().isOk());
            QVERIFY((*db)->exec("INSERT INTO t VALUES (1)").isOk());
        }
        QCOMPARE(scalar(**db, "SELECT count(*) FROM t"), std::int64_t(0));
        {
            Transaction tx(**db);
            QVERIFY((*db)->exec("INSERT INTO t VALUES (2)").isOk());
            QVERIFY(tx.commit().isOk());
        }
        QCOMPARE(scalar(**db, "SELECT count(*) FROM t"), std::int64_t(1));
    }
    // A deferred commit is unsynced only for its own transaction: committed or rolled back, the
    // connection is FULL again, so the next user of the pooled connection gets synced commits.
    void aDeferredTransactionLeavesTheConnectionSyncingEveryCommit() {
        auto db = Database::open(path("d.db"));
        QVERIFY((*db)->exec("CREATE TABLE t (x INTEGER)").isOk());
        {
            Transaction tx(**db, Durability::Deferred);
            QVERIFY(tx.status().isOk());
            QCOMPARE(scalar(**db, "PRAGMA synchronous"), std::int64_t(1)); // NORMAL
            QVERIFY((*db)->exec("INSERT INTO t VALUES (1)").isOk());
            QVERIFY(tx.commit().isOk());
        }
        QCOMPARE(scalar(**db, "PRAGMA synchronous"), std::int64_t(2)); // FULL
        {
            Transaction tx(**db, Durability::Deferred);
            QVERIFY((*db)->exec("INSERT INTO t VALUES (2)").isOk());
        } // rolled back
        QCOMPARE(scalar(**db, "PRAGMA synchronous"), std::int64_t(2));
        QCOMPARE(scalar(**db, "SELECT sum(x) FROM t"), std::int64_t(1));
        {
            Transaction tx(**db);
            QCOMPARE(scalar(**db, "PRAGMA synchronous"), std::int64_t(2));
        }
    }
    void duplicateUsernameIsConflictWhateverTheCase() {
        auto store = Store::open(path("u.db"));
        QVERIFY(store.isOk());
        auto db = (*store)->connection();
        Account a;
        a.id = 1;
        a.username = "Alice";
        a.passwordHash = "x";
        QVERIFY(insertAccount(**db, a).isOk());
        a.id = 2;
        a.username = "alice";
        const Status s = insertAccount(**db, a);
        QCOMPARE(s.code(), Code::Conflict);
        QVERIFY(accountByUsername(**db, "ALICE").isOk());
    }
    void statementsAreReusedWithFreshBindings() {
        auto db = Database::open(path("r.db"));
        QVERIFY((*db)->exec("CREATE TABLE t (x INTEGER)").isOk());
        for (int i = 0; i < 3; ++i) {
            auto q = (*db)->prepare("INSERT INTO t VALUES (?1)");
            q.bind(1, i);
            QVERIFY(q.run().isOk());
        }
        QCOMPARE(scalar(**db, "SELECT sum(x) FROM t"), std::int64_t(3));
    }
    // For an I/O thread: an idle connection or none, never a wait for one, a new one or a lock.
    void anIdleConnectionIsLentButNeverWaitedForOrOpened() {
        auto store = Store::open(path("idle.db"));
        QVERIFY(store.isOk());
        auto first = (*store)->idleConnection(); // the one open() migrated with
        QVERIFY(first.has_value());
        QCOMPARE(scalar(**first, "SELECT count(*) FROM accounts"), std::int64_t(0));
        QCOMPARE(scalar(**first, "PRAGMA busy_timeout"), std::int64_t(0)); // fails rather than waits
        QVERIFY(!(*store)->idleConnection().has_value()); // none idle: no new one is opened
        auto second = (*store)->connection();              // connection() opens one instead
        QVERIFY(second.isOk());
        first.reset(); // given back
        {
            auto again = (*store)->connection(); // the one given back: it waits for locks again
            QCOMPARE(scalar(**again, "PRAGMA busy_timeout"), std::int64_t(5000));
        }
        QVERIFY((*store)->idleConnection().has_value());
    }
    void badSqlIsAnErrorNotACrash() {
        auto db = Database::open(path("b.db"));
        auto q = (*db)->prepare("SELEKT nonsense");
        QVERIFY(!q.step().isOk());
    }
};

QTEST_APPLESS_MAIN(TestDatabase)
#include "tst_database.moc"
