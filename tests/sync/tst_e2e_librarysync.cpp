// Albums and annotations between two devices of one account, through the real pinholed
// (docs/protocol.md §3.2, §4), read as a specification:
// - albums, their order, tags, captions, ratings, favourites and regions made offline on one
//   device converge on the other after sync, and the server holds the annotations (its REST API);
// - an annotation edited through the REST API arrives on another device, and a tag renamed
//   there loses its old label on the device that made it too;
// - a committed batch operation arrives as annotations, and the next batch of its writer
//   replaces them;
// - what was deleted while a device was in a reset gap leaves it once the snapshot is complete;
// - album names: the last writer by HLC wins, whichever device syncs first;
// - album membership is add-wins: a removal older than an add does not undo it;
// - an album deleted on one device while the other edits it ends deleted on both, the edits
//   answered as conflicts (not parked);
// - a photo trashed on one device while the other captions it ends in the trash on both,
//   with the caption kept.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

// Sync rounds until nothing waits any more.
#define SETTLE(engine) QTRY_VERIFY_WITH_TIMEOUT(settledRound(engine), 60000)

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

QString makeJpeg(const QString& dir, const QString& name) {
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", path, "64", "48"});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

std::vector<std::string> albumPhotos(Engine& e, const std::string& name) {
    auto albums = e.library().albums();
    if (!albums)
        return {};
    for (const auto& a : *albums)
        if (a.name == name)
            return a.assetSha256s;
    return {};
}

bool hasAlbum(Engine& e, const std::string& name) {
    auto albums = e.library().albums();
    if (!albums)
        return false;
    return std::any_of(albums->begin(), albums->end(), [&](const LocalAlbum& a) { return a.name == name; });
}
} // namespace

