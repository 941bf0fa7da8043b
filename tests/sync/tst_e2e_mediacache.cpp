// The media cache (sync/media/mediacache.h) against the real pinholed, read as a specification.
// Device A imports photos and uploads them; device B (its own profile folder, no local files)
// shows them through its cache:
// - under a tiny budget, the least recently used original is evicted first, never a pinned
//   album's photo, and thumbnails stay;
// - pinning an album fetches its photos' originals byte for byte on the next round, a photo added
//   to it later arrives with the round after, and they are there with the server stopped;
// - a fetch stopped part way leaves no file (and a fetch a killed process left in tmp/ is swept
//   when the cache opens);
// - the budget persists in the profile.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;
using pinhole::test::ServerProcess;

// Sync rounds until nothing waits any more.
#define SETTLE(engine) QTRY_VERIFY_WITH_TIMEOUT(settledRound(engine), 60000)

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

// A noise JPEG: noise compresses badly, so `side` controls the size (~1.5 MB at 1200).
QString makeJpeg(const QString& dir, const QString& name, int side) {
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"),
            {"gaussnoise", path + "[Q=95]", QString::number(side), QString::number(side * 3 / 4)});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

// A result's failure for a QVERIFY2 message (which is evaluated whether or not it fails).
template <class T> std::string failureOf(const Result<T>& result) {
    return result ? std::string() : result.status().message();
}

bool isFile(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).isFile();
}

// Until the wall clock has moved on, so that the next access is later than every one before.
void nextMillisecond() {
    const std::uint64_t now = wallMillis();
    while (wallMillis() <= now + 1) {
    }
}
} // namespace

