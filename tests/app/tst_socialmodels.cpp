// The social pages' models (app/social/) on a real App against the real pinholed, with bob on
// the Mastodon API (tests/server/socialfixture.h): the feed and a post's thread pass
// QAbstractItemModelTester; a post from the composer shows in the feed at once and syncs; the
// composer's preview states "location removed" for a photo with GPS and nothing for one
// without, and the derivative sizes the server makes; others' new posts are counted, not
// inserted above what the user reads; a like made offline shows at once, survives a restart of
// the app and reaches the server later; a comment the server refuses (its post was deleted
// meanwhile) is reverted with a message; older posts load page by page; a hashtag's page lists
// everyone's posts with it, page by page, likes there at once, and opens a post's page read from
// the server. The slots run in order on one server and account.
#include "app.h"
#include "apptest.h"
#include "peopletest.h" // syncUntil
#include "social/hashtagmodel.h"
#include "socialfixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace pinhole;
using namespace pinhole::app;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

// An address nothing answers at: the app is offline until it is pointed at the server again.
const QString kNowhere = QStringLiteral("http://127.0.0.1:9");

bool addGpsAndCamera(const QString& path) {
    QProcess exiftool;
    exiftool.start("exiftool", {"-q", "-overwrite_original", "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
                                "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", "-Make=FUJIFILM", "-Model=X-T4", path});
    return exiftool.waitForFinished(30'000) && exiftool.exitCode() == 0;
}

} // namespace

class TestSocialModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    ServerProcess m_server;
    std::unique_ptr<SocialFixture> m_fx;
    std::unique_ptr<App> m_app;
    QString m_alice, m_bob; // tokens
    QString m_gpsSha, m_plainSha;
    QString m_postId; // alice's post from the composer, once the server has it

    std::unique_ptr<App> openApp() {
        auto app = std::make_unique<App>(m_dir.filePath("alice-profile"), QString());
        app->start();
        return app;
    }

    bool pointAppAt(const QString& url) {
        return test::onLibraryThread<bool>(
            m_app->session(), [u = url.toStdString()](sync::Engine& engine) { return engine.setServerUrl(u).isOk(); });
    }

    QString shaOf(const QString& path) {
        return test::onLibraryThread<QString>(m_app->session(), [p = path.toStdString()](sync::Engine& engine) {
            auto assets = engine.library().assets();
            if (assets)
                for (const auto& a : *assets)
                    for (const auto& f : a.files)
                        if (f == p)
                            return QString::fromStdString(a.sha256);
            return QString();
        });
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_socialmodels");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        m_fx = std::make_unique<SocialFixture>(m_server);
        m_alice = m_fx->user("alice");
        m_bob = m_fx->user("bob");
        QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty());

        const QString gps = m_dir.filePath("photos/gps.jpg"), plain = m_dir.filePath("photos/plain.jpg");
        QVERIFY(test::makePhoto(gps, QColor(200, 120, 40), "2024:05:01 10:00:00", 160, 120));
        QVERIFY(addGpsAndCamera(gps));
        QVERIFY(test::makePhoto(plain, QColor(40, 120, 200), "2024:05:02 10:00:00", 160, 120));

        m_app = openApp();
        QTRY_VERIFY(m_app->account()->ready());
        m_app->account()->signIn(m_server.baseUrl(), "alice", test::kSocialPassword);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->account()->signedIn(), 15'000);
        m_app->importer()->importPaths({gps, plain});
        QTRY_COMPARE_WITH_TIMEOUT(m_app->library()->count(), 2, 15'000);
        m_gpsSha = shaOf(gps);
        m_plainSha = shaOf(plain);
        QVERIFY(!m_gpsSha.isEmpty() && !m_plainSha.isEmpty());
    }

    void cleanupTestCase() {
        m_app.reset();
        QCOMPARE(m_server.stop(), 0);
    }

    void theComposerPreviewSaysLocationRemovedOnlyForAPhotoWithGps() {
        ComposerModel* composer = m_app->composer();
        QAbstractItemModelTester tester(composer, QAbstractItemModelTester::FailureReportingMode::QtTest);
        composer->start({m_gpsSha, m_plainSha});
        QCOMPARE(composer->rowCount(), 2);
        QTRY_VERIFY(composer->data(composer->index(0), ComposerModel::LoadedRole).toBool() &&
                    composer->data(composer->index(1), ComposerModel::LoadedRole).toBool());

        const QStringList gpsRemoved = composer->data(composer->index(0), ComposerModel::RemovedRole).toStringList();
        QCOMPARE(gpsRemoved, QStringList({"location removed", "camera data removed"}));
        const QString gpsPreview = composer->data(composer->index(0), ComposerModel::PreviewRole).toString();
        QVERIFY2(gpsPreview.contains("Location removed") && gpsPreview.contains("Not the original"),
                 qPrintable(gpsPreview));
        // 160 x 120: no derivative is larger than the original, the thumb is its short side square.
        QVERIFY2(gpsPreview.contains("thumb 120 × 120 · preview 160 × 120 · large 160 × 120"), qPrintable(gpsPreview));

        QVERIFY(composer->data(composer->index(1), ComposerModel::RemovedRole).toStringList().isEmpty());
        const QString plainPreview = composer->data(composer->index(1), ComposerModel::PreviewRole).toString();
        QVERIFY2(!plainPreview.contains("ocation") && !plainPreview.contains("amera"), qPrintable(plainPreview));
    }

    void theComposerStatesTheServersDerivativeSizes_data() {
        QTest::addColumn<QSize>("upright");
        QTest::addColumn<QString>("sizes");
        QTest::newRow("4:3 photo") << QSize(4000, 3000) << "thumb 360 × 360 · preview 1080 × 810 · large 2048 × 1536";
        QTest::newRow("portrait") << QSize(3000, 4000) << "thumb 360 × 360 · preview 1080 × 1440 · large 1536 × 2048";
        QTest::newRow("tall panorama") << QSize(1000, 10000)
                                       << "thumb 360 × 360 · preview 410 × 4096 · large 205 × 2048";
        QTest::newRow("small") << QSize(300, 200) << "thumb 200 × 200 · preview 300 × 200 · large 300 × 200";
    }
    void theComposerStatesTheServersDerivativeSizes() {
        QFETCH(QSize, upright);
        QFETCH(QString, sizes);
        QCOMPARE(ComposerModel::derivativeSizes(upright), sizes);
    }

    void theComposerReordersAndCompletesHashtags() {
        ComposerModel* composer = m_app->composer();
        QAbstractItemModelTester tester(composer, QAbstractItemModelTester::FailureReportingMode::QtTest);
        composer->start({m_gpsSha, m_plainSha});
        composer->move(0, 1);
        QCOMPARE(composer->sha256At(0), m_plainSha);
        QCOMPARE(composer->sha256At(1), m_gpsSha);
        composer->move(1, 0);
        QCOMPARE(composer->sha256At(0), m_gpsSha);

        // The library's tags are hashtags to complete.
        m_app->library()->selectAll();
        m_app->library()->tagSelection("seaside");
        QTRY_VERIFY(test::onLibraryThread<bool>(m_app->session(), [](sync::Engine& e) {
            auto tags = e.library().tagCounts();
            return tags && !tags->empty();
        }));
        composer->start({m_gpsSha});
        composer->setCaption("At the #sea");
        QTRY_VERIFY([&] {
            composer->updateCompletion(int(composer->caption().size()));
            return composer->completionKind() == "#" && composer->suggestions()->rowCount() == 1;
        }());
        QCOMPARE(composer->suggestions()->labelAt(0), QString("seaside"));
        QCOMPARE(composer->complete("seaside", int(composer->caption().size())),
                 int(QString("At the #seaside ").size()));
        QCOMPARE(composer->caption(), QString("At the #seaside "));
        QCOMPARE(composer->completionKind(), QString());
    }

    void aPostFromTheComposerShowsInTheFeedAtOnceThenSyncs() {
        FeedModel* feed = m_app->feed();
        QAbstractItemModelTester tester(feed, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(!feed->loading());
        ComposerModel* composer = m_app->composer();
        composer->start({m_gpsSha, m_plainSha});
        composer->setCaption("Low tide #beach");
        composer->setVisibility("public");
        // Offline while it is pending: a round on an idle machine could send it before the feed
        // ever read it as pending.
        QVERIFY(pointAppAt(kNowhere));
        QSignalSpy posted(composer, &ComposerModel::posted);
        QVERIFY(composer->post());
        QCOMPARE(posted.count(), 1);
        QCOMPARE(composer->rowCount(), 0); // emptied for the next post

        // Pending: the user's own photos from the local library.
        QTRY_COMPARE(feed->rowCount(), 1);
        QVariantMap row = feed->get(0);
        QVERIFY(row["pending"].toBool());
        QVERIFY(row["isMine"].toBool());
        QCOMPARE(row["media"].toList().size(), 2);
        QCOMPARE(row["media"].toList().first().toString(), "image://preview/" + m_gpsSha);
        QCOMPARE(row["caption"].toString(), QString("Low tide <a href=\"hashtag:beach\">#beach</a>"));

        // Sent: the server's post, its photos as the server's derivatives.
        QVERIFY(pointAppAt(m_server.baseUrl()));
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(feed->rowCount() == 1 && !feed->get(0)["pending"].toBool(), 60'000);
        row = feed->get(0);
        m_postId = row["postId"].toString();
        QVERIFY(m_postId.toLongLong() > 0);
        QCOMPARE(row["media"].toList().size(), 2);
        QCOMPARE(feed->newPosts(), 0); // the user's own post is not "new"
        const auto status = m_fx->get(m_alice, "/api/v1/statuses/" + m_postId).json();
        QCOMPARE(status["visibility"].toString(), QString("public"));
        QCOMPARE(status["media_attachments"].toArray().size(), 2);
    }

    void theThreadListsCommentsOldestFirstAndTheUsersPendingOneLast() {
        QVERIFY(!m_postId.isEmpty());
        QVERIFY(m_fx->post(m_bob, "First!", {}, "public", m_postId).status == 200);
        QVERIFY(m_fx->post(m_bob, "Lovely #beach", {}, "public", m_postId).status == 200);
        ThreadModel* thread = m_app->social()->openThread(m_postId);
        QAbstractItemModelTester tester(thread, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(thread->rowCount() == 2, 30'000);
        QCOMPARE(thread->get(0)["text"].toString(), QString("First!"));
        QCOMPARE(thread->get(1)["authorHandle"].toString(), QString("@bob"));
        QVERIFY(!thread->get(1)["isMine"].toBool());
        QTRY_COMPARE(thread->post()["comments"].toInt(), 2);

        QVERIFY(!m_app->social()->comment(m_postId, "   ")); // nothing to send
        QVERIFY(m_app->social()->comment(m_postId, "Thanks!"));
        QTRY_COMPARE(thread->rowCount(), 3);
        QCOMPARE(thread->get(2)["text"].toString(), QString("Thanks!"));
        QVERIFY(thread->get(2)["isMine"].toBool());
        QTRY_VERIFY_WITH_TIMEOUT(thread->rowCount() == 3 && !thread->get(2)["pending"].toBool(), 30'000);
        delete thread;
    }

    void aLikeMadeOfflineShowsAtOnceSurvivesARestartAndSyncsLater() {
        QVERIFY(!m_postId.isEmpty());
        QVERIFY(pointAppAt(kNowhere));
        FeedModel* feed = m_app->feed();
        const int row = feed->rowOf(m_postId);
        QVERIFY(row >= 0);
        QVERIFY(!feed->get(row)["likedByMe"].toBool());
        const qint64 likes = feed->get(row)["likes"].toLongLong();

        m_app->social()->toggleLike(m_postId);
        // At once: no event loop has run since.
        QVERIFY(feed->get(row)["likedByMe"].toBool());
        QCOMPARE(feed->get(row)["likes"].toLongLong(), likes + 1);

        // Queued before the app closes; it is offline all along.
        QTRY_VERIFY_WITH_TIMEOUT(m_app->status()->pendingOperations() >= 1, 15'000);
        m_app.reset();
        m_app = openApp();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->feed()->rowOf(m_postId) >= 0, 15'000);
        QVariantMap shown = m_app->feed()->get(m_app->feed()->rowOf(m_postId));
        QVERIFY(shown["likedByMe"].toBool());
        QVERIFY(shown["pendingLike"].toBool());
        QCOMPARE(shown["likes"].toLongLong(), likes + 1);

        QVERIFY(pointAppAt(m_server.baseUrl()));
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_fx->get(m_alice, "/api/v1/statuses/" + m_postId).json()["favourites_count"].toInt() == 1, 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->feed()->get(m_app->feed()->rowOf(m_postId))["pendingLike"].toBool(), 30'000);
        QVERIFY(m_app->feed()->get(m_app->feed()->rowOf(m_postId))["likedByMe"].toBool());
    }

    void othersNewPostsAreCountedNotInsertedAboveWhatTheUserReads() {
        FeedModel* feed = m_app->feed();
        QAbstractItemModelTester tester(feed, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString bobId = m_fx->idOf(m_bob);
        QCOMPARE(m_fx->postTo(m_alice, "/api/v1/accounts/" + bobId + "/follow").status, 200);
        const QString bobsPost = m_fx->photoPost(m_bob, "From the boat #sea");
        QVERIFY(!bobsPost.isEmpty());
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(feed->newPosts() == 1, 30'000);
        QCOMPARE(feed->get(0)["postId"].toString(), m_postId); // the top did not move
        QCOMPARE(feed->rowOf(bobsPost), -1);

        QSignalSpy reloaded(feed, &FeedModel::reloaded);
        feed->reload(); // the pill
        QVERIFY(reloaded.wait(15'000));
        QCOMPARE(feed->get(0)["postId"].toString(), bobsPost);
        QCOMPARE(feed->newPosts(), 0);

        // A hashtag's posts only.
        feed->setHashtag("#sea");
        QVERIFY(reloaded.wait(15'000));
        QCOMPARE(feed->rowCount(), 1);
        QCOMPARE(feed->get(0)["postId"].toString(), bobsPost);
        feed->setHashtag("");
        QVERIFY(reloaded.wait(15'000));
        QCOMPARE(feed->rowCount(), 2);
    }

    void aCommentTheServerRefusesIsRevertedWithAMessage() {
        QVERIFY(!m_postId.isEmpty());
        QVERIFY(pointAppAt(kNowhere));
        std::unique_ptr<ThreadModel> thread(m_app->social()->openThread(m_postId));
        QTRY_VERIFY(!thread->post().isEmpty());
        const int before = thread->rowCount();
        QVERIFY(m_app->social()->comment(m_postId, "Where is this?"));
        QTRY_COMPARE(thread->rowCount(), before + 1);
        QVERIFY(thread->get(before)["pending"].toBool());

        // Meanwhile the post is deleted on the server; the app, back online, learns it.
        QCOMPARE(deleteOnServer(m_postId), 200);
        QSignalSpy refused(m_app->social(), &SocialController::refused);
        QVERIFY(pointAppAt(m_server.baseUrl()));
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(refused.count() >= 1, 30'000);
        const QString message = refused.last().at(0).toString();
        QVERIFY2(message.contains("Where is this?") && message.contains("not posted"), qPrintable(message));
        QCOMPARE(m_app->lastError(), message); // the window shows it
        QCOMPARE(m_app->social()->lastRefusal(), message);
        // The deletion reaches the stream a moment after the refusal may have (counters first):
        // rounds until the mirror has it, not one round.
        QVERIFY(test::syncUntil(*m_app, [&] { return thread->gone(); }));
        QCOMPARE(thread->rowCount(), 0);
        QTRY_COMPARE(m_app->feed()->rowOf(m_postId), -1);
    }

    void theFeedLoadsOlderPostsAsTheViewScrolls() {
        // No QAbstractItemModelTester here (the other slots have one): it calls fetchMore itself.
        FeedModel* feed = m_app->feed();
        // Bob (followed) posts more than a page.
        for (int i = 0; i < FeedModel::kPageSize + 2; ++i)
            QVERIFY(!m_fx->photoPost(m_bob, QString("Day %1").arg(i)).isEmpty());
        m_app->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(feed->newPosts() == FeedModel::kPageSize + 2, 60'000);
        QSignalSpy reloaded(feed, &FeedModel::reloaded);
        feed->reload();
        QVERIFY(reloaded.wait(15'000));
        QCOMPARE(feed->rowCount(), FeedModel::kPageSize);
        QCOMPARE(feed->get(0)["text"].toString(), QString("Day %1").arg(FeedModel::kPageSize + 1));
        QVERIFY(feed->canFetchMore({}));

        // Bob's first post (before this test) and two more of today's: the end.
        feed->fetchMore({});
        QTRY_COMPARE(feed->rowCount(), FeedModel::kPageSize + 3);
        QCOMPARE(feed->get(feed->rowCount() - 1)["text"].toString(), QString("From the boat #sea"));
        QVERIFY(!feed->canFetchMore({}));
    }

    // A hashtag's page lists everyone's posts with it that the server shows alice, not only her
    // feed's: cal, whom she does not follow, posts two public ones and a followers-only one.
    // Read a post at a time, it pages to the end without repeating one; offline it says why.
    void aHashtagPageListsEveryonesPostsWithItPageByPage() {
        const QString cal = m_fx->user("cal");
        QVERIFY(!cal.isEmpty());
        const QString sand = m_fx->photoPost(cal, "Sand #dune");
        const QString ridge = m_fx->photoPost(cal, "Ridge #dune");
        QVERIFY(!sand.isEmpty() && !ridge.isEmpty());
        QVERIFY(!m_fx->photoPost(cal, "Friends only #dune", "private").isEmpty());
        QVERIFY(!m_fx->photoPost(cal, "Elsewhere #sea").isEmpty());

        // No QAbstractItemModelTester on this one: it calls fetchMore itself (the one below has).
        HashtagModel tag(&m_app->session(), "dune", 1);
        QTRY_VERIFY_WITH_TIMEOUT(!tag.loading(), 15'000);
        QCOMPARE(tag.rowCount(), 1);
        QVERIFY(tag.error().isEmpty());
        QCOMPARE(tag.get(0)["postId"].toString(), ridge); // newest first
        QCOMPARE(tag.get(0)["isMine"].toBool(), false);
        for (int i = 0; i < 5 && tag.canFetchMore({}); ++i) {
            tag.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!tag.loading(), 15'000);
        }
        QVERIFY(!tag.canFetchMore({}));
        QCOMPARE(tag.rowCount(), 2);
        QCOMPARE(tag.get(1)["postId"].toString(), sand);
        QCOMPARE(tag.get(1)["text"].toString(), QString("Sand #dune"));

        QVERIFY(pointAppAt(kNowhere));
        tag.reload();
        QTRY_VERIFY_WITH_TIMEOUT(!tag.loading(), 15'000);
        QVERIFY(!tag.error().isEmpty());
        QVERIFY(pointAppAt(m_server.baseUrl()));
        // As the page opens it: a like there shows at once and reaches the server.
        std::unique_ptr<HashtagModel> all(m_app->social()->openHashtag("dune"));
        QAbstractItemModelTester tester(all.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(!all->loading(), 15'000);
        QVERIFY(all->error().isEmpty());
        QCOMPARE(all->rowCount(), 2);
        QVERIFY(!all->canFetchMore({}));
        m_app->social()->toggleLike(sand);
        QCOMPARE(all->get(1)["likedByMe"].toBool(), true);
        QCOMPARE(all->get(1)["likes"].toInt(), 1);
        QVERIFY(test::syncUntil(*m_app, [&] {
            return test::HttpClient(m_server.baseUrl(), m_alice).get("/api/v1/statuses/" + sand).json()["favourited"].toBool();
        }));

        // Its page, opened from there, reads the post and its comments from the server (alice's
        // device stores the post she liked, but not its comments).
        QCOMPARE(test::HttpClient(m_server.baseUrl(), m_bob)
                     .postJson("/api/v1/statuses", {{"status", "Lovely"}, {"in_reply_to_id", sand}})
                     .status,
                 200);
        std::unique_ptr<ThreadModel> fromServer(m_app->social()->openThread(sand, true));
        QTRY_VERIFY_WITH_TIMEOUT(!fromServer->post().isEmpty(), 15'000);
        QCOMPARE(fromServer->post()["text"].toString(), QString("Sand #dune"));
        QCOMPARE(fromServer->post()["likedByMe"].toBool(), true);
        QTRY_COMPARE(fromServer->rowCount(), 1);
        QCOMPARE(fromServer->get(0)["text"].toString(), QString("Lovely"));
        QVERIFY(pointAppAt(kNowhere));
        std::unique_ptr<ThreadModel> offline(m_app->social()->openThread(ridge, true));
        QTRY_VERIFY_WITH_TIMEOUT(!offline->error().isEmpty(), 15'000);
        QVERIFY(!offline->gone());
        QVERIFY(pointAppAt(m_server.baseUrl()));
    }

private:
    int deleteOnServer(const QString& postId) {
        return test::HttpClient(m_server.baseUrl(), m_alice).send("DELETE", "/api/v1/statuses/" + postId).status;
    }
};

QTEST_MAIN(TestSocialModels)
#include "tst_socialmodels.moc"
