// The library's edits beyond tags and captions (sync/library/library.h): ratings, favourites,
// regions, tag counts, album order and the trash. Each changes the local tables and queues its
// outbox operation in one transaction; bad input is refused naming the field, with nothing queued.
// And the EXIF details an import reads (camera, lens, exposure, GPS, orientation).
#include "core/digest.h"
#include "library/library.h"
#include "outbox/outbox.h"
#include "store/localstore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <boost/json.hpp>

using namespace pinhole::sync;
namespace json = boost::json;

namespace {
QByteArray fakeJpeg(const QByteArray& salt) {
    return QByteArray::fromHex("ffd8ffe000104a464946") + salt + QByteArray::fromHex("ffd9");
}

int count(store::LocalStore& s, const char* sql) {
    auto q = s.db().prepare(sql);
    return q.step().value() ? static_cast<int>(q.int64(0)) : -1;
}

QString reason(const Status& s) {
    return QString::fromStdString(s.message());
}

// For QVERIFY2, which builds its message even when the check passes.
template <class T> QString reason(const Result<T>& r) {
    return r.isOk() ? QString() : reason(r.status());
}

bool run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(QStandardPaths::findExecutable(program), args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}
} // namespace

class TestLibraryEdits : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::LocalStore> m_store;
    std::unique_ptr<Library> m_library;
    std::uint64_t m_wall = 1'700'000'000'000;
    HybridLogicalClock m_clock{[this] { return m_wall; }};
    int m_n = 0;

    // Imports a fake photo and returns its SHA-256.
    std::string photo(const QByteArray& salt) {
        const QString path = m_dir.path() + "/" + QString::number(++m_n) + ".jpg";
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(fakeJpeg(salt));
        f.close();
        if (!m_library->importPath(path.toStdString()).isOk())
            return {};
        return sha256Hex(fakeJpeg(salt).toStdString());
    }

    std::vector<Operation> queued() { return Outbox(m_store->db()).list(OpState::Queued).value(); }

    json::object lastPayload() {
        auto ops = queued();
        return ops.empty() ? json::object() : json::parse(ops.back().payload).as_object();
    }

