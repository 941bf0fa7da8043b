// The social pages end to end: the real pinholed, alice in the app (the real Main.qml in this
// process, driven with mouse and keys) and bob on Debian's `toot`. Alice selects two photos in
// the library, opens the composer with "Post…", sees what followers receive ("location
// removed" for the one with GPS), writes a caption and posts; the feed shows the post at once
// and then as the server has it. Bob follows her, likes the post and comments; alice's feed
// shows the like and the comment count, and the post's page the comment. Saves
// build/screenshots/composer-preview.png, feed.png and post-comments.png (and -dark).
#include "app.h"
#include "apptest.h"
#include "images/providers.h"
#include "socialfixture.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

using namespace pinhole;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

// The first visible item under `root` with this objectName (depth first), or nullptr.
QQuickItem* findVisible(QQuickItem* root, const QString& name) {
    for (auto* child : root->childItems()) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == name)
            return child;
        if (auto* found = findVisible(child, name))
            return found;
    }
    return nullptr;
}

// Images under `root` showing a URL with this prefix, and how many of them have loaded.
std::pair<int, int> images(QQuickItem* root, const QString& prefix) {
    int all = 0, ready = 0;
    for (auto* child : root->childItems()) {
        if (child->inherits("QQuickImage") && child->property("source").toUrl().toString().startsWith(prefix)) {
            ++all;
            ready += child->property("status").toInt() == 1 ? 1 : 0;
        }
        const auto [a, r] = images(child, prefix);
        all += a;
        ready += r;
    }
    return {all, ready};
}

