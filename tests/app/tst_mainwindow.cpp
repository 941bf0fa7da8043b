// The app's QML loads from the static modules (as main.cpp loads it): a new profile shows the
// sign-in page with the server it was given; a signed-in profile opens straight into the
// library (no server needed), and importing a folder shows its photos in the grid at once; the
// page shortcuts and tabs work while a toast shows or a page is pushed over the tabs; a photo
// dragged onto another in an album's grid moves there.
#include "app.h"
#include "appinfo.h"
#include "apptest.h"
#include "images/providers.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

using namespace pinhole;

namespace {
// Every visible item under `root` with this objectName.
int countVisible(QQuickItem* root, const QString& name) {
    int n = 0;
    for (auto* child : root->childItems()) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == name)
            ++n;
        n += countVisible(child, name);
    }
    return n;
}
// Every visible item under `root` with this objectName, in tree order.
void collectVisible(QQuickItem* root, const QString& name, QList<QQuickItem*>& out) {
    for (auto* child : root->childItems()) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == name)
            out << child;
        collectVisible(child, name, out);
    }
}
// Every image under `root` with this objectName that has loaded (Image.Ready).
int countLoaded(QQuickItem* root, const QString& name) {
    int n = 0;
    for (auto* child : root->childItems()) {
        if (child->objectName() == name && child->property("status").toInt() == 1)
            ++n;
        n += countLoaded(child, name);
    }
    return n;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QQuickWindow* load(QQmlApplicationEngine& engine, app::App& services) {
        engine.addImportPath("qrc:/qt/qml");
        app::registerImageProviders(engine, services.session(), m_dir.path() + "/thumbs");
        app::App::setThumbnailProviderAvailable(true);
        engine.load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
        if (engine.rootObjects().size() != 1)
            return nullptr;
        return qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    }

    // A profile signed in earlier; the server is not running now (the app opens offline).
    static bool signedInProfile(const QString& profile) {
        app::Session session;
        return QDir().mkpath(profile) && test::openSession(session, profile + "/pinhole.db") &&
               test::onLibraryThread<bool>(session, [](sync::Engine& engine) {
                   return engine.store().setMeta("server_url", "http://127.0.0.1:9").isOk() &&
                          engine.store().setMeta("username", "alice").isOk() &&
                          engine.store().setMeta("access_token", "t0ken").isOk();
               });
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_mainwindow");
        QStandardPaths::setTestModeEnabled(true);
        // The preferences of an earlier run (another checkout's build shares this file) must not
        // decide which tab opens: a remembered "albums" hid the library grid.
        QSettings().clear();
        QQuickStyle::setStyle("Material");
    }

    void aNewProfileAsksToSignInToTheGivenServer() {
        const QString profile = m_dir.path() + "/new";
        app::AppInfo::configure("http://127.0.0.1:8470", profile);
        app::App services(profile, "http://127.0.0.1:8470");
        app::App::setInstance(&services);
        services.start();
        QQmlApplicationEngine engine;
        auto* window = load(engine, services);
        QVERIFY(window);
        QCOMPARE(window->title(), QString("Pinhole"));
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(services.account()->ready());
        auto* page = window->findChild<QQuickItem*>("signInPage");
        QVERIFY(page);
        QTRY_VERIFY(page->isVisible());
        auto* server = window->findChild<QObject*>("serverField");
        QVERIFY(server);
        QCOMPARE(server->property("text").toString(), QString("http://127.0.0.1:8470"));
    }

    void aSignedInProfileOpensTheLibraryAndAnImportedFolderShowsInTheGrid() {
        const QString profile = m_dir.path() + "/signed-in";
        QVERIFY(signedInProfile(profile));
        const QString folder = m_dir.path() + "/trip";
        QVERIFY(test::makePhoto(folder + "/a.jpg", Qt::red, "2024:05:01 10:00:00"));
        QVERIFY(test::makePhoto(folder + "/b.jpg", Qt::green, "2024:05:02 10:00:00"));
        QVERIFY(test::makePhoto(folder + "/sub/c.jpg", Qt::blue, "2024:05:03 10:00:00"));

        app::App services(profile, {});
        app::App::setInstance(&services);
        services.start();
        QQmlApplicationEngine engine;
        auto* window = load(engine, services);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(services.account()->signedIn());
        auto* grid = window->findChild<QQuickItem*>("photoGrid");
        QVERIFY(grid);
        QTRY_VERIFY(grid->isVisible());
        QCOMPARE(services.library()->count(), 0);

        services.importer()->importPaths({folder});
        QTRY_COMPARE(services.library()->count(), 3);
        QTRY_COMPARE(countVisible(grid, "photoCell"), 3);
        // Their thumbnails load from the imported files (the providers find them by hash).
        QTRY_COMPARE(countLoaded(grid, "photoThumb"), 3);
        QTRY_VERIFY(!services.importer()->importing());
        QVERIFY(services.importer()->summary().contains("3 photos added"));
    }

    // Regression (tst_e2e_app's import-progress.png showed the library): the import's toast is a
    // popup that closed on Escape, and Qt Quick blocks a window's shortcuts while such a popup
    // is open, so Ctrl+3 did nothing for four seconds after an import or an error; and a tab
    // clicked while the viewer or an album was pushed changed the page under it, out of sight.
    void pageShortcutsAndTabsWorkWhileAToastShowsOrAPageIsPushed() {
        const QString profile = m_dir.path() + "/shortcuts";
        QVERIFY(signedInProfile(profile));
        const QString folder = m_dir.path() + "/shortcut-photos";
        QVERIFY(test::makePhoto(folder + "/a.jpg", Qt::red, "2024:05:01 10:00:00"));
        app::App services(profile, {});
        app::App::setInstance(&services);
        services.start();
        QQmlApplicationEngine engine;
        auto* window = load(engine, services);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(services.account()->signedIn());
        auto* tabs = window->findChild<QQuickItem*>("mainTabs");
        auto* stack = window->findChild<QQuickItem*>("mainStack");
        auto* toast = window->findChild<QObject*>("toast");
        QVERIFY(tabs && stack && toast);
        tabs->setProperty("currentIndex", 0);

        services.importer()->importPaths({folder});
        QTRY_VERIFY(toast->property("opened").toBool()); // "1 photo added"
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTest::keyClick(window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(tabs->property("currentIndex").toInt(), 2);
        QVERIFY(toast->property("opened").toBool()); // the shortcut did not go to the toast

        // The viewer over the library; choosing the Albums tab shows the albums.
        QTest::keyClick(window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(tabs->property("currentIndex").toInt(), 0);
        QVERIFY(QMetaObject::invokeMethod(window, "openViewer",
                                          Q_ARG(QVariant, QVariant::fromValue<QObject*>(services.library())),
                                          Q_ARG(QVariant, 0)));
        QTRY_COMPARE(stack->property("depth").toInt(), 2);
        tabs->setProperty("currentIndex", 1);
        QTRY_COMPARE(stack->property("depth").toInt(), 1);
    }

    void aPhotoDraggedOntoAnotherInAnAlbumMovesThere() {
        const QString profile = m_dir.path() + "/drag";
        QVERIFY(signedInProfile(profile));
        const QString folder = m_dir.path() + "/drag-photos";
        QVERIFY(test::makePhoto(folder + "/a.jpg", Qt::red, "2024:05:01 10:00:00"));
        QVERIFY(test::makePhoto(folder + "/b.jpg", Qt::green, "2024:05:02 10:00:00"));
        QVERIFY(test::makePhoto(folder + "/c.jpg", Qt::blue, "2024:05:03 10:00:00"));
        app::App services(profile, {});
        app::App::setInstance(&services);
        services.start();
        QQmlApplicationEngine engine;
        auto* window = load(engine, services);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(services.account()->signedIn());
        services.importer()->importPaths({folder});
        QTRY_COMPARE(services.library()->count(), 3);
        const QString id =
            QString::fromStdString(test::onLibraryThread<std::string>(services.session(), [](sync::Engine& e) {
                auto& library = e.library();
                const auto assets = library.assets();
                auto album = library.createAlbum("Trip");
                if (!assets || !album)
                    return std::string();
                for (const auto& a : *assets)
                    (void)library.addToAlbum(*album, a.sha256);
                return *album;
            }));
        QVERIFY(!id.isEmpty());

        auto* albumsPage = window->findChild<QQuickItem*>("albumsPage");
        auto* stack = window->findChild<QQuickItem*>("mainStack");
        QVERIFY(albumsPage && stack);
        QVERIFY(QMetaObject::invokeMethod(albumsPage, "openAlbum", Q_ARG(QString, id), Q_ARG(QString, "Trip")));
        QTRY_COMPARE(stack->property("depth").toInt(), 2);
        QTRY_VERIFY(!stack->property("busy").toBool()); // the page has slid in
        auto* page = stack->property("currentItem").value<QQuickItem*>();
        QVERIFY(page);
        auto* photos = page->property("photos").value<app::LibraryModel*>();
        QVERIFY(photos);
        QTRY_COMPARE(photos->count(), 3);
        QVERIFY(photos->reorderable());
        const QStringList before{photos->sha256At(0), photos->sha256At(1), photos->sha256At(2)};
        QList<QQuickItem*> cells;
        QTRY_VERIFY((cells.clear(), collectVisible(page, "photoCell", cells), cells.size() == 3));

        // Press on the first photo, drag it in steps onto the third, release.
        const QPoint from = cells[0]->mapToScene(QPointF(cells[0]->width() / 2, cells[0]->height() / 2)).toPoint();
        const QPoint to = cells[2]->mapToScene(QPointF(cells[2]->width() / 2, cells[2]->height() / 2)).toPoint();
        QTest::mousePress(window, Qt::LeftButton, {}, from);
        for (int step = 1; step <= 10; ++step)
            QTest::mouseMove(window, from + (to - from) * step / 10);
        QTest::mouseRelease(window, Qt::LeftButton, {}, to);

        const QStringList after{before[1], before[2], before[0]};
        QTRY_COMPARE((QStringList{photos->sha256At(0), photos->sha256At(1), photos->sha256At(2)}), after);
        const auto stored = test::onLibraryThread<std::vector<std::string>>(services.session(), [](sync::Engine& e) {
            const auto albums = e.library().albums();
            return albums && !albums->empty() ? albums->front().assetSha256s : std::vector<std::string>();
        });
        QTRY_COMPARE(stored.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(stored[2]), before[0]);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
