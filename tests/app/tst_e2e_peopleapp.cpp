// The people pages end to end: the real pinholed, two accounts. Ann uses the app in-process
// (App + the real QML window); Bea uses a second app profile (the sync library through the same
// models). Ann sees Bea's follow on the notifications page (the badge goes to zero once shown),
// locks her account, approves Bea's follow request with the page's Approve button (the server
// then lists Bea as her follower), and picks a library photo as her avatar, which the server
// serves; the search page finds Bea and Ann's tagged photo, and a hashtag's hit opens the page of
// everyone's posts with it, from which a post's page opens, read from the server. Saves build/screenshots/ notifications.png, edit-profile.png,
// profile.png, search.png and hashtag.png.
#include "images/remoteimage.h"
#include "images/providers.h"
#include "people/profilemodel.h"
#include "social/hashtagmodel.h"
#include "social/threadmodel.h"
#include "socialfixture.h"
#include "peopletest.h"

#include "httpclient.h"
#include "serverprocess.h"

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
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");

// The first visible item under `root` with this objectName (depth first), or null.
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

// A real mouse click in the middle of `item`.
void click(QQuickWindow* window, QQuickItem* item) {
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
}

bool saveScreenshot(QQuickWindow* window, const QString& name) {
    const QImage shot = window->grabWindow();
    const QString dir = QStringLiteral(PINHOLE_SCREENSHOT_DIR);
    if (shot.isNull() || !QDir().mkpath(dir) || !shot.save(dir + "/" + name))
        return false;
    qInfo().noquote() << "screenshot:" << dir + "/" + name;
    return true;
}
} // namespace

