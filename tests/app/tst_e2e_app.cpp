// The real app under Xvfb against the real pinholed: a signed-in profile opens into the
// library, photos given on the command line are imported and uploaded, one is tagged through
// the UI (xdotool: click it, Ctrl+T, type, Enter), and the server has the assets and the tag.
// Screenshots of the library and the upload list go to build/screenshots/.
#include "apptest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using namespace pinhole;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");

bool run(const QString& program, const QStringList& args, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    return p.waitForFinished(30'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}
} // namespace

class TestE2eApp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QProcess m_xvfb;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();

    bool screenshot(const QString& name) {
        const QString dir = QStringLiteral(PINHOLE_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        return run("import", {"-window", "root", dir + "/" + name + ".png"}, m_env);
    }

private slots:
    void initTestCase() {
        // Xvfb picks a free display and writes its number to the given descriptor (stdout).
        m_xvfb.start("Xvfb", {"-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"});
        QVERIFY(m_xvfb.waitForReadyRead(15'000));
        const QString display = QString::fromLatin1(m_xvfb.readAllStandardOutput()).trimmed();
        QVERIFY(!display.isEmpty());
        m_env.insert("DISPLAY", ":" + display);
        m_env.remove("QT_QPA_PLATFORM");
        m_env.insert("XDG_CONFIG_HOME", m_dir.path() + "/config");
        m_env.insert("XDG_CACHE_HOME", m_dir.path() + "/cache");
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
    }
    void cleanupTestCase() {
        m_xvfb.terminate();
        m_xvfb.waitForFinished(5'000);
    }

    void importsTagsAndSyncsThroughTheRealApp() {
        const QString profile = m_dir.path() + "/profile";
        QVERIFY(QDir().mkpath(profile));
        { // Signed in before (the app then opens straight into the library).
            auto engine = sync::Engine::open((profile + "/pinhole.db").toStdString());
            QVERIFY(engine.isOk());
            QVERIFY((*engine)->login(m_server.baseUrl().toStdString(), "alice", kPassword.toStdString()).isOk());
        }
        const QString photos = m_dir.path() + "/photos";
        const QList<QColor> colours{QColor(230, 90, 40), QColor(40, 160, 90), QColor(50, 90, 200),
                                    QColor(200, 180, 40)};
        for (int i = 0; i < colours.size(); ++i)
            QVERIFY(test::makePhoto(QString("%1/photo-%2.jpg").arg(photos).arg(i), colours[i],
                                    QString("2024:05:0%1 1%1:00:00").arg(i + 1), 800, 600));

        QProcess app;
        app.setProcessEnvironment(m_env);
        app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        app.start(QStringLiteral(PINHOLE_APP_PATH), {"--profile", profile, photos});
        QVERIFY(app.waitForStarted());

        HttpClient http(m_server.baseUrl());
        http.setToken(http.login("alice", kPassword));
        QTRY_VERIFY_WITH_TIMEOUT(http.get("/api/pinhole/v1/assets?limit=50").json()["assets"].toArray().size() == 4,
                                 60'000);
        QTest::qWait(1000); // thumbnails decode off the GUI thread; let them land for the picture
        QVERIFY(screenshot("library"));

        // The newest photo (4 May) is the one to tag.
        const auto assets = http.get("/api/pinhole/v1/assets?limit=50").json()["assets"].toArray();
        QString newest;
        for (const auto& a : assets)
            if (a.toObject()["taken_at"].toString().startsWith("2024-05-04"))
                newest = a.toObject()["id"].toString();
        QVERIFY2(!newest.isEmpty(), "no asset taken on 4 May");
        const auto tagged = [&] {
            return http.get("/api/pinhole/v1/assets/" + newest + "/annotations?schema=tag").body.contains("sunset");
        };

        // Tag it through the UI: the first cell, under the tab bar, the page's toolbar and the
        // day header (the window is at the screen's top left with no window manager), then
        // Ctrl+T, the tag and Return. Keys typed before the tag field has opened are lost on a
        // loaded machine, and X gives no event for "the popup is open", so the whole gesture is
        // tried again (a bounded number of times) until the server has the tag; the same label
        // twice is still one tag.
        for (int attempt = 0; attempt < 5 && !tagged(); ++attempt) {
            QVERIFY(run("xdotool", {"mousemove", "84", "230", "click", "1"}, m_env));
            QVERIFY(run("xdotool", {"key", "ctrl+t"}, m_env));
            QVERIFY(run("xdotool", {"type", "--delay", "50", "sunset"}, m_env));
            QVERIFY(run("xdotool", {"key", "Return"}, m_env));
            if (QTest::qWaitFor(tagged, 15'000))
                break;
        }
        QVERIFY2(tagged(), "the tag typed in the app never reached the server");

        // The Uploads tab (third of four across the tool bar) for the import's progress list.
        // Esc leaves the tag field, then the viewer the click may have opened; Ctrl+3 shows it.
        QVERIFY(run("xdotool", {"key", "Escape", "Escape", "Escape"}, m_env));
        QVERIFY(run("xdotool", {"mousemove", "635", "23", "click", "1"}, m_env));
        QVERIFY(run("xdotool", {"key", "ctrl+3"}, m_env));
        QTest::qWait(500); // the page's transition, for the picture only
        QVERIFY(screenshot("import-progress"));

        QVERIFY(run("xdotool", {"key", "ctrl+q"}, m_env));
        QVERIFY(app.waitForFinished(15'000));
        QCOMPARE(app.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eApp)
#include "tst_e2e_app.moc"