// Clicks the middle of `item` where it is drawn: once the main stack has finished sliding a page
// in, and the scene is polished (grabbing the window does that), so the item has its final place.
void click(QQuickWindow* window, QQuickItem* item) {
    auto* stack = window->findChild<QObject*>("mainStack");
    if (!QTest::qWaitFor([stack] { return !stack || !stack->property("busy").toBool(); }, 10'000))
        qWarning("the main stack is still moving pages");
    window->grabWindow();
    QTest::mouseClick(window, Qt::LeftButton, {},
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
}

app::ThreadModel* threadOf(QQuickItem* postPage) {
    return postPage->property("thread").value<app::ThreadModel*>();
}

// Types `text` into the focused item, key by key (QTest::keyClicks is for widgets only).
void type(QQuickWindow* window, const QString& text) {
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestE2eSocialApp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QTemporaryDir m_bobHome; // bob's toot configuration
    ServerProcess m_server;

    QString toot(const QStringList& args, const QByteArray& input = {}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", m_bobHome.path());
        env.insert("XDG_CONFIG_HOME", m_bobHome.path() + "/.config");
        env.insert("NO_COLOR", "1");
        p.setProcessEnvironment(env);
        p.start(QStandardPaths::findExecutable("toot"), args);
        p.waitForStarted();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60'000);
        const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        if (p.exitCode() != 0)
            qWarning().noquote() << "toot" << args << "failed:" << out;
        return p.exitCode() == 0 ? out : QString();
    }

    bool screenshot(QQuickWindow* window, const QString& name) {
        const QString dir = QStringLiteral(PINHOLE_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(name + ".png");
        qInfo().noquote() << "screenshot:" << path;
        return window->grabWindow().save(path);
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_e2e_socialapp");
        QStandardPaths::setTestModeEnabled(true);
        QQuickStyle::setStyle("Material");
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        QVERIFY2(!QStandardPaths::findExecutable("toot").isEmpty(),
                 "toot is not installed (packaging/install-deps.sh)");
    }

    void aPostFromTheAppIsLikedAndCommentedByAFollowerOnToot() {
        QVERIFY(m_server.start());
        SocialFixture fx(m_server);
        const QString aliceToken = fx.user("alice");
        QVERIFY(!aliceToken.isEmpty());
        QVERIFY(m_server.createUser("bob", test::kSocialPassword));

        // Two photos: a harbour with GPS and camera data, and a plain one.
        const QString folder = m_dir.filePath("photos");
        QVERIFY(test::makePhoto(folder + "/harbour.jpg", QColor(30, 110, 170), "2024:06:01 09:00:00", 1200, 800));
        QProcess exiftool;
        exiftool.start("exiftool", {"-q", "-overwrite_original", "-GPSLatitude=43.2965", "-GPSLatitudeRef=N",
                                    "-GPSLongitude=5.3698", "-GPSLongitudeRef=E", "-Make=FUJIFILM", "-Model=X-T4",
                                    folder + "/harbour.jpg"});
        QVERIFY(exiftool.waitForFinished(30'000) && exiftool.exitCode() == 0);
        QVERIFY(test::makePhoto(folder + "/dunes.jpg", QColor(210, 170, 90), "2024:06:02 09:00:00", 800, 1200));

        app::App services(m_dir.filePath("alice"), m_server.baseUrl());
        app::App::setInstance(&services);
        services.start();
        QTRY_VERIFY(services.account()->ready());
        services.account()->signIn(m_server.baseUrl(), "alice", test::kSocialPassword);
        QTRY_VERIFY_WITH_TIMEOUT(services.account()->signedIn(), 15'000);
        services.importer()->importPaths({folder});
        QTRY_COMPARE_WITH_TIMEOUT(services.library()->count(), 2, 15'000);

        QQmlApplicationEngine engine;
        engine.addImportPath("qrc:/qt/qml");
        app::registerImageProviders(engine, services.session(), m_dir.filePath("thumbs"));
        app::App::setThumbnailProviderAvailable(true);
        engine.load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->resize(1100, 760);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QQuickItem* root = window->contentItem();

        // The library: select both, "Post…".
        QMetaObject::invokeMethod(window, "show", Q_ARG(QVariant, QVariant("library")));
        services.library()->selectAll();
        QQuickItem* postButton = nullptr;
        QTRY_VERIFY((postButton = findVisible(root, "postButton")) != nullptr);
        click(window, postButton);
        QQuickItem* composer = nullptr;
        QTRY_VERIFY((composer = findVisible(root, "composerPage")) != nullptr);
        QCOMPARE(services.composer()->rowCount(), 2);
        QTRY_VERIFY(services.composer()->data(services.composer()->index(0), app::ComposerModel::LoadedRole).toBool() &&
                    services.composer()->data(services.composer()->index(1), app::ComposerModel::LoadedRole).toBool());
        QStringList removed;
        for (int row = 0; row < 2; ++row)
            removed << services.composer()
                           ->data(services.composer()->index(row), app::ComposerModel::RemovedRole)
                           .toStringList();
        QCOMPARE(removed.count("location removed"), 1); // the harbour only

        // The caption, typed; a hashtag.
        QQuickItem* caption = findVisible(composer, "captionField");
        QVERIFY(caption);
        click(window, caption);
        QTRY_VERIFY(caption->hasActiveFocus());
        type(window, "Morning at the harbour #sea");
        QTRY_COMPARE(services.composer()->caption(), QString("Morning at the harbour #sea"));
        QTRY_COMPARE(images(composer, "image://thumb/").second, 2);
        QVERIFY(screenshot(window, "composer-preview"));

        click(window, findVisible(composer, "postButton"));
        // Back on the feed: the post is there at once, waiting to be sent, then sent.
        QQuickItem* feedPage = nullptr;
        QTRY_VERIFY((feedPage = findVisible(root, "feedPage")) != nullptr);
        QTRY_VERIFY(services.feed()->rowCount() >= 1 && services.feed()->get(0)["isMine"].toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!services.feed()->get(0)["pending"].toBool(), 60'000);
        const QString postId = services.feed()->get(0)["postId"].toString();
        QCOMPARE(fx.get(aliceToken, "/api/v1/statuses/" + postId).json()["media_attachments"].toArray().size(), 2);

        // Bob, on toot: follows alice, likes the post, comments.
        const QString instance = QUrl(m_server.baseUrl()).authority();
        QVERIFY(!toot({"login_cli", "--disable-https", "-i", instance, "-e", "bob@example.org"},
                      test::kSocialPassword.toUtf8() + "\n")
                     .isEmpty());
        QVERIFY(!toot({"follow", "alice"}).isEmpty());
        QVERIFY(!toot({"favourite", postId}).isEmpty());
        QVERIFY(!toot({"post", "-r", postId, "Wonderful light! #sea"}).isEmpty());

        services.session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(services.feed()->get(services.feed()->rowOf(postId))["likes"].toInt() == 1 &&
                                     services.feed()->get(services.feed()->rowOf(postId))["comments"].toInt() == 1,
                                 30'000);
        QQuickItem* likeButton = findVisible(feedPage, "likeButton");
        QVERIFY(likeButton);
        QCOMPARE(likeButton->property("text").toString(), QString("♡ 1"));
        // The server's derivatives load through image://remote (the sync library's client, signed in).
        QTRY_VERIFY_WITH_TIMEOUT(images(feedPage, "image://remote/").second >= 1, 30'000);
        QVERIFY(screenshot(window, "feed"));

        click(window, findVisible(feedPage, "commentsButton"));
        QQuickItem* postPage = nullptr;
        QTRY_VERIFY((postPage = findVisible(root, "postPage")) != nullptr);
        QQuickItem* comment = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((comment = findVisible(postPage, "commentText")) != nullptr, 15'000);
        QVERIFY2(comment->property("text").toString().contains("Wonderful light!"),
                 qPrintable(comment->property("text").toString()));
        QTRY_VERIFY_WITH_TIMEOUT(images(postPage, "image://remote/").second >= 1, 30'000);

        // Alice answers from the post's page.
        QQuickItem* field = findVisible(postPage, "commentField");
        QVERIFY(field);
        click(window, field);
        QTRY_VERIFY(field->hasActiveFocus());
        type(window, "Thank you, Bob");
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(fx.get(aliceToken, "/api/v1/statuses/" + postId).json()["replies_count"].toInt() == 2,
                                 30'000);
        QTRY_COMPARE(threadOf(postPage)->rowCount(), 2);
        // Scrolled down to the comments, as a reader would.
        QQuickItem* comments = findVisible(postPage, "commentList");
        QVERIFY(comments);
        comments->setProperty("contentY",
                              std::max(0.0, comments->property("contentHeight").toReal() - comments->height()));
        QVERIFY(screenshot(window, "post-comments"));
        // The same page in the dark theme.
        services.setTheme(app::App::Theme::Dark);
        QVERIFY(screenshot(window, "post-comments-dark"));
        services.setTheme(app::App::Theme::System);
        app::App::setInstance(nullptr);
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }
};

QTEST_MAIN(TestE2eSocialApp)
#include "tst_e2e_socialapp.moc"
