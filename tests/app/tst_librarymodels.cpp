// The library's models over a real local store (no server): each under
// QAbstractItemModelTester; the grid is newest first, grouped by day or month with headers (a
// sparse month's days sharing one when their photos fit in a row);
// selection by click, Ctrl, Shift and select-all; albums with covers and counts, pinned for
// offline use, reordered by drag and drop; the upload list of photos not yet on the server; the
// media cache's budget as the settings page sets it.
#include "albums/albumlistmodel.h"
#include "apptest.h"
#include "importing/uploadlistmodel.h"
#include "library/librarygridmodel.h"
#include "library/librarymodel.h"
#include "media/cachecontroller.h"
#include "status/statuscontroller.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace pinhole;
using namespace pinhole::app;

class TestLibraryModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Session> m_session;

    // Waits for a model's load to finish.
    template <typename M> bool loaded(M& model) {
        return QTest::qWaitFor([&model] { return !model.loading(); }, 10'000);
    }
    // The grid's rows: "#title" for a header, else the row's photo count.
    static QStringList rowsOf(const LibraryGridModel& grid) {
        QStringList rows;
        for (int r = 0; r < grid.rowCount(); ++r) {
            const auto i = grid.index(r);
            rows << (grid.data(i, LibraryGridModel::IsHeaderRole).toBool()
                         ? "#" + grid.data(i, LibraryGridModel::TitleRole).toString()
                         : QString::number(grid.data(i, LibraryGridModel::CellsRole).toList().size()));
        }
        return rows;
    }
    std::unique_ptr<LibraryModel> libraryModel() {
        auto model = std::make_unique<LibraryModel>(m_session.get());
        model->reload();
        return model;
    }

private slots:
    void initTestCase() {
        const QString photos = m_dir.path() + "/photos";
        QVERIFY(test::makePhoto(photos + "/may1-morning.jpg", Qt::red, "2024:05:01 10:00:00"));
        QVERIFY(test::makePhoto(photos + "/may1-noon.jpg", Qt::green, "2024:05:01 12:00:00"));
        QVERIFY(test::makePhoto(photos + "/apr30.jpg", Qt::blue, "2024:04:30 09:00:00"));
        QVERIFY(test::makePhoto(photos + "/christmas.jpg", Qt::yellow, "2023:12:25 08:00:00"));
        QVERIFY(test::makePhoto(photos + "/undated.jpg", Qt::cyan));
        m_session = std::make_unique<Session>();
        QVERIFY(test::openSession(*m_session, m_dir.path() + "/library.db"));
        const auto added = test::onLibraryThread<int>(*m_session, [photos](sync::Engine& engine) {
            return engine.library().importPath(photos.toStdString()).value().newAssets;
        });
        QCOMPARE(added, 5);
    }
    void cleanupTestCase() { m_session.reset(); }

    void theLibraryIsNewestFirstWithUndatedLast() {
        auto model = libraryModel();
        QAbstractItemModelTester tester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loaded(*model));
        QCOMPARE(model->count(), 5);
        QStringList names;
        for (int i = 0; i < model->count(); ++i)
            names << model->data(model->index(i), LibraryModel::FileNameRole).toString();
        QCOMPARE(names,
                 QStringList({"may1-noon.jpg", "may1-morning.jpg", "apr30.jpg", "christmas.jpg", "undated.jpg"}));
        QCOMPARE(model->data(model->index(0), LibraryModel::TakenAtRole).toDateTime(),
                 QDateTime(QDate(2024, 5, 1), QTime(12, 0)));
        QCOMPARE(model->data(model->index(0), LibraryModel::WidthRole).toInt(), 64);
        QVERIFY(!model->data(model->index(0), LibraryModel::Sha256Role).toString().isEmpty());
    }

    void theGridGroupsByDayOrMonthUnderHeaders_data() {
        QTest::addColumn<LibraryGridModel::Grouping>("grouping");
        QTest::addColumn<int>("columns");
        QTest::addColumn<QStringList>("rows"); // "#title" for a header, else the photo count
        QTest::newRow("by day, 2 columns")
            << LibraryGridModel::Grouping::Day << 2 << QStringList{"#Wednesday 1 May 2024",
                                                                   "2",
                                                                   "#Tuesday 30 April 2024",
                                                                   "1",
                                                                   "#Monday 25 December 2023",
                                                                   "1",
                                                                   "#No date",
                                                                   "1"};
        QTest::newRow("by day, 1 column")
            << LibraryGridModel::Grouping::Day << 1 << QStringList{"#Wednesday 1 May 2024",
                                                                   "1",
                                                                   "1",
                                                                   "#Tuesday 30 April 2024",
                                                                   "1",
                                                                   "#Monday 25 December 2023",
                                                                   "1",
                                                                   "#No date",
                                                                   "1"};
        QTest::newRow("by month, 4 columns")
            << LibraryGridModel::Grouping::Month << 4
            << QStringList{"#May 2024", "2", "#April 2024", "1", "#December 2023", "1", "#No date", "1"};
    }
    void theGridGroupsByDayOrMonthUnderHeaders() {
        QFETCH(LibraryGridModel::Grouping, grouping);
        QFETCH(int, columns);
        QFETCH(QStringList, rows);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        auto photos = libraryModel();
        LibraryGridModel grid;
        QAbstractItemModelTester tester(&grid, QAbstractItemModelTester::FailureReportingMode::QtTest);
        grid.setGrouping(grouping);
        grid.setColumns(columns);
        grid.setPhotos(photos.get());
        QVERIFY(loaded(*photos));
        QCOMPARE(rowsOf(grid), rows);
        // Every photo is in exactly one row, and rowOfPhoto finds it.
        for (int p = 0; p < photos->count(); ++p) {
            const int r = grid.rowOfPhoto(p);
            QVERIFY(r >= 0);
            const int first = grid.data(grid.index(r), LibraryGridModel::FirstRole).toInt();
            const int count = grid.data(grid.index(r), LibraryGridModel::CountRole).toInt();
            QVERIFY(p >= first && p < first + count);
        }
    }

    // Days of one month whose photos fit in one row share a header; a day that fills a row, and
    // a day of another month, keep their own.
    void sparseDaysOfOneMonthShareAHeader() {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        QTemporaryDir dir;
        const QString photos = dir.path() + "/photos";
        QVERIFY(QDir().mkpath(photos));
        QVERIFY(test::makePhoto(photos + "/jul1.jpg", Qt::red, "2024:07:01 10:00:00"));
        QVERIFY(test::makePhoto(photos + "/jun8a.jpg", Qt::green, "2024:06:08 10:00:00"));
        QVERIFY(test::makePhoto(photos + "/jun8b.jpg", Qt::blue, "2024:06:08 11:00:00"));
        QVERIFY(test::makePhoto(photos + "/jun8c.jpg", Qt::yellow, "2024:06:08 12:00:00"));
        QVERIFY(test::makePhoto(photos + "/jun4.jpg", Qt::cyan, "2024:06:04 10:00:00"));
        QVERIFY(test::makePhoto(photos + "/jun2.jpg", Qt::magenta, "2024:06:02 10:00:00"));
        Session session;
        QVERIFY(test::openSession(session, dir.path() + "/library.db"));
        const auto added = test::onLibraryThread<int>(session, [photos](sync::Engine& engine) {
            return engine.library().importPath(photos.toStdString()).value().newAssets;
        });
        QCOMPARE(added, 6);
        LibraryModel model(&session);
        model.reload();
        QVERIFY(loaded(model));
        LibraryGridModel grid;
        QAbstractItemModelTester tester(&grid, QAbstractItemModelTester::FailureReportingMode::QtTest);
        grid.setGrouping(LibraryGridModel::Grouping::Day);
        grid.setColumns(3);
        grid.setPhotos(&model);
        QCOMPARE(rowsOf(grid), QStringList({"#Monday 1 July 2024", "1", "#Saturday 8 June 2024", "3", "#2–4 June 2024", "2"}));
        // Wider, the 8th fits with the 2nd and 4th.
        grid.setColumns(5);
        QCOMPARE(grid.data(grid.index(2), LibraryGridModel::TitleRole).toString(), QString("2–8 June 2024"));
        QCOMPARE(grid.data(grid.index(3), LibraryGridModel::CellsRole).toList().size(), 5);
    }

    void clickCtrlAndShiftSelect() {
        auto photos = libraryModel();
        QVERIFY(loaded(*photos));
        LibraryGridModel grid;
        grid.setColumns(2);
        grid.setPhotos(photos.get());
        QAbstractItemModelTester tester(photos.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        photos->select(1);
        QCOMPARE(photos->selectedCount(), 1);
        QVERIFY(photos->data(photos->index(1), LibraryModel::SelectedRole).toBool());
        photos->select(3, Qt::ControlModifier);
        QCOMPARE(photos->selectedCount(), 2);
        photos->select(1, Qt::ControlModifier); // toggles off
        QCOMPARE(photos->selectedCount(), 1);
        photos->select(0);
        photos->select(2, Qt::ShiftModifier); // 0..2
        QCOMPARE(photos->selectedCount(), 3);
        QVERIFY(!photos->isSelected(3));
        QCOMPARE(photos->selectedSha256s(),
                 QStringList({photos->sha256At(0), photos->sha256At(1), photos->sha256At(2)}));
        // The grid's cells show it.
        const auto cells = grid.data(grid.index(grid.rowOfPhoto(2)), LibraryGridModel::CellsRole).toList();
        QVERIFY(cells.first().toMap().value("selected").toBool());
        photos->selectAll();
        QCOMPARE(photos->selectedCount(), 5);
        photos->clearSelection();
        QCOMPARE(photos->selectedCount(), 0);
    }

    void albumsHaveCoversAndCountsAndOpenToTheirPhotos() {
        AlbumListModel albums(m_session.get());
        QAbstractItemModelTester tester(&albums, QAbstractItemModelTester::FailureReportingMode::QtTest);
        albums.reload();
        QVERIFY(loaded(albums));
        const int before = albums.count();
        albums.create("Holidays");
        QTRY_COMPARE(albums.count(), before + 1);
        int row = -1;
        for (int r = 0; r < albums.count(); ++r)
            if (albums.data(albums.index(r), AlbumListModel::NameRole).toString() == "Holidays")
                row = r;
        QVERIFY(row >= 0);
        const QString id = albums.data(albums.index(row), AlbumListModel::AlbumIdRole).toString();
        QCOMPARE(albums.data(albums.index(row), AlbumListModel::PhotoCountRole).toInt(), 0);

        auto photos = libraryModel();
        QVERIFY(loaded(*photos));
        photos->select(0);
        photos->select(2, Qt::ControlModifier);
        photos->addSelectionToAlbum(id);
        QTRY_COMPARE(albums.data(albums.index(row), AlbumListModel::PhotoCountRole).toInt(), 2);
        QVERIFY(!albums.data(albums.index(row), AlbumListModel::CoverRole).toString().isEmpty());

        LibraryModel inAlbum(m_session.get());
        QAbstractItemModelTester albumTester(&inAlbum, QAbstractItemModelTester::FailureReportingMode::QtTest);
        inAlbum.setAlbumId(id);
        QTRY_COMPARE(inAlbum.count(), 2);
        QSet<QString> shas{inAlbum.sha256At(0), inAlbum.sha256At(1)};
        QCOMPARE(shas, (QSet<QString>{photos->sha256At(0), photos->sha256At(2)}));

        albums.rename(id, "Summer 2024");
        QTRY_COMPARE(albums.nameOf(id), QString("Summer 2024"));
        albums.remove(id);
        QTRY_COMPARE(albums.count(), before);
    }

    // A drag in an album's grid: the model shows the new order at once (a row move, which the
    // tester checks), the library stores it (so a fresh model reads it back), and an album.move
    // operation is queued for the server.
    void aDragInAnAlbumMovesThePhotoAndQueuesTheMove() {
        const QString id = QString::fromStdString(test::onLibraryThread<std::string>(*m_session, [](sync::Engine& e) {
            auto& library = e.library();
            const std::string album = library.createAlbum("Order").value();
            const auto assets = library.assets();
            if (!assets)
                return std::string();
            for (const auto& asset : *assets)
                (void)library.addToAlbum(album, asset.sha256);
            return album;
        }));
        LibraryModel inAlbum(m_session.get());
        QAbstractItemModelTester tester(&inAlbum, QAbstractItemModelTester::FailureReportingMode::QtTest);
        inAlbum.setAlbumId(id);
        QTRY_COMPARE(inAlbum.count(), 5);
        QVERIFY(loaded(inAlbum));
        QVERIFY(inAlbum.reorderable());
        QStringList order;
        for (int i = 0; i < inAlbum.count(); ++i)
            order << inAlbum.sha256At(i);
        LibraryGridModel grid;
        QAbstractItemModelTester gridTester(&grid, QAbstractItemModelTester::FailureReportingMode::QtTest);
        grid.setGrouping(LibraryGridModel::Grouping::None);
        grid.setColumns(2);
        grid.setPhotos(&inAlbum);
        QCOMPARE(grid.rowCount(), 3); // no headers: 2 + 2 + 1

        QSignalSpy moved(&inAlbum, &QAbstractItemModel::rowsMoved);
        QVERIFY(inAlbum.moveInAlbum(0, 3)); // the first photo dropped on the fourth
        QCOMPARE(moved.count(), 1);
        order.move(0, 3);
        QStringList now;
        for (int i = 0; i < inAlbum.count(); ++i)
            now << inAlbum.sha256At(i);
        QCOMPARE(now, order);
        QCOMPARE(inAlbum.indexOf(order[3]), 3);
        QCOMPARE(grid.data(grid.index(1), LibraryGridModel::CellsRole).toList().at(1).toMap()["sha256"].toString(),
                 order[3]);
        QVERIFY(inAlbum.moveInAlbum(4, 1)); // and back towards the front
        order.move(4, 1);

        // Stored: a new model of the album reads the same order; the moves wait in the outbox.
        LibraryModel again(m_session.get());
        again.setAlbumId(id);
        QTRY_COMPARE(again.count(), 5);
        QVERIFY(loaded(again));
        QStringList stored;
        for (int i = 0; i < again.count(); ++i)
            stored << again.sha256At(i);
        QCOMPARE(stored, order);
        const int queued = test::onLibraryThread<int>(*m_session, [](sync::Engine& e) {
            auto q = e.store().db().prepare("SELECT count(*) FROM outbox WHERE kind = 'album.move'");
            return q.step().value() ? int(q.int64(0)) : -1;
        });
        QCOMPARE(queued, 2);

        // Not in the library's grid, not while filtered, not out of range.
        QVERIFY(!inAlbum.moveInAlbum(0, 5));
        QVERIFY(!inAlbum.moveInAlbum(-1, 0));
        auto library = libraryModel();
        QVERIFY(loaded(*library));
        QVERIFY(!library->reorderable());
        QVERIFY(!library->moveInAlbum(0, 1));
        inAlbum.setFilter("may");
        QVERIFY(!inAlbum.reorderable());
        QVERIFY(!inAlbum.moveInAlbum(0, 1));
    }

    // Pinning is a local setting: the album list shows it, with how many photos are offline
    // (here every one: their files are on this computer).
    void aPinnedAlbumShowsItsOfflineState() {
        AlbumListModel albums(m_session.get());
        QAbstractItemModelTester tester(&albums, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = QString::fromStdString(test::onLibraryThread<std::string>(*m_session, [](sync::Engine& e) {
            auto& library = e.library();
            const std::string album = library.createAlbum("Offline").value();
            const auto assets = library.assets();
            if (!assets || assets->empty())
                return std::string();
            (void)library.addToAlbum(album, assets->front().sha256);
            return album;
        }));
        albums.reload();
        QVERIFY(loaded(albums));
        const auto rowOf = [&] {
            for (int r = 0; r < albums.count(); ++r)
                if (albums.data(albums.index(r), AlbumListModel::AlbumIdRole).toString() == id)
                    return r;
            return -1;
        };
        QVERIFY(rowOf() >= 0);
        QCOMPARE(albums.data(albums.index(rowOf()), AlbumListModel::PinnedRole).toBool(), false);
        albums.setPinned(id, true);
        QTRY_VERIFY(rowOf() >= 0 && albums.data(albums.index(rowOf()), AlbumListModel::PinnedRole).toBool());
        QCOMPARE(albums.data(albums.index(rowOf()), AlbumListModel::OfflineCountRole).toInt(), 1);
        albums.setPinned(id, false);
        QTRY_VERIFY(rowOf() >= 0 && !albums.data(albums.index(rowOf()), AlbumListModel::PinnedRole).toBool());
    }

    // The settings page's budget is stored in the profile: a new session on it reads it back.
    void theCacheBudgetPersists() {
        const QString store = m_dir.path() + "/budget/pinhole.db";
        QVERIFY(QDir().mkpath(m_dir.path() + "/budget"));
        {
            Session session;
            QVERIFY(test::openSession(session, store));
            CacheController cache(&session);
            QSignalSpy changed(&cache, &CacheController::changed);
            cache.refresh();
            QVERIFY(changed.wait(10'000));
            QCOMPARE(cache.budgetMiB(), int(sync::MediaCache::kDefaultBudget >> 20));
            cache.setBudgetMiB(512);
            QVERIFY(changed.wait(10'000));
            QCOMPARE(cache.budgetMiB(), 512);
            QCOMPARE(cache.usedBytes(), qint64(0));
            QVERIFY(cache.usageText().contains("512"));
        }
        Session session;
        QVERIFY(test::openSession(session, store));
        CacheController cache(&session);
        QSignalSpy changed(&cache, &CacheController::changed);
        cache.refresh();
        QVERIFY(changed.wait(10'000));
        QCOMPARE(cache.budgetMiB(), 512);
    }

    void photosNotOnTheServerAreQueuedForUpload() {
        auto photos = std::make_unique<LibraryModel>(m_session.get());
        StatusController status(m_session.get());
        UploadListModel uploads(photos.get(), &status, m_session.get());
        QAbstractItemModelTester tester(&uploads, QAbstractItemModelTester::FailureReportingMode::QtTest);
        photos->reload();
        QTRY_COMPARE(uploads.count(), 5);
        for (int r = 0; r < uploads.count(); ++r)
            QCOMPARE(uploads.data(uploads.index(r), UploadListModel::StateRole).toInt(),
                     int(UploadListModel::State::Queued));
        QVERIFY(uploads.active());
        QCOMPARE(uploads.overallProgress(), 0.0);
        QCOMPARE(uploads.finishedCount(), 0);
        // Progress from the engine moves one file to uploading.
        const QString sha = uploads.data(uploads.index(0), UploadListModel::Sha256Role).toString();
        emit m_session->uploadProgress(sha, 10, 40);
        QCOMPARE(uploads.data(uploads.index(0), UploadListModel::StateRole).toInt(),
                 int(UploadListModel::State::Uploading));
        QCOMPARE(uploads.data(uploads.index(0), UploadListModel::ProgressRole).toDouble(), 0.25);
    }
};

QTEST_MAIN(TestLibraryModels)
#include "tst_librarymodels.moc"