class TestE2eMediaCache : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    int m_n = 0;

    // A device in its own profile folder (its own media/ under it).
    std::unique_ptr<Engine> device() {
        const QString folder = m_dir.path() + QString("/device%1").arg(++m_n);
        if (!QDir().mkpath(folder))
            return nullptr;
        auto engine = Engine::open((folder + "/pinhole.db").toStdString());
        if (!engine || !(*engine)->login(m_server.baseUrl().toStdString(), "alice", kPassword.toStdString()))
            return nullptr;
        return std::move(*engine);
    }

    bool settledRound(Engine& e) {
        auto r = e.syncOnce();
        if (!r) {
            qWarning("sync failed: %s", r.status().message().c_str());
            return false;
        }
        return !r->push.waiting && r->uploads.uploaded == 0;
    }
    template <class Probe> bool afterRound(Engine& e, Probe probe) {
        auto r = e.syncOnce();
        if (!r)
            qWarning("sync failed: %s", r.status().message().c_str());
        return r.isOk() && probe();
    }

    std::string importPhoto(Engine& e, int side = 160) {
        const QString photo = makeJpeg(m_dir.path(), QString("p%1.jpg").arg(++m_n), side);
        if (photo.isEmpty() || !e.library().importPath(photo.toStdString()).isOk())
            return {};
        return *sha256OfFile(photo.toStdString());
    }

    // B knows every one of `photos` (with its server id) after its rounds.
    void waitUntilKnown(Engine& b, const std::vector<std::string>& photos) {
        auto allKnown = [&] {
            for (const auto& sha : photos) {
                auto asset = b.library().asset(sha);
                if (!asset || !*asset || !(*asset)->serverId)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(b, allKnown), 30000);
    }

    // The account's albums accumulate over the tests: look for this one.
    static bool knowsAlbum(Engine& e, const std::string& id) {
        const auto albums = e.library().albums().value();
        return std::any_of(albums.begin(), albums.end(), [&](const LocalAlbum& a) { return a.id == id; });
    }

    static std::int64_t sizeOf(const std::string& path) { return QFileInfo(QString::fromStdString(path)).size(); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
    }

    void lruEvictionUnderATinyBudgetKeepsPinnedPhotosAndThumbnails() {
        auto a = device();
        auto b = device();
        QVERIFY(a && b);
        std::vector<std::string> p;
        for (int i = 0; i < 4; ++i) {
            p.push_back(importPhoto(*a));
            QVERIFY(!p.back().empty());
        }
        const std::string album = a->library().createAlbum("Keep").value();
        QVERIFY(a->library().addToAlbum(album, p[0]).isOk());
        SETTLE(*a);
        waitUntilKnown(*b, p);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return knowsAlbum(*b, album); }), 30000);

        MediaCache& cache = *b->media();
        QVERIFY(cache.pinAlbum(album).isOk());
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return cache.cached(p[0], MediaVariant::Original).has_value(); }),
                                 30000);
        // p1, p2, p3 in turn, then p1 again: p2 is now the least recently used.
        std::vector<std::string> paths(4);
        for (int i = 1; i < 4; ++i) {
            nextMillisecond();
            auto path = cache.fetch(p[i], MediaVariant::Original);
            QVERIFY2(path.isOk(), failureOf(path).c_str());
            paths[i] = *path;
            QCOMPARE(sha256OfFile(*path).value(), p[i]);
        }
        QTRY_VERIFY_WITH_TIMEOUT(cache.fetch(p[2], MediaVariant::Thumb).isOk(), 30000); // once derived
        nextMillisecond();
        QVERIFY(cache.cached(p[1], MediaVariant::Original).has_value());

        QVERIFY(cache.setBudget(sizeOf(paths[1]) + sizeOf(paths[3])).isOk());
        QVERIFY(!isFile(paths[2]));
        QVERIFY(!cache.cached(p[2], MediaVariant::Original));
        QVERIFY(isFile(paths[1]));
        QVERIFY(isFile(paths[3]));
        QVERIFY(cache.cached(p[2], MediaVariant::Thumb).has_value()); // thumbnails stay

        QVERIFY(cache.setBudget(0).isOk());
        QVERIFY(!isFile(paths[1]));
        QVERIFY(!isFile(paths[3]));
        const auto pinned = cache.cached(p[0], MediaVariant::Original);
        QVERIFY(pinned.has_value());
        QCOMPARE(sha256OfFile(*pinned).value(), p[0]);
        const CacheUsage usage = cache.usage().value();
        QCOMPARE(usage.evictableBytes, std::int64_t(0));
        QCOMPARE(usage.pinnedBytes, sizeOf(*pinned));
        QVERIFY(usage.thumbBytes > 0);

        // Unpinned, the album's photo is evictable again: the zero budget takes it at once.
        QVERIFY(cache.unpinAlbum(album).isOk());
        QVERIFY(!isFile(*pinned));
    }

    void clearKeepsPinnedPhotos() {
        auto a = device();
        auto b = device();
        QVERIFY(a && b);
        const std::vector<std::string> p{importPhoto(*a), importPhoto(*a)};
        QVERIFY(!p[0].empty() && !p[1].empty());
        const std::string album = a->library().createAlbum("Trip").value();
        QVERIFY(a->library().addToAlbum(album, p[0]).isOk());
        SETTLE(*a);
        waitUntilKnown(*b, p);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return knowsAlbum(*b, album); }), 30000);
        MediaCache& cache = *b->media();
        QVERIFY(cache.pinAlbum(album).isOk());
        QVERIFY(cache.fetch(p[0], MediaVariant::Original).isOk());
        const std::string other = cache.fetch(p[1], MediaVariant::Original).value();
        QVERIFY(cache.clear().isOk());
        QVERIFY(!isFile(other));
        QVERIFY(cache.cached(p[0], MediaVariant::Original).has_value());
    }

    void aFetchStoppedPartWayLeavesNoPartialFile() {
        auto a = device();
        auto b = device();
        QVERIFY(a && b);
        const std::string big = importPhoto(*a, 1200);
        QVERIFY(!big.empty());
        SETTLE(*a);
        waitUntilKnown(*b, {big});
        MediaCache& cache = *b->media();
        int pieces = 0;
        auto stopped = cache.fetch(big, MediaVariant::Original, [&] { return ++pieces > 2; });
        QVERIFY(!stopped.isOk());
        QCOMPARE(stopped.status().code(), Code::Unavailable);
        QVERIFY(pieces > 2); // it was stopped part way, not refused before the first byte
        QVERIFY(!isFile(cache.pathFor(big, MediaVariant::Original)));
        QVERIFY(!cache.cached(big, MediaVariant::Original));
        QCOMPARE(QDir(QString::fromStdString(cache.root() + "/tmp")).entryList(QDir::Files).size(), 0);

        // A stop is no outage: the next fetch goes to the server at once, and is whole.
        auto whole = cache.fetch(big, MediaVariant::Original);
        QVERIFY2(whole.isOk(), failureOf(whole).c_str());
        QCOMPARE(sha256OfFile(*whole).value(), big);
    }

    void aFetchLeftByAKilledProcessIsSweptAtOpen() {
        const QString folder = m_dir.path() + "/killed";
        QVERIFY(QDir().mkpath(folder + "/media/tmp"));
        QFile left(folder + "/media/tmp/9b1c4a0e-half-written");
        QVERIFY(left.open(QIODevice::WriteOnly));
        QVERIFY(left.write(QByteArray(4096, 'x')) == 4096);
        left.close();
        auto engine = Engine::open((folder + "/pinhole.db").toStdString());
        QVERIFY(engine.isOk());
        QVERIFY(!QFile::exists(left.fileName()));
    }

    void theBudgetPersistsInTheProfile() {
        const QString folder = m_dir.path() + "/budget";
        QVERIFY(QDir().mkpath(folder));
        const std::string store = (folder + "/pinhole.db").toStdString();
        {
            auto engine = Engine::open(store);
            QVERIFY(engine.isOk());
            QCOMPARE((*engine)->media()->budget(), MediaCache::kDefaultBudget);
            QVERIFY((*engine)->media()->setBudget(std::int64_t(300) << 20).isOk());
            QCOMPARE((*engine)->media()->setBudget(-1).code(), Code::InvalidArgument);
        }
        auto engine = Engine::open(store);
        QVERIFY(engine.isOk());
        QCOMPARE((*engine)->media()->budget(), std::int64_t(300) << 20);
    }

    void aPhotoNotOnTheServerIsNotFound() {
        auto a = device();
        QVERIFY(a);
        const std::string local = importPhoto(*a); // never synced: no server id
        QVERIFY(!local.empty());
        QCOMPARE(a->media()->fetch(local, MediaVariant::Preview).status().code(), Code::NotFound);
        QCOMPARE(a->media()->fetch("../../etc/passwd", MediaVariant::Preview).status().code(), Code::InvalidArgument);
    }

    // Last: it stops the server.
    void aPinnedAlbumIsFetchedByteForByteAndWorksOffline() {
        auto a = device();
        auto b = device();
        QVERIFY(a && b);
        std::vector<std::string> p{importPhoto(*a, 400), importPhoto(*a, 400)};
        QVERIFY(!p[0].empty() && !p[1].empty());
        const std::string album = a->library().createAlbum("Offline").value();
        for (const auto& sha : p)
            QVERIFY(a->library().addToAlbum(album, sha).isOk());
        SETTLE(*a);
        waitUntilKnown(*b, p);
        QTRY_VERIFY_WITH_TIMEOUT(afterRound(*b, [&] { return knowsAlbum(*b, album); }), 30000);
        MediaCache& cache = *b->media();
        QCOMPARE(cache.pinState(album).value().pinned, false);
        QCOMPARE(cache.pinState(album).value().available, 0);

        QVERIFY(cache.pinAlbum(album).isOk());
        QVERIFY(b->syncOnce().isOk()); // the round ends by fetching the pinned album
        for (const auto& sha : p) {
            const auto path = cache.cached(sha, MediaVariant::Original);
            QVERIFY(path.has_value());
            QCOMPARE(sha256OfFile(*path).value(), sha);
        }
        PinState state = cache.pinState(album).value();
        QVERIFY(state.pinned);
        QCOMPARE(state.photos, 2);
        QCOMPARE(state.available, 2);

        // A photo added to the pinned album later arrives with the next round.
        p.push_back(importPhoto(*a, 400));
        QVERIFY(!p.back().empty());
        QVERIFY(a->library().addToAlbum(album, p.back()).isOk());
        SETTLE(*a);
        QTRY_VERIFY_WITH_TIMEOUT(
            afterRound(*b, [&] { return cache.cached(p.back(), MediaVariant::Original).has_value(); }), 30000);
        QCOMPARE(cache.pinState(album).value().available, 3);

        // Offline: every original of the album is still there, byte for byte.
        QCOMPARE(m_server.stop(), 0);
        QCOMPARE(b->syncOnce().status().code(), Code::Unavailable);
        for (const auto& sha : p) {
            auto path = cache.fetch(sha, MediaVariant::Original);
            QVERIFY2(path.isOk(), failureOf(path).c_str());
            QCOMPARE(sha256OfFile(*path).value(), sha);
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eMediaCache)
#include "tst_e2e_mediacache.moc"