class TestE2eLibrarySync : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_token;

    std::unique_ptr<Engine> device() {
        auto engine = Engine::open((m_dir.path() + QString("/device%1.db").arg(++m_n)).toStdString());
        if (!engine || !(*engine)->login(m_server.baseUrl().toStdString(), "alice", kPassword.toStdString()))
            return nullptr;
        return std::move(*engine);
    }
    HttpClient alice() { return HttpClient(m_server.baseUrl(), m_token); }

    bool settledRound(Engine& e) {
        auto r = e.syncOnce();
        if (!r) {
            qWarning("sync failed: %s", r.status().message().c_str());
            return false;
        }
        return !r->push.waiting && r->uploads.uploaded == 0;
    }
    // One sync round, then the probe: for polling what the stream brings.
    template <class Probe> bool afterRound(Engine& e, Probe probe) {
        auto r = e.syncOnce();
        if (!r)
            qWarning("sync failed: %s", r.status().message().c_str());
        return r.isOk() && probe();
    }

    std::string importPhoto(Engine& e) {
        const QString photo = makeJpeg(m_dir.path(), QString("p%1.jpg").arg(++m_n));
        if (photo.isEmpty() || !e.library().importPath(photo.toStdString()).isOk())
            return {};
        return *sha256OfFile(photo.toStdString());
    }

    // Two devices that both know `count` photos imported on the first. Check
    // QTest::currentTestFailed() after it.
    void twoDevices(std::unique_ptr<Engine>& a, std::unique_ptr<Engine>& b, std::vector<std::string>& photos,
                    int count) {
        a = device();
        b = device();
        QVERIFY(a && b);
        for (int i = 0; i < count; ++i) {
            photos.push_back(importPhoto(*a));
            QVERIFY(!photos.back().empty());
        }
        SETTLE(*a);
        auto allKnown = [&] {
            for (const auto& sha : photos) {
                auto asset = b->library().asset(sha);
                if (!asset || !*asset || !(*asset)->serverId)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, allKnown), 30000);
    }

    // Until the wall clock has moved on: the next edit's HLC stamp is later than any made so far
    // on either device (they share this computer's clock).
    static void nextMillisecond() {
        const std::uint64_t now = wallMillis();
        while (wallMillis() <= now + 1) {
        }
    }

    int outboxCount(Engine& e, const char* state) {
        auto q = e.store().db().prepare("SELECT count(*) FROM outbox WHERE state = ?");
        q.bind(1, state);
        return q.step().value() ? static_cast<int>(q.int64(0)) : -1;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        m_token = HttpClient(m_server.baseUrl()).login("alice", kPassword);
        QVERIFY(!m_token.isEmpty());
    }

    void offlineAlbumsAndAnnotationsConvergeOnTheOtherDevice() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 3);
        if (QTest::currentTestFailed())
            return;
        Library& lib = a->library();
        const std::string album = lib.createAlbum("Lisbon").value();
        for (const auto& sha : p)
            QVERIFY(lib.addToAlbum(album, sha).isOk());
        QVERIFY(lib.moveInAlbum(album, p[2], 0).isOk());
        QVERIFY(lib.addTag(p[0], "tram").isOk());
        QVERIFY(lib.addTag(p[0], "places/Lisbon").isOk());
        QVERIFY(lib.setCaption(p[0], "Line 28").isOk());
        QVERIFY(lib.setRating(p[0], 4).isOk());
        QVERIFY(lib.setFavourite(p[1], true).isOk());
        Region face;
        face.x = 0.1, face.y = 0.2, face.w = 0.3, face.h = 0.4, face.kind = "face", face.label = "Ana";
        const std::string region = lib.addRegion(p[0], face).value();
        SETTLE(*a);
        QCOMPARE(outboxCount(*a, "parked"), 0);

        const std::vector<std::string> order{p[2], p[0], p[1]};
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return albumPhotos(*b, "Lisbon") == order; }), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return b->library().regions(p[0]).value().size() == 1; }), 30000);
        Library& other = b->library();
        QCOMPARE(other.albums().value().front().id, album); // the client's id travels
        QCOMPARE(other.tags(p[0]).value(), (std::vector<std::string>{"places/Lisbon", "tram"}));
        QCOMPARE(other.asset(p[0]).value()->caption, std::string("Line 28"));
        QCOMPARE(other.asset(p[0]).value()->rating, 4);
        QVERIFY(other.asset(p[1]).value()->favourite);
        const Region got = other.regions(p[0]).value().front();
        QCOMPARE(got.id, region);
        QCOMPARE(got.label, std::string("Ana"));
        QCOMPARE(got.kind, std::string("face"));
        QCOMPARE(got.w, 0.3);

        // The server holds them as annotations of the built-in schemas.
        const QString serverId = QString::fromStdString(*lib.asset(p[0]).value()->serverId);
        const QJsonArray annotations = alice().get("/api/pinhole/v1/assets/" + serverId + "/annotations").jsonArray();
        QStringList schemas;
        for (const auto& v : annotations)
            schemas << v.toObject()["schema"].toString();
        schemas.sort();
        QCOMPARE(schemas, (QStringList{"rating", "region", "tag", "tag"}));
    }

    void anAnnotationEditedThroughTheRestApiArrives() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(a->library().addTag(p[0], "draft").isOk());
        SETTLE(*a);
        const QString serverId = QString::fromStdString(*a->library().asset(p[0]).value()->serverId);
        const QJsonObject tag =
            alice().get("/api/pinhole/v1/assets/" + serverId + "/annotations").jsonArray().first().toObject();
        const auto put = alice().send(
            "PUT", "/api/pinhole/v1/annotations/" + tag["id"].toString(),
            QJsonDocument(QJsonObject{{"revision", tag["revision"]}, {"payload", QJsonObject{{"label", "final"}}}})
                .toJson(),
            "application/json");
        QCOMPARE(put.status, 200);
        const std::vector<std::string> want{"final"};
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return b->library().tags(p[0]).value() == want; }), 30000);
    }

    // Regression (issue 6): the device that made the tag got "final" but kept "draft" beside it.
    void aTagRenamedThroughTheRestApiLosesItsOldLabelOnTheDeviceThatMadeIt() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(a->library().addTag(p[0], "draft").isOk());
        SETTLE(*a);
        const QString serverId = QString::fromStdString(*a->library().asset(p[0]).value()->serverId);
        const QJsonObject tag =
            alice().get("/api/pinhole/v1/assets/" + serverId + "/annotations").jsonArray().first().toObject();
        const auto put = alice().send(
            "PUT", "/api/pinhole/v1/annotations/" + tag["id"].toString(),
            QJsonDocument(QJsonObject{{"revision", tag["revision"]}, {"payload", QJsonObject{{"label", "final"}}}})
                .toJson(),
            "application/json");
        QCOMPARE(put.status, 200);
        const std::vector<std::string> want{"final"};
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*a, [&] { return a->library().tags(p[0]).value() == want; }), 30000);
    }

    // Regression (issue 6): a batch operation's commit (an auto-tagger, an XMP import) was not in
    // the change stream. Its annotations arrive as annotation lines, and a second batch of the
    // same writer replaces them, leaving a user's tag of the same label alone.
    void aCommittedBatchArrivesAndItsReplacementReplacesIt() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 2);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(a->library().addTag(p[1], "beach").isOk()); // the user's own
        SETTLE(*a);
        QString server[2];
        for (int i = 0; i < 2; ++i)
            server[i] = QString::fromStdString(*a->library().asset(p[static_cast<std::size_t>(i)]).value()->serverId);
        auto batch = [&](const QJsonArray& items) {
            const QString op =
                alice()
                    .send("POST", "/api/pinhole/v1/annotations/operations",
                          QJsonDocument(QJsonObject{{"schema", "tag"}, {"writer", "autotagger"}}).toJson(),
                          "application/json")
                    .json()["id"]
                    .toString();
            const auto added = alice().send("POST", "/api/pinhole/v1/annotations/operations/" + op + "/items",
                                            QJsonDocument(QJsonObject{{"items", items}}).toJson(), "application/json");
            const auto committed = alice().send("POST", "/api/pinhole/v1/annotations/operations/" + op + "/commit", {},
                                                "application/json");
            return !op.isEmpty() && added.status == 200 && committed.status == 200;
        };
        auto item = [](const QString& asset, const char* label) {
            return QJsonObject{{"asset_id", asset}, {"payload", QJsonObject{{"label", label}}}};
        };
        QVERIFY(batch(QJsonArray{item(server[0], "beach"), item(server[1], "beach")}));
        const std::vector<std::string> beach{"beach"};
        for (Engine* e : {a.get(), b.get()})
            QTRY_VERIFY_WITH_TIMEOUT(afterRound(*e, [&] { return e->library().tags(p[0]).value() == beach; }), 30000);

        QVERIFY(batch(QJsonArray{item(server[0], "sea")}));
        const std::vector<std::string> sea{"sea"};
        for (Engine* e : {a.get(), b.get()}) {
            QTRY_VERIFY_WITH_TIMEOUT(afterRound(*e, [&] { return e->library().tags(p[0]).value() == sea; }), 30000);
            QCOMPARE(e->library().tags(p[1]).value(), beach); // the user's tag outlives the writer's
        }
    }

    // Regression (issue 6): what was deleted while a device was told to reset stayed on it,
    // because a snapshot only brings what exists. The snapshot's end sweeps the rest: tags,
    // regions, ratings and albums.
    void whatWasDeletedDuringAResetGapLeavesTheDevice() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        Library& lib = a->library();
        QVERIFY(lib.addTag(p[0], "kept").isOk());
        QVERIFY(lib.addTag(p[0], "gone").isOk());
        QVERIFY(lib.setRating(p[0], 3).isOk());
        Region face;
        face.x = 0.1, face.y = 0.2, face.w = 0.3, face.h = 0.4, face.kind = "face", face.label = "Ana";
        const std::string region = lib.addRegion(p[0], face).value();
        const std::string album = lib.createAlbum("Gone album").value();
        SETTLE(*a);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b,
                                            [&] {
                                                return b->library().tags(p[0]).value().size() == 2 &&
                                                       b->library().regions(p[0]).value().size() == 1 &&
                                                       b->library().asset(p[0]).value()->rating == 3 &&
                                                       hasAlbum(*b, "Gone album");
                                            }),
                                 30000);

        // The server no longer knows b's cursor (a restored backup, a pruned log): b must reset.
        QVERIFY(b->store().db().exec("UPDATE meta SET value = 'garbled' WHERE key = 'cursor'").isOk());
        QVERIFY(lib.removeTag(p[0], "gone").isOk());
        QVERIFY(lib.setRating(p[0], 0).isOk());
        QVERIFY(lib.removeRegion(p[0], region).isOk());
        QVERIFY(lib.deleteAlbum(album).isOk());
        SETTLE(*a);

        auto r = b->syncOnce();
        QVERIFY(r.isOk());
        const std::vector<std::string> kept{"kept"};
        QCOMPARE(b->library().tags(p[0]).value(), kept);
        QCOMPARE(b->library().asset(p[0]).value()->rating, 0);
        QVERIFY(b->library().regions(p[0]).value().empty());
        QVERIFY(!hasAlbum(*b, "Gone album"));
    }

    void albumNamesFollowTheLastWriterWhicheverSyncsFirst() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        const std::string album = a->library().createAlbum("Draft").value();
        SETTLE(*a);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return hasAlbum(*b, "Draft"); }), 30000);
        QVERIFY(a->library().renameAlbum(album, "Older").isOk());
        nextMillisecond(); // the later rename is the later writer
        QVERIFY(b->library().renameAlbum(album, "Newer").isOk());
        SETTLE(*b); // the newer one reaches the server first
        SETTLE(*a); // the older one arrives after it: a conflict, not applied
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*a, [&] { return hasAlbum(*a, "Newer"); }), 30000);
        QVERIFY(hasAlbum(*b, "Newer"));
        QCOMPARE(outboxCount(*a, "parked"), 0);
    }

    void aRemovalOlderThanAnAddDoesNotUndoIt() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 2);
        if (QTest::currentTestFailed())
            return;
        const std::string album = a->library().createAlbum("Add wins").value();
        QVERIFY(a->library().addToAlbum(album, p[0]).isOk());
        SETTLE(*a);
        const std::vector<std::string> one{p[0]};
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return albumPhotos(*b, "Add wins") == one; }), 30000);
        QVERIFY(a->library().removeFromAlbum(album, p[0]).isOk()); // older
        nextMillisecond();
        QVERIFY(b->library().addToAlbum(album, p[1]).isOk());
        QVERIFY(b->library().addToAlbum(album, p[0]).isOk()); // newer: re-adds what a removes
        SETTLE(*b);
        SETTLE(*a);
        const std::vector<std::string> both{p[0], p[1]};
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*a, [&] { return albumPhotos(*a, "Add wins") == both; }), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return albumPhotos(*b, "Add wins") == both; }), 30000);
    }

    void anAlbumDeletedWhileEditedElsewhereEndsDeleted() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        const std::string album = a->library().createAlbum("Doomed").value();
        SETTLE(*a);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return hasAlbum(*b, "Doomed"); }), 30000);
        QVERIFY(a->library().deleteAlbum(album).isOk());
        QVERIFY(b->library().renameAlbum(album, "Saved?").isOk());
        QVERIFY(b->library().addToAlbum(album, p[0]).isOk());
        SETTLE(*a);
        SETTLE(*b);
        auto gone = [&](Engine& e) { return !hasAlbum(e, "Doomed") && !hasAlbum(e, "Saved?"); };
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return gone(*b); }), 30000);
        QVERIFY(gone(*a));
        QCOMPARE(outboxCount(*b, "parked"), 0); // answered as conflicts, not refused
        QCOMPARE(outboxCount(*b, "queued"), 0);
    }

    void aPhotoTrashedWhileCaptionedElsewhereEndsInTheTrashWithTheCaption() {
        std::unique_ptr<Engine> a, b;
        std::vector<std::string> p;
        twoDevices(a, b, p, 1);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(a->library().trash(p[0]).isOk());
        QVERIFY(b->library().setCaption(p[0], "Keep these words").isOk());
        SETTLE(*a);
        SETTLE(*b);
        auto trashedWithCaption = [&](Engine& e) {
            auto asset = e.library().asset(p[0]).value();
            return asset && asset->trashed && asset->caption == "Keep these words";
        };
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*a, [&] { return trashedWithCaption(*a); }), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return trashedWithCaption(*b); }), 30000);
        const QString serverId = QString::fromStdString(*a->library().asset(p[0]).value()->serverId);
        const QJsonObject served = alice().get("/api/pinhole/v1/assets/" + serverId).json();
        QVERIFY(!served["trashed_at"].isNull());
        QCOMPARE(served["description"].toString(), QString("Keep these words"));
    }
};

QTEST_GUILESS_MAIN(TestE2eLibrarySync)
#include "tst_e2e_librarysync.moc"