class TestE2ePeopleApp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    ServerProcess m_server;
    std::unique_ptr<app::App> m_ann, m_bea;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    QString m_annId, m_beaId;

    QQuickItem* root() { return m_window->contentItem(); }
    QObject* stack() { return m_window->findChild<QObject*>("mainStack"); }
    // Ann as Bea's app first sees her (a search hit: not in Bea's mirror yet).
    app::Person annAsSearchHit() const {
        app::Person ann;
        ann.id = m_annId;
        ann.username = ann.displayName = "ann";
        return ann;
    }
    // The page on top of the stack once its transition has finished ("" while it runs).
    QString currentPage() {
        if (stack()->property("busy").toBool())
            return {};
        auto* item = stack()->property("currentItem").value<QQuickItem*>();
        return item ? item->objectName() : QString();
    }
    bool popToRoot() {
        // Main.qml's show(view) pops the stack to the tabs.
        QMetaObject::invokeMethod(m_window, "show", Q_ARG(QVariant, QVariant(QStringLiteral("library"))));
        return QTest::qWaitFor([this] { return stack()->property("depth").toInt() == 1 && !stack()->property("busy").toBool(); });
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_e2e_peopleapp");
        QStandardPaths::setTestModeEnabled(true);
        QQuickStyle::setStyle("Material");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("ann", kPassword));
        QVERIFY(m_server.createUser("bea", kPassword));

        // Ann's library has a photo (her avatar later), uploaded by the app.
        const QString photo = m_dir.path() + "/photos/portrait.jpg";
        QVERIFY(test::makePhoto(photo, QColor(200, 90, 40), "2024:05:01 10:00:00", 640, 480));
        m_ann = test::signedInApp(m_dir.path() + "/ann", m_server.baseUrl(), "ann", kPassword);
        QVERIFY(m_ann);
        m_ann->importer()->importPaths({photo});
        QTRY_COMPARE(m_ann->library()->count(), 1);
        QVERIFY(test::syncUntil(*m_ann, [this] { return m_ann->status()->uploadsDone() == 1; }));
        m_bea = test::signedInApp(m_dir.path() + "/bea", m_server.baseUrl(), "bea", kPassword);
        QVERIFY(m_bea);
        QVERIFY(test::syncUntil(*m_bea, [this] { return m_bea->status()->syncedOnce(); }));

        HttpClient http(m_server.baseUrl());
        m_annId = http.get("/api/v1/accounts/lookup?acct=ann").json()["id"].toString();
        m_beaId = http.get("/api/v1/accounts/lookup?acct=bea").json()["id"].toString();
        QVERIFY(!m_annId.isEmpty() && !m_beaId.isEmpty());

        app::App::setInstance(m_ann.get());
        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_engine->addImportPath("qrc:/qt/qml");
        app::registerImageProviders(*m_engine, m_ann->session(), m_dir.path() + "/thumbs");
        app::App::setThumbnailProviderAvailable(true);
        m_engine->load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }
    void cleanupTestCase() {
        m_engine.reset();
        m_ann.reset();
        m_bea.reset();
        QCOMPARE(m_server.stop(), 0);
    }

    void annSeesBeasFollowOnTheNotificationsPage() {
        app::ProfileModel annSeenByBea(&m_bea->session(), m_annId, annAsSearchHit());
        QTRY_VERIFY(annSeenByBea.found());
        annSeenByBea.follow();
        QVERIFY(test::syncUntil(*m_bea, [&] {
            return !annSeenByBea.pending() && annSeenByBea.relation() == app::ProfileModel::Relation::Following;
        }));

        QVERIFY(test::syncUntil(*m_ann, [this] { return m_ann->notifications()->unreadCount() == 1; }));
        QTRY_VERIFY(findVisible(root(), "unreadBadge"));
        click(m_window, findVisible(root(), "notificationsButton"));
        QTRY_COMPARE(currentPage(), QString("notificationsPage"));
        QTRY_COMPARE(m_ann->notifications()->unreadCount(), 0); // shown = read
        QTRY_VERIFY(!findVisible(root(), "unreadBadge"));
        QCOMPARE(m_ann->notifications()->data(m_ann->notifications()->index(0), app::NotificationsModel::TextRole).toString(),
                 QString("bea followed you"));

        // Bea unfollows again, for the request below.
        annSeenByBea.unfollow();
        QVERIFY(test::syncUntil(*m_bea, [&] {
            return !annSeenByBea.pending() && annSeenByBea.relation() == app::ProfileModel::Relation::NotFollowing;
        }));
        QVERIFY(popToRoot());
    }

    void aFollowRequestIsApprovedFromTheNotificationsPage() {
        app::ProfileModel mine(&m_ann->session(), {});
        QTRY_VERIFY(mine.found());
        QSignalSpy saved(&mine, &app::ProfileModel::saved);
        mine.saveProfile("Ann A.", "Photos of the coast.", true, {});
        QVERIFY(saved.wait(15'000));
        QVERIFY(mine.locked());

        // Bea's app does not know of the lock (she follows Ann no more): the server answers her
        // follow with a request.
        app::ProfileModel annSeenByBea(&m_bea->session(), m_annId, annAsSearchHit());
        QTRY_VERIFY(annSeenByBea.found());
        annSeenByBea.follow();
        QVERIFY(test::syncUntil(*m_bea, [&] {
            return !annSeenByBea.pending() && annSeenByBea.relation() == app::ProfileModel::Relation::Requested;
        }));

        click(m_window, findVisible(root(), "notificationsButton"));
        QTRY_COMPARE(currentPage(), QString("notificationsPage"));
        QVERIFY(test::syncUntil(*m_ann, [this] { return findVisible(root(), "approveButton") != nullptr; }));
        QVERIFY(saveScreenshot(m_window, "notifications.png"));
        click(m_window, findVisible(root(), "approveButton"));
        QTRY_VERIFY(!findVisible(root(), "approveButton")); // answered at once (pending)
        QVERIFY(test::syncUntil(*m_ann, [this] { return m_ann->status()->pendingOperations() == 0; }));

        HttpClient http(m_server.baseUrl(), HttpClient(m_server.baseUrl()).login("ann", kPassword));
        QVERIFY(test::syncUntil(*m_ann, [&] {
            const auto followers = http.get("/api/v1/accounts/" + m_annId + "/followers").jsonArray();
            return followers.size() == 1 && followers.first().toObject()["username"].toString() == "bea";
        }));
        QVERIFY(popToRoot());
    }

    void annPicksALibraryPhotoAsHerAvatarAndTheServerServesIt() {
        click(m_window, findVisible(root(), "profileButton"));
        QTRY_COMPARE(currentPage(), QString("profilePage"));
        auto* page = stack()->property("currentItem").value<QQuickItem*>();
        auto* profile = page->property("profile").value<app::ProfileModel*>();
        QVERIFY(profile);
        QTRY_VERIFY(profile->found());
        QTRY_VERIFY(findVisible(root(), "followButton")); // "Edit profile" on one's own
        click(m_window, findVisible(root(), "followButton"));
        QTRY_COMPARE(currentPage(), QString("editProfilePage"));
        auto* edit = stack()->property("currentItem").value<QQuickItem*>();
        // Choose the library's photo: the first cell of the avatar grid.
        auto* choices = findVisible(root(), "avatarChoices");
        QVERIFY(choices);
        QTRY_VERIFY(choices->property("count").toInt() == 1);
        auto* cell = choices->property("contentItem").value<QQuickItem*>()->childItems().value(0);
        QVERIFY(cell);
        click(m_window, cell);
        QTRY_COMPARE(edit->property("avatarSha256").toString(), m_ann->library()->sha256At(0));
        QVERIFY(saveScreenshot(m_window, "edit-profile.png"));
        click(m_window, findVisible(root(), "saveProfileButton"));
        QTRY_VERIFY_WITH_TIMEOUT(currentPage() == "profilePage", 30'000); // saved, back
        QVERIFY2(profile->message().isEmpty(), qPrintable(profile->message()));
        // The server's answer shows at once; the mirror has it after the next pull.
        // The page's picture is the server's avatar URL behind image://remote (token, pinned key).
        const auto avatarOnServer = [&] {
            return QUrl(pinhole::app::remoteUrlOf(profile->avatar().toString().mid(QString("image://remote/").size())));
        };
        QVERIFY(test::syncUntil(*m_ann, [&] { return avatarOnServer().path().startsWith("/avatars/"); }));
        const QUrl avatar = avatarOnServer();

        const auto served = HttpClient(m_server.baseUrl()).get(avatar.path());
        QCOMPARE(served.status, 200);
        QCOMPARE(served.header("content-type"), QByteArray("image/jpeg"));
        QCOMPARE(QImage::fromData(served.body).size(), QSize(400, 400));

        // The avatar shows in the page; the counts come with the next pull.
        QVERIFY(test::syncUntil(*m_ann, [&] { return profile->followers() == 1; }));
        auto* avatarItem = findVisible(root(), "profileAvatar");
        QVERIFY(avatarItem);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (auto* child : avatarItem->childItems())
                    if (child->inherits("QQuickImage") && child->property("status").toInt() == 1)
                        return true;
                return false;
            }(),
            15'000);
        QVERIFY(saveScreenshot(m_window, "profile.png"));
    }

    // The search page: people on the server as Ann types, and her own photos by tag, offline.
    void theSearchPageFindsPeopleAndTaggedPhotos() {
        QVERIFY(popToRoot());
        m_ann->library()->selectAll();
        m_ann->library()->tagSelection("coast");
        click(m_window, findVisible(root(), "searchButton"));
        QTRY_COMPARE(currentPage(), QString("searchPage"));
        auto* field = findVisible(root(), "searchField");
        QVERIFY(field);
        field->setProperty("text", "bea");
        auto* people = findVisible(root(), "peopleResults");
        QVERIFY(people);
        QTRY_VERIFY_WITH_TIMEOUT(people->property("count").toInt() == 1, 15'000);
        field->setProperty("text", "coast");
        QTRY_VERIFY(findVisible(root(), "photoSearchGrid"));
        auto* page = stack()->property("currentItem").value<QQuickItem*>();
        auto* photos = page->property("photos").value<app::LibraryModel*>();
        QVERIFY(photos);
        QTRY_COMPARE(photos->count(), 1);
        QCOMPARE(photos->sha256At(0), m_ann->library()->sha256At(0));
        auto* search = page->property("people").value<app::PeopleSearchModel*>();
        QVERIFY(search);
        QTRY_VERIFY_WITH_TIMEOUT(!search->loading() && search->count() == 0, 15'000); // nobody is "coast"
        QVERIFY(saveScreenshot(m_window, "search.png"));
    }

    // A hashtag found in search opens its page: everyone's posts with it, from the server (Cyd,
    // whom Ann does not follow, posted this one).
    void aHashtagFoundInSearchOpensItsPage() {
        pinhole::test::SocialFixture fx(m_server);
        const QString cyd = fx.user("cyd");
        QVERIFY(!cyd.isEmpty());
        const QString post = fx.photoPost(cyd, "Boats in the #harbour");
        QVERIFY(!post.isEmpty());
        QVERIFY(popToRoot());
        click(m_window, findVisible(root(), "searchButton"));
        QTRY_COMPARE(currentPage(), QString("searchPage"));
        auto* field = findVisible(root(), "searchField");
        QVERIFY(field);
        field->setProperty("text", "harb");
        auto* people = findVisible(root(), "peopleResults");
        QVERIFY(people);
        QTRY_VERIFY_WITH_TIMEOUT(people->property("count").toInt() == 1, 15'000);
        QQuickItem* hit = nullptr;
        QTRY_VERIFY(QMetaObject::invokeMethod(people, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, hit), Q_ARG(int, 0)) &&
                    hit);
        QCOMPARE(hit->property("kind").toString(), QString("hashtag"));
        click(m_window, hit);
        QTRY_COMPARE(currentPage(), QString("hashtagPage"));
        auto* page = stack()->property("currentItem").value<QQuickItem*>();
        auto* posts = page->property("posts").value<app::HashtagModel*>();
        QVERIFY(posts);
        QCOMPARE(posts->hashtag(), QString("harbour"));
        QTRY_VERIFY_WITH_TIMEOUT(!posts->loading() && posts->rowCount() == 1, 15'000);
        QCOMPARE(posts->get(0)["postId"].toString(), post);
        QTRY_VERIFY(findVisible(root(), "hashtagList") &&
                    findVisible(root(), "hashtagList")->property("count").toInt() == 1);
        QVERIFY(saveScreenshot(m_window, "hashtag.png"));

        // The post's page, from there: read from the server, as Ann's device does not store it.
        QQuickItem* comments = nullptr;
        QTRY_VERIFY((comments = findVisible(findVisible(root(), "hashtagList"), "commentsButton")) != nullptr);
        click(m_window, comments);
        QTRY_COMPARE(currentPage(), QString("postPage"));
        auto* postPage = stack()->property("currentItem").value<QQuickItem*>();
        auto* thread = postPage->property("thread").value<app::ThreadModel*>();
        QVERIFY(thread);
        QTRY_VERIFY_WITH_TIMEOUT(thread->post().value("postId").toString() == post, 15'000);
        QVERIFY(!thread->gone());
        QVERIFY(thread->error().isEmpty());
    }
};

QTEST_MAIN(TestE2ePeopleApp)
#include "tst_e2e_peopleapp.moc"
