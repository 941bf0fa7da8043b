// image://remote (app/images/remoteimage.h) against the real pinholed: a followers-only post's
// photo loads for a follower through the provider (the token is sent, the image decoded at the
// requested size) though the same URL without the token is refused; a URL that is not on the
// signed-in server is refused before any request (a local listener sees no connection), and so
// are other origins that only look alike; a self-signed server's picture loads with the key the
// user pinned at sign-in.
#include "app.h"
#include "apptest.h"
#include "images/providers.h"
#include "images/remoteimage.h"
#include "net/http.h"
#include "socialfixture.h"

#include <QQmlEngine>
#include <QQuickAsyncImageProvider>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace pinhole;
using namespace pinhole::app;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

struct Loaded {
    QImage image;
    QString error;
};

// Asks `engine`'s image://remote for `url` (as the models map it) at `size` and waits for it.
Loaded load(QQmlEngine& engine, const QString& url, QSize size) {
    auto* provider = static_cast<QQuickAsyncImageProvider*>(engine.imageProvider(QStringLiteral("remote")));
    const QString prefix = QStringLiteral("image://remote/");
    const QString mapped = remoteImageUrl(url);
    if (!provider || !mapped.startsWith(prefix))
        return {{}, QStringLiteral("no provider, or not mapped to it: %1").arg(mapped)};
    std::unique_ptr<QQuickImageResponse> response(provider->requestImageResponse(mapped.mid(prefix.size()), size));
    QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
    if (!finished.wait(30'000))
        return {{}, QStringLiteral("the response never finished")};
    Loaded out{{}, response->errorString()};
    if (std::unique_ptr<QQuickTextureFactory> texture{response->textureFactory()})
        out.image = texture->image();
    return out;
}

std::unique_ptr<App> signedInApp(const QString& profile, const QString& server, const QString& user, bool trust) {
    auto app = std::make_unique<App>(profile, QString());
    app->start();
    if (!QTest::qWaitFor([&app] { return app->account()->ready(); }, 10'000))
        return nullptr;
    app->account()->signIn(server, user, test::kSocialPassword);
    if (trust) {
        if (!QTest::qWaitFor([&app] { return !app->account()->trustFingerprint().isEmpty(); }, 15'000))
            return nullptr;
        app->account()->trustServer();
    }
    if (!QTest::qWaitFor([&app] { return app->account()->signedIn(); }, 15'000))
        return nullptr;
    // The session's copy of the server is taken after a library-thread task: wait for one.
    if (!QTest::qWaitFor([&app] { return app->session().server().has_value(); }, 10'000))
        return nullptr;
    return app;
}

} // namespace

class TestRemoteImages : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_remoteimages");
        QVERIFY(m_dir.isValid());
    }

    void onlyTheSignedInServersUrlsAreFetched_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("onServer");
        QTest::newRow("the server") << "https://photos.example:8443/media/1/large" << true;
        QTest::newRow("host in capitals") << "https://PHOTOS.example:8443/media/1/large" << true;
        QTest::newRow("another host") << "https://evil.example:8443/media/1/large" << false;
        QTest::newRow("a look-alike host") << "https://photos.example.evil:8443/media/1/large" << false;
        QTest::newRow("another port") << "https://photos.example:9443/media/1/large" << false;
        QTest::newRow("plain http") << "http://photos.example:8443/media/1/large" << false;
        QTest::newRow("user info") << "https://a@photos.example:8443/media/1/large" << false;
        QTest::newRow("no path") << "https://photos.example:8443" << false;
    }
    void onlyTheSignedInServersUrlsAreFetched() {
        QFETCH(QString, url);
        QFETCH(bool, onServer);
        QCOMPARE(isOnServer(QUrl(url), "https://photos.example:8443"), onServer);
    }

    void aServerPathPrefixBoundsWhatIsOnTheServer() {
        QVERIFY(isOnServer(QUrl("https://example.org/pinhole/media/1/large"), "https://example.org/pinhole"));
        QVERIFY(!isOnServer(QUrl("https://example.org/other/media/1/large"), "https://example.org/pinhole"));
        QVERIFY(!isOnServer(QUrl("https://example.org/pinhole/../other/x"), "https://example.org/pinhole"));
        QVERIFY(!isOnServer(QUrl("https://example.org/pinholeX/x"), "https://example.org/pinhole"));
    }

    void theModelsMapServerPicturesToTheProviderAndLeaveLocalOnes() {
        QCOMPARE(remoteImageUrl(""), QString());
        QCOMPARE(remoteImageUrl("image://preview/abc"), QString("image://preview/abc"));
        QCOMPARE(remoteImageUrl("https://photos.example/static/avatar-missing.png"),
                 QString("image://remote/https://photos.example/static/avatar-missing.png"));
    }

    void whatQmlHandsTheProviderDecodesBackToTheUrl_data() {
        QTest::addColumn<QString>("url");
        QTest::newRow("plain") << "http://127.0.0.1:8080/media/12/large";
        QTest::newRow("query") << "http://127.0.0.1:8080/media/12/large?v=2&w=a%20b";
        QTest::newRow("fragment") << "https://photos.example/a#b";
        QTest::newRow("percent") << "https://photos.example/100%25/x%2Fy";
        QTest::newRow("non-ASCII") << QString::fromUtf8("https://photos.example/caf\xc3\xa9/\xe5\x86\x99.jpg");
    }
    void whatQmlHandsTheProviderDecodesBackToTheUrl() {
        QFETCH(QString, url);
        const QUrl source(remoteImageUrl(url));
        QCOMPARE(source.scheme(), QString("image"));
        QCOMPARE(source.host(), QString("remote"));
        QVERIFY(source.query().isEmpty() && source.fragment().isEmpty());
        // The id as QQuickPixmap makes it for the provider.
        const QString id = source.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority).mid(1);
        QCOMPARE(remoteUrlOf(id), url);
    }

    void aFollowersOnlyPhotoLoadsForAFollowerAndNothingGoesElsewhere() {
        ServerProcess server;
        QVERIFY(server.start());
        SocialFixture fx(server);
        const QString alice = fx.user("alice"), bob = fx.user("bob");
        QVERIFY(!alice.isEmpty() && !bob.isEmpty());
        QCOMPARE(fx.postTo(bob, "/api/v1/accounts/" + fx.idOf(alice) + "/follow").status, 200);
        const QString postId = fx.photoPost(alice, "Only for friends", "private");
        QVERIFY(!postId.isEmpty());

        auto app = signedInApp(m_dir.filePath("bob"), server.baseUrl(), "bob", false);
        QVERIFY(app);
        QQmlEngine engine;
        registerImageProviders(engine, app->session(), m_dir.filePath("thumbs"));

        // The post reaches bob's feed; its photo is the server's derivative, as image://remote.
        FeedModel* feed = app->feed();
        QTRY_VERIFY_WITH_TIMEOUT(feed->rowOf(postId) >= 0 &&
                                     !feed->get(feed->rowOf(postId))["media"].toList().value(0).toString().isEmpty(),
                                 30'000);
        const QString mapped = feed->get(feed->rowOf(postId))["media"].toList().first().toString();
        QVERIFY2(mapped.startsWith("image://remote/"), qPrintable(mapped));
        const QString url = remoteUrlOf(mapped.mid(15));
        QVERIFY2(url.startsWith(server.baseUrl() + "/"), qPrintable(url));
        // Without bob's token the server refuses it: what Qt's own loader got.
        QVERIFY(test::HttpClient(server.baseUrl()).get(url.mid(server.baseUrl().size())).status != 200);

        // Through the provider: full size (the 120 x 90 upload), and fit to a requested size.
        Loaded full = load(engine, url, {});
        QVERIFY2(!full.image.isNull(), qPrintable(full.error));
        QCOMPARE(full.image.size(), QSize(120, 90));
        Loaded small = load(engine, url, QSize(60, 60));
        QVERIFY2(!small.image.isNull(), qPrintable(small.error));
        QCOMPARE(small.image.size(), QSize(60, 45));

        // A photo the server does not have: an error, not a wait.
        Loaded missing = load(engine, server.baseUrl() + "/media/1/large", {});
        QVERIFY(missing.image.isNull());
        QVERIFY2(missing.error.contains("HTTP 404"), qPrintable(missing.error));

        // Another origin (a listener that would see any connection): refused, nothing sent.
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        const QString elsewhere = QString("http://127.0.0.1:%1/media/%2/large").arg(listener.serverPort()).arg(postId);
        Loaded refused = load(engine, elsewhere, {});
        QVERIFY(refused.image.isNull());
        QVERIFY2(refused.error.contains("not on the signed-in server"), qPrintable(refused.error));
        QVERIFY(!listener.hasPendingConnections());
        QVERIFY(!listener.waitForNewConnection(0));

        // Signed out: nothing is fetched, even from the server.
        app->account()->signOut();
        QTRY_VERIFY(!app->session().server().has_value());
        Loaded signedOut = load(engine, url, {});
        QVERIFY(signedOut.image.isNull());
        QVERIFY2(signedOut.error.contains("not signed in"), qPrintable(signedOut.error));
        QCOMPARE(server.stop(), 0);
    }

    void aSelfSignedServersPictureLoadsWithThePinnedKey() {
        ServerProcess server({}, {"--tls-self-signed"});
        QVERIFY(server.start());
        QVERIFY(server.createUser("carol", test::kSocialPassword));
        const QString url = server.baseUrl() + "/static/avatar-missing.png";
        QVERIFY(url.startsWith("https://"));
        // Without the pin the certificate does not verify.
        sync::net::HttpClient unpinned;
        const auto plain = unpinned.send({"GET", url.toStdString(), {}, {}});
        QVERIFY(!plain);
        QCOMPARE(plain.status().code(), sync::Code::Untrusted);

        auto app = signedInApp(m_dir.filePath("carol"), server.baseUrl(), "carol", true);
        QVERIFY(app);
        QVERIFY(!app->session().server().value_or(ServerAccess{}).pinnedKey.empty());
        QQmlEngine engine;
        registerImageProviders(engine, app->session(), m_dir.filePath("thumbs-tls"));
        Loaded avatar = load(engine, url, QSize(48, 48));
        QVERIFY2(!avatar.image.isNull(), qPrintable(avatar.error));
        QCOMPARE(avatar.image.size(), QSize(48, 48)); // the 96 x 96 placeholder avatar, fit
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_MAIN(TestRemoteImages)
#include "tst_remoteimages.moc"
