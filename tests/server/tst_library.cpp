// The library services in-process (server/library/): each change appends its event with the
// asset or album as the subject (what the sync change stream reads), the trash enqueues its
// purge job with the retention as delay, and the purge job does nothing for a stale trashing.
#include "core/clock.h"
#include "core/ids.h"
#include "library/albumservice.h"
#include "library/libraryservice.h"
#include "media/library.h"
#include "social/eventlog.h"
#include "social/statusservice.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/eventstore.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace pinhole::server;
using store::EventType;

namespace {

struct EnqueuedPurge {
    Id asset = 0;
    std::int64_t trashedAt = 0;
    std::chrono::milliseconds delay{0};
};

} // namespace

class TestLibraryServices : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<social::EventLog> m_events;
    std::unique_ptr<social::StatusService> m_statuses;
    std::vector<EnqueuedPurge> m_purges;
    std::int64_t m_seen = 0; // the last event seq already checked
    Id m_owner = 0;

    std::unique_ptr<library::LibraryService> libraryWith(std::chrono::seconds retention) {
        return std::make_unique<library::LibraryService>(
            *m_store, *m_events, *m_statuses, dataDir(), retention,
            [this](store::Database&, Id asset, std::int64_t trashedAt, std::chrono::milliseconds delay) {
                m_purges.push_back({asset, trashedAt, delay});
                return Status::ok();
            });
    }
    std::string dataDir() const { return (m_dir.path() + "/data").toStdString(); }

    Id asset(const std::string& sha) {
        auto db = m_store->connection();
        store::Asset a;
        a.id = newId();
        a.ownerId = m_owner;
        a.sha256 = sha;
        a.byteSize = 1;
        a.mimeType = "image/jpeg";
        a.state = "ready";
        a.createdAt = a.updatedAt = nowMillis();
        if (!db || !store::insertAsset(**db, a).isOk())
            return 0;
        return a.id;
    }
    // The events appended since the last call, as "type subject" lines.
    QStringList newEvents() {
        auto db = m_store->connection();
        auto events = store::eventsAfter(**db, m_seen, 100);
        QStringList out;
        for (const auto& e : *events) {
            out << QString::fromStdString(std::string(store::eventTypeName(e.type))) + " " +
                       (e.subjectId ? QString::number(*e.subjectId) : QString("-"));
            m_seen = e.seq;
        }
        return out;
    }
    static QString line(const char* type, Id subject) { return QString(type) + " " + QString::number(subject); }

private slots:
    void initTestCase() {
        auto opened = store::Store::open((m_dir.path() + "/t.db").toStdString());
        QVERIFY(opened);
        m_store = std::move(opened).value();
        m_events = std::make_unique<social::EventLog>(*m_store);
        m_statuses = std::make_unique<social::StatusService>(*m_store, *m_events);
        auto db = m_store->connection();
        store::Account a;
        a.id = m_owner = newId();
        a.username = "owner";
        a.passwordHash = "x";
        QVERIFY(store::insertAccount(**db, a).isOk());
    }

    void assetChangesAppendTheirEvents() {
        auto library = libraryWith(std::chrono::hours(1));
        const Id id = asset(std::string(64, 'a'));
        QVERIFY(library->update(m_owner, id, {.title = "Eiger"}));
        QVERIFY(library->trash(m_owner, id));
        QVERIFY(library->trash(m_owner, id)); // already in the trash: no second event, no second job
        QVERIFY(library->restore(m_owner, id));
        QCOMPARE(newEvents(),
                 (QStringList{line("asset.updated", id), line("asset.trashed", id), line("asset.restored", id)}));
        QCOMPARE(m_purges.size(), std::size_t(1));
        QCOMPARE(m_purges[0].asset, id);
        QCOMPARE(m_purges[0].delay, std::chrono::milliseconds(std::chrono::hours(1)));
        // A refused edit and someone else's asset append nothing.
        QCOMPARE(library->update(m_owner, id, {.title = std::string(300, 't')}).status().code(), Code::InvalidArgument);
        QCOMPARE(library->trash(m_owner + 1, id).status().code(), Code::NotFound);
        QVERIFY(newEvents().isEmpty());
    }

    void albumChangesAppendTheirEvents() {
        library::AlbumService albums(*m_store, *m_events);
        const Id a = asset(std::string(64, 'b')), b = asset(std::string(64, 'c'));
        auto album = albums.create(m_owner, "Trip", "");
        QVERIFY(album);
        const Id id = album->id;
        QVERIFY(albums.addAssets(m_owner, id, {a, b}, std::nullopt));
        QVERIFY(albums.moveAsset(m_owner, id, b, 0));
        QVERIFY(albums.update(m_owner, id, {.name = "Alps", .coverAssetId = std::optional<Id>(a)}));
        QVERIFY(albums.removeAsset(m_owner, id, a));
        QVERIFY(albums.remove(m_owner, id).isOk());
        QCOMPARE(newEvents(), (QStringList{line("album.created", id), line("album.assets_changed", id),
                                           line("album.assets_changed", id), line("album.updated", id),
                                           line("album.assets_changed", id), line("album.deleted", id)}));
    }

    // The job of an earlier trashing does nothing; the current one purges the row and, when no
    // other asset has the bytes, the files, with a tombstone event.
    void purgeJobActsOnlyForTheCurrentTrashing() {
        auto library = libraryWith(std::chrono::seconds(0));
        const std::string sha(64, 'd');
        const QString original = QString::fromStdString(media::originalPathIn(dataDir(), sha));
        QVERIFY(QDir().mkpath(QFileInfo(original).path()));
        QFile file(original);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("x") == 1);
        file.close();
        const Id id = asset(sha);
        library::AlbumService albums(*m_store, *m_events);
        const Id albumId = albums.create(m_owner, "Holds it", "")->id;
        QVERIFY(albums.addAssets(m_owner, albumId, {id}, std::nullopt));
        m_purges.clear();
        QVERIFY(library->trash(m_owner, id));
        QVERIFY(library->restore(m_owner, id));
        QVERIFY(library->trash(m_owner, id));
        QCOMPARE(m_purges.size(), std::size_t(2));
        newEvents();

        QVERIFY(library->purgeIfExpired(id, m_purges[0].trashedAt - 1).isOk()); // a stale job
        QVERIFY(library->viewable(m_owner, id));
        QVERIFY(newEvents().isEmpty());

        QVERIFY(library->purgeIfExpired(id, m_purges[1].trashedAt).isOk());
        QCOMPARE(library->viewable(m_owner, id).status().code(), Code::NotFound);
        QVERIFY(!QFileInfo::exists(original));
        QCOMPARE(albums.get(m_owner, albumId)->assetCount, 0);
        QCOMPARE(newEvents(), (QStringList{line("album.assets_changed", albumId), line("asset.purged", id)}));
        QVERIFY(library->purgeIfExpired(id, m_purges[1].trashedAt).isOk()); // run again: nothing left to do
    }
};

QTEST_GUILESS_MAIN(TestLibraryServices)
#include "tst_library.moc"
