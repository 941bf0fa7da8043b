// Applying change-stream pages (docs/protocol.md §2) to the local store, with the golden pages
// of tests/fixtures/sync/: a page and its cursor commit together, twice is the same as once, a
// page cut off changes nothing, tombstones and unfollows remove what they must, a reset
// replaces the mirror but never the outbox or the library, an unsent caption edit survives.
#include "core/hlc.h"
#include "library/library.h"
#include "net/http.h"
#include "outbox/outbox.h"
#include "replication/pull.h"
#include "store/localstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;

namespace {
// sha256("test"): the asset of the snapshot fixture.
const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string fixture(const char* name) {
    QFile f(qEnvironmentVariable("PINHOLE_SOURCE_DIR") + "/tests/fixtures/sync/" + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}
} // namespace

class TestPull : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::LocalStore> m_store;
    net::HttpClient m_http; // unused by applyPage
    int m_n = 0;

    int count(const std::string& sql) {
        auto q = m_store->db().prepare(sql);
        return q.step().value() ? static_cast<int>(q.int64(0)) : -1;
    }
    std::string dumpMirror() {
        auto q = m_store->db().prepare("SELECT kind || '/' || id || '=' || body FROM mirror ORDER BY kind, id");
        std::string out;
        while (q.step().value())
            out += q.text(0) + "\n";
        return out;
    }
    Result<bool> apply(const char* name) {
        Puller puller(*m_store, m_http, "http://unused");
        PullReport report;
        return puller.applyPage(fixture(name), report);
    }
    void addLocalAsset() {
        QVERIFY(m_store->db()
                    .prepare("INSERT INTO assets(sha256, size, caption, imported_at) VALUES (?, 4, 'mine', 1)")
                    .bind(1, kSha)
                    .run()
                    .isOk());
    }

private slots:
    void init() {
        auto s = store::LocalStore::open((m_dir.path() + QString("/p%1.db").arg(++m_n)).toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
    }

    void aSnapshotFillsTheMirrorAndMovesTheCursor() {
        QVERIFY(!fixture("changes_snapshot.ndjson").empty());
        auto more = apply("changes_snapshot.ndjson");
        QVERIFY2(more.isOk(), more.isOk() ? "" : more.status().message().c_str());
        QCOMPARE(*more, false);
        QCOMPARE(m_store->meta("cursor").value_or(""), std::string("1.e.8"));
        QVERIFY(m_store->meta("last_sync_at").has_value());
        for (const char* kind : {"account", "relationship", "asset", "post", "comment", "like"})
            QCOMPARE(count(std::string("SELECT count(*) FROM mirror WHERE kind = '") + kind + "'"), 1);
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE kind = 'hologram'"), 0); // unknown kinds are ignored
    }

    void anAssetFindsItsLocalCopyByHash() {
        addLocalAsset();
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        auto q = m_store->db().prepare("SELECT server_id, caption FROM assets WHERE sha256 = ?");
        q.bind(1, kSha);
        QVERIFY(q.step().value());
        QCOMPARE(q.text(0), std::string("1176"));
        QCOMPARE(q.text(1), std::string("Eiger north face"));
        QCOMPARE(count("SELECT count(*) FROM assets"), 1);
    }

    void anAssetFromAnotherDeviceJoinsTheLibraryWithoutAnUpload() {
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        QCOMPARE(count("SELECT count(*) FROM assets WHERE server_id = '1176'"), 1);
        QCOMPARE(count("SELECT count(*) FROM uploads"), 0);
    }

    void applyingAPageTwiceChangesNothing() {
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        const std::string once = dumpMirror();
        const int assets = count("SELECT count(*) FROM assets");
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        QCOMPARE(dumpMirror(), once);
        QCOMPARE(count("SELECT count(*) FROM assets"), assets);
    }

    void aPageCutOffChangesNothingAndKeepsTheCursor() {
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        const std::string before = dumpMirror();
        auto cut = apply("changes_cut_off.ndjson");
        QVERIFY(!cut.isOk());
        QCOMPARE(m_store->meta("cursor").value_or(""), std::string("1.e.8"));
        QCOMPARE(dumpMirror(), before);
        QCOMPARE(count("SELECT count(*) FROM assets WHERE server_id = '1177'"), 0);
    }

    void aDeletedPostTakesItsCommentsAndLikeAlong() {
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        QVERIFY(apply("changes_tombstones.ndjson").isOk()); // also a tombstone of a post never seen
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE kind IN ('post', 'comment', 'like')"), 0);
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE kind = 'account'"), 1);
        QCOMPARE(m_store->meta("cursor").value_or(""), std::string("1.e.11"));
    }

    void anUnfollowDropsThatAccountsPosts() {
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        auto more = apply("changes_unfollow.ndjson");
        QVERIFY(more.isOk());
        QCOMPARE(*more, true);
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE kind = 'post'"), 0);
    }

    void aResetReplacesTheMirrorButKeepsTheOutboxAndLibrary() {
        HybridLogicalClock clock([] { return std::uint64_t(1'700'000'000'000); });
        addLocalAsset();
        QVERIFY(m_store->db().exec("INSERT INTO mirror(kind, id, body) VALUES ('post', 'stale', '{}')").isOk());
        QVERIFY(Library(*m_store, clock).like("77").isOk());
        QVERIFY(apply("changes_snapshot.ndjson").isOk()); // its first line is a reset
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE id = 'stale'"), 0);
        QCOMPARE(count("SELECT count(*) FROM outbox WHERE state = 'queued'"), 1);
        QCOMPARE(count("SELECT count(*) FROM assets WHERE sha256 = '" + kSha + "'"), 1);
    }

    void anAssetDeletedOnTheServerGoesToTrashNotAway() {
        addLocalAsset();
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        QVERIFY(apply("changes_asset_deleted.ndjson").isOk());
        auto q = m_store->db().prepare("SELECT trashed, caption FROM assets WHERE sha256 = ?");
        q.bind(1, kSha);
        QVERIFY(q.step().value());
        QCOMPARE(q.int64(0), 1);                              // in trash, recoverable
        QCOMPARE(q.text(1), std::string("Eiger north face")); // with everything it had
        QCOMPARE(count("SELECT count(*) FROM mirror WHERE kind = 'asset'"), 0);
    }

    void anUnsentCaptionEditIsNotOverwritten() {
        HybridLogicalClock clock([] { return std::uint64_t(1'700'000'000'000); });
        addLocalAsset();
        QVERIFY(Library(*m_store, clock).setCaption(kSha, "Mine, not yet sent").isOk());
        QVERIFY(apply("changes_snapshot.ndjson").isOk());
        auto q = m_store->db().prepare("SELECT caption, server_id FROM assets WHERE sha256 = ?");
        q.bind(1, kSha);
        QVERIFY(q.step().value());
        QCOMPARE(q.text(0), std::string("Mine, not yet sent")); // the push decides, by HLC
        QCOMPARE(q.text(1), std::string("1176"));
    }
};

QTEST_GUILESS_MAIN(TestPull)
#include "tst_pull.moc"
