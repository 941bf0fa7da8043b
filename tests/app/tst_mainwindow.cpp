// The app's QML loads from the static modules (as main.cpp loads it): a new profile shows the
// sign-in page with the server it was given; a signed-in profile opens straight into the
// library (no server needed), and importing a folder shows its photos in the grid at once.
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
        {
            // Signed in earlier; the server is not running now (the app opens offline).
            app::Session session;
            QVERIFY(QDir().mkpath(profile));
            QVERIFY(test::openSession(session, profile + "/pinhole.db"));
            QVERIFY(test::onLibraryThread<bool>(session, [](sync::Engine& engine) {
                return engine.store().setMeta("server_url", "http://127.0.0.1:9").isOk() &&
                       engine.store().setMeta("username", "alice").isOk() &&
                       engine.store().setMeta("access_token", "t0ken").isOk();
            }));
        }
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
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