private slots:
    void init() {
        auto s = store::LocalStore::open((m_dir.path() + QString("/lib%1.db").arg(++m_n)).toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
        m_library = std::make_unique<Library>(*m_store, m_clock);
    }

    void aRatingIsStoredAndQueuedAsARatingAnnotation() {
        const auto sha = photo("rating");
        QVERIFY(m_library->setRating(sha, 4).isOk());
        QCOMPARE(m_library->asset(sha).value()->rating, 4);
        QCOMPARE(queued().back().kind, std::string("annotation.upsert"));
        QCOMPARE(lastPayload()["schema"].as_string(), "rating");
        QCOMPARE(lastPayload()["data"].as_object()["value"].as_int64(), 4);
    }

    void zeroStarsClearsTheRating() {
        const auto sha = photo("rating-clear");
        QVERIFY(m_library->setRating(sha, 3).isOk());
        QVERIFY(m_library->setRating(sha, 0).isOk());
        QCOMPARE(m_library->asset(sha).value()->rating, 0);
        QCOMPARE(queued().back().kind, std::string("annotation.delete"));
        QCOMPARE(lastPayload()["schema"].as_string(), "rating");
    }

    void aRatingOutsideZeroToFiveIsRefused_data() {
        QTest::addColumn<int>("stars");
        QTest::newRow("-1") << -1;
        QTest::newRow("6") << 6;
    }
    void aRatingOutsideZeroToFiveIsRefused() {
        QFETCH(int, stars);
        const auto sha = photo("rating-bad");
        const int before = count(*m_store, "SELECT count(*) FROM outbox");
        const Status s = m_library->setRating(sha, stars);
        QCOMPARE(s.code(), Code::InvalidArgument);
        QVERIFY2(s.message().find("rating") != std::string::npos, qPrintable(reason(s)));
        QCOMPARE(count(*m_store, "SELECT count(*) FROM outbox"), before);
    }

    void aFavouriteIsStoredAndQueuedAsAnAssetUpdate() {
        const auto sha = photo("favourite");
        QVERIFY(m_library->setFavourite(sha, true).isOk());
        QVERIFY(m_library->asset(sha).value()->favourite);
        QCOMPARE(queued().back().kind, std::string("asset.update"));
        QCOMPARE(lastPayload()["set"].as_object()["favourite"].as_bool(), true);
        QVERIFY(m_library->setFavourite(sha, false).isOk());
        QVERIFY(!m_library->asset(sha).value()->favourite);
    }

    void aRegionIsAddedWithAGeneratedIdAndQueued() {
        const auto sha = photo("region");
        Region r;
        r.x = 0.1, r.y = 0.2, r.w = 0.3, r.h = 0.4, r.kind = "face", r.label = "Ada";
        auto id = m_library->addRegion(sha, r);
        QVERIFY2(id.isOk(), qPrintable(reason(id)));
        QCOMPARE(id->size(), std::size_t(36));
        auto regions = m_library->regions(sha).value();
        QCOMPARE(regions.size(), std::size_t(1));
        QCOMPARE(regions[0].id, *id);
        QCOMPARE(regions[0].label, std::string("Ada"));
        QCOMPARE(regions[0].w, 0.3);
        QCOMPARE(queued().back().kind, std::string("annotation.upsert"));
        auto payload = lastPayload();
        QCOMPARE(payload["schema"].as_string(), "region");
        QCOMPARE(payload["annotation_id"].as_string(), id->c_str());
        QCOMPARE(payload["data"].as_object()["box"].as_object()["x"].as_double(), 0.1);
        QCOMPARE(payload["data"].as_object()["kind"].as_string(), "face");
    }

    void aRegionIsUpdatedAndRemovedByItsId() {
        const auto sha = photo("region-edit");
        Region r;
        r.x = 0.5, r.y = 0.5, r.w = 0.2, r.h = 0.2, r.kind = "pet";
        const auto id = m_library->addRegion(sha, r).value();
        r.id = id;
        r.label = "Rex";
        QVERIFY(m_library->updateRegion(sha, r).isOk());
        QCOMPARE(m_library->regions(sha).value().front().label, std::string("Rex"));
        QVERIFY(m_library->removeRegion(sha, id).isOk());
        QVERIFY(m_library->regions(sha).value().empty());
        QCOMPARE(queued().back().kind, std::string("annotation.delete"));
        QCOMPARE(lastPayload()["annotation_id"].as_string(), id.c_str());
        QCOMPARE(m_library->removeRegion(sha, id).code(), Code::NotFound); // gone already
        QCOMPARE(m_library->updateRegion(sha, r).code(), Code::NotFound);
    }

    void regionsKeepTheOrderTheyWereDrawnIn() {
        const auto sha = photo("region-order");
        std::vector<std::string> ids;
        for (int i = 0; i < 3; ++i) {
            Region r;
            r.x = 0.1 * i, r.y = 0, r.w = 0.1, r.h = 0.1;
            ids.push_back(m_library->addRegion(sha, r).value());
        }
        std::vector<std::string> seen;
        const auto regions = m_library->regions(sha).value();
        for (const auto& r : regions)
            seen.push_back(r.id);
        QCOMPARE(seen, ids);
    }

    void aBadRegionIsRefusedNamingTheField_data() {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("w");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("field");
        QTest::newRow("x below 0") << -0.1 << 0.2 << "face"
                                   << "region.x";
        QTest::newRow("w zero") << 0.1 << 0.0 << "face"
                                << "region.w";
        QTest::newRow("past the right edge") << 0.9 << 0.2 << "face"
                                             << "region.w";
        QTest::newRow("unknown kind") << 0.1 << 0.2 << "car"
                                      << "region.kind";
    }
    void aBadRegionIsRefusedNamingTheField() {
        QFETCH(double, x);
        QFETCH(double, w);
        QFETCH(QString, kind);
        QFETCH(QString, field);
        const auto sha = photo("region-bad");
        const int before = count(*m_store, "SELECT count(*) FROM outbox");
        Region r;
        r.x = x, r.y = 0.1, r.w = w, r.h = 0.1, r.kind = kind.toStdString();
        auto id = m_library->addRegion(sha, r);
        QVERIFY(!id.isOk());
        QCOMPARE(id.status().code(), Code::InvalidArgument);
        QVERIFY2(id.status().message().rfind(field.toStdString() + ":", 0) == 0, qPrintable(reason(id)));
        QCOMPARE(count(*m_store, "SELECT count(*) FROM outbox"), before);
        QCOMPARE(count(*m_store, "SELECT count(*) FROM regions"), 0);
    }

    void tagCountsAreMostUsedFirstAndSkipTheTrash() {
        const auto a = photo("tags-a"), b = photo("tags-b"), c = photo("tags-c");
        QVERIFY(m_library->addTag(a, "sea").isOk());
        QVERIFY(m_library->addTag(b, "sea").isOk());
        QVERIFY(m_library->addTag(c, "sea").isOk());
        QVERIFY(m_library->addTag(a, "alps").isOk());
        QVERIFY(m_library->addTag(b, "alps").isOk());
        QVERIFY(m_library->addTag(a, "cat").isOk());
        QVERIFY(m_library->removeTag(a, "cat").isOk());
        QVERIFY(m_library->trash(c).isOk());
        using Counts = std::vector<std::pair<std::string, int>>;
        QCOMPARE(m_library->tagCounts().value(), (Counts{{"alps", 2}, {"sea", 2}}));
    }

    void anAlbumKeepsTheOrderPhotosWereAddedIn() {
        const auto a = photo("order-a"), b = photo("order-b"), c = photo("order-c");
        const auto album = m_library->createAlbum("Trip").value();
        for (const auto& sha : {c, a, b})
            QVERIFY(m_library->addToAlbum(album, sha).isOk());
        QVERIFY(m_library->addToAlbum(album, c).isOk()); // already in: keeps its place
        QCOMPARE(m_library->albums().value().front().assetSha256s, (std::vector<std::string>{c, a, b}));
    }

    void movingInAnAlbumReordersAndQueuesTheMove() {
        const auto a = photo("move-a"), b = photo("move-b"), c = photo("move-c");
        const auto album = m_library->createAlbum("Trip").value();
        for (const auto& sha : {a, b, c})
            QVERIFY(m_library->addToAlbum(album, sha).isOk());
        QVERIFY(m_library->moveInAlbum(album, c, 0).isOk());
        QCOMPARE(m_library->albums().value().front().assetSha256s, (std::vector<std::string>{c, a, b}));
        QCOMPARE(queued().back().kind, std::string("album.move"));
        QCOMPARE(lastPayload()["position"].as_int64(), 0);
        QVERIFY(m_library->moveInAlbum(album, c, 99).isOk()); // past the end: last
        QCOMPARE(m_library->albums().value().front().assetSha256s, (std::vector<std::string>{a, b, c}));
        QCOMPARE(lastPayload()["position"].as_int64(), 2);
    }

    void removingFromAnAlbumClosesTheGap() {
        const auto a = photo("gap-a"), b = photo("gap-b"), c = photo("gap-c");
        const auto album = m_library->createAlbum("Trip").value();
        for (const auto& sha : {a, b, c})
            QVERIFY(m_library->addToAlbum(album, sha).isOk());
        QVERIFY(m_library->removeFromAlbum(album, b).isOk());
        QVERIFY(m_library->moveInAlbum(album, c, 0).isOk());
        QCOMPARE(m_library->albums().value().front().assetSha256s, (std::vector<std::string>{c, a}));
        QCOMPARE(m_library->moveInAlbum(album, b, 0).code(), Code::NotFound); // not a member any more
        QVERIFY(m_library->addToAlbum(album, b).isOk());                      // back in: last
        QCOMPARE(m_library->albums().value().front().assetSha256s, (std::vector<std::string>{c, a, b}));
    }

    void trashAndRestoreAreQueued() {
        const auto sha = photo("trash");
        QVERIFY(m_library->trash(sha).isOk());
        QVERIFY(m_library->asset(sha).value()->trashed);
        QCOMPARE(queued().back().kind, std::string("asset.trash"));
        QVERIFY(m_library->restore(sha).isOk());
        QVERIFY(!m_library->asset(sha).value()->trashed);
        QCOMPARE(queued().back().kind, std::string("asset.restore"));
        QCOMPARE(lastPayload()["asset_sha256"].as_string(), sha.c_str());
    }

    void editsOfAPhotoNotInTheLibraryAreRefused() {
        const std::string unknown(64, 'f');
        QCOMPARE(m_library->setRating(unknown, 3).code(), Code::NotFound);
        QCOMPARE(m_library->setFavourite(unknown, true).code(), Code::NotFound);
        QCOMPARE(m_library->addRegion(unknown, Region{"", 0.1, 0.1, 0.1, 0.1}).status().code(), Code::NotFound);
        QCOMPARE(m_library->trash(unknown).code(), Code::NotFound);
        QCOMPARE(count(*m_store, "SELECT count(*) FROM outbox"), 0);
    }

    void assetsAreNewestCaptureFirst() {
        const auto early = photo("capture-early"), late = photo("capture-late"), none = photo("capture-none");
        auto set = [&](const std::string& sha, const char* when) {
            return m_store->db()
                .prepare("UPDATE assets SET taken_at = ? WHERE sha256 = ?")
                .bind(1, when)
                .bind(2, sha)
                .run();
        };
        QVERIFY(set(early, "2019:01:01 10:00:00").isOk());
        QVERIFY(set(late, "2024:06:01 10:00:00").isOk());
        std::vector<std::string> order;
        const auto assets = m_library->assets().value();
        for (const auto& a : assets)
            order.push_back(a.sha256);
        QCOMPARE(order, (std::vector<std::string>{late, early, none}));
    }

    void importReadsTheExifDetails() {
        const QString path = m_dir.path() + "/exif.jpg";
        QVERIFY(run("vips", {"black", path, "40", "30"}));
        QVERIFY(run("exiftool",
                    {"-overwrite_original", "-q", "-n", "-Make=Fujifilm", "-Model=X-T4", "-LensModel=XF35mmF1.4 R",
                     "-ExposureTime=0.004", "-FNumber=2.8", "-ISO=400", "-FocalLength=35", "-Orientation=6",
                     "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=W",
                     "-DateTimeOriginal=2024:05:01 14:03:22", path}));
        auto report = m_library->importPath(path.toStdString());
        QVERIFY(report.isOk() && report->newAssets == 1);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto a = m_library->asset(sha256Hex(f.readAll().toStdString())).value();
        QVERIFY(a.has_value());
        QCOMPARE(a->cameraMake.value_or(""), std::string("Fujifilm"));
        QCOMPARE(a->cameraModel.value_or(""), std::string("X-T4"));
        QCOMPARE(a->lens.value_or(""), std::string("XF35mmF1.4 R"));
        QCOMPARE(a->exposureTime.value_or(""), std::string("1/250"));
        QCOMPARE(a->fNumber.value_or(""), std::string("2.8"));
        QCOMPARE(a->iso.value_or(""), std::string("400"));
        QCOMPARE(a->focalLength.value_or(""), std::string("35"));
        QCOMPARE(a->orientation, 6);
        QVERIFY(a->latitude && std::abs(*a->latitude - 48.8584) < 1e-4);
        QVERIFY(a->longitude && std::abs(*a->longitude + 2.2945) < 1e-4); // west is negative
        QCOMPARE(a->takenAt.value_or(""), std::string("2024:05:01 14:03:22"));
        QCOMPARE(a->mimeType, std::string("image/jpeg"));
    }

    void aPhotoWithoutExifHasTheDefaults() {
        const auto sha = photo("no-exif");
        const auto a = m_library->asset(sha).value();
        QCOMPARE(a->orientation, 1);
        QCOMPARE(a->rating, 0);
        QVERIFY(!a->favourite);
        QVERIFY(!a->lens && !a->latitude && !a->thumbhash);
        QCOMPARE(a->mimeType, std::string("image/jpeg"));
    }
};

QTEST_GUILESS_MAIN(TestLibraryEdits)
#include "tst_libraryedits.moc"
