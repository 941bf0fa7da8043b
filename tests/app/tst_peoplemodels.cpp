// The people models against the real pinholed, each under QAbstractItemModelTester: a profile
// with its relationship and posts, the follower and following lists, notifications (unread until
// marked read), people and hashtag search online; a refused follow reverted with the server's
// reason; and the library searched by tag offline.
#include "library/librarymodel.h"
#include "people/accountlistmodel.h"
#include "people/notificationsmodel.h"
#include "people/peoplesearchmodel.h"
#include "people/profilemodel.h"
#include "peopletest.h"

#include "httpclient.h"
#include "serverprocess.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>

using namespace pinhole;
using namespace pinhole::app;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");
}

class TestPeopleModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    ServerProcess m_server;
    std::unique_ptr<App> m_amy; // the user of the app
    QHash<QString, QString> m_tokens, m_ids;

    HttpClient as(const QString& user) { return HttpClient(m_server.baseUrl(), m_tokens.value(user)); }

    bool user(const QString& name) {
        if (!m_server.createUser(name, kPassword))
            return false;
        HttpClient http(m_server.baseUrl());
        m_tokens[name] = http.login(name, kPassword);
        m_ids[name] = as(name).get("/api/v1/accounts/verify_credentials").json()["id"].toString();
        return !m_ids[name].isEmpty();
    }

    template <typename M> static bool loaded(M& model) {
        return QTest::qWaitFor([&model] { return !model.loading(); }, 10'000);
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_peoplemodels");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        for (const char* name : {"amy", "ben", "cat"})
            QVERIFY(user(name));
        m_amy = test::signedInApp(m_dir.path() + "/amy", m_server.baseUrl(), "amy", kPassword);
        QVERIFY(m_amy);
        // A first round: the snapshot (notifications come only with the stream afterwards).
        QVERIFY(test::syncUntil(*m_amy, [this] { return m_amy->status()->syncedOnce(); }));
    }
    void cleanupTestCase() {
        m_amy.reset();
        QCOMPARE(m_server.stop(), 0);
    }

    void aProfileShowsItsRelationshipAndPosts() {
        // Ben posts a photo; Amy follows him (through the model: optimistic, then synced).
        HttpClient ben = as("ben");
        QByteArray photo;
        {
            const QString path = m_dir.path() + "/ben.jpg";
            QVERIFY(test::makePhoto(path, Qt::darkGreen, {}, 120, 90));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            photo = f.readAll();
        }
        const QByteArray b = "peopleboundary";
        const auto media = ben.send("POST", "/api/v1/media",
                                    "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.jpg\"\r\n\r\n" +
                                        photo + "\r\n--" + b + "--\r\n",
                                    "multipart/form-data; boundary=" + b);
        QCOMPARE(media.status, 200);
        QCOMPARE(ben.postJson("/api/v1/statuses", {{"status", "Hills #walk"},
                                                   {"media_ids", QJsonArray{media.json()["id"].toString()}}})
                     .status,
                 200);

        // Ben is not in Amy's mirror yet: the profile opens from what a search hit says of him.
        Person seed;
        seed.id = m_ids["ben"];
        seed.username = seed.displayName = "ben";
        ProfileModel profile(&m_amy->session(), m_ids["ben"], seed);
        QAbstractItemModelTester tester(&profile, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loaded(profile));
        QVERIFY(profile.found());
        QCOMPARE(profile.relation(), ProfileModel::Relation::NotFollowing);
        profile.follow();
        QTRY_COMPARE(profile.relation(), ProfileModel::Relation::Following); // at once
        QVERIFY(test::syncUntil(*m_amy, [&] { return !profile.pending() && profile.rowCount() == 1; }));
        QCOMPARE(profile.relation(), ProfileModel::Relation::Following);
        QCOMPARE(profile.username(), QString("ben"));
        QVERIFY(!profile.isMe());
        QCOMPARE(profile.data(profile.index(0), ProfileModel::CaptionRole).toString(), QString("Hills #walk"));
        QVERIFY(profile.data(profile.index(0), ProfileModel::ThumbnailRole).toUrl().isValid());
        QCOMPARE(as("ben").get("/api/v1/accounts/" + m_ids["ben"]).json()["followers_count"].toInt(), 1);

        ProfileModel mine(&m_amy->session(), {});
        QAbstractItemModelTester mineTester(&mine, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(mine.found());
        QVERIFY(mine.isMe());
        QCOMPARE(mine.relation(), ProfileModel::Relation::Self);
        QCOMPARE(mine.accountId(), m_ids["amy"]);
    }

    void followerAndFollowingListsShowTheAccounts() {
        QCOMPARE(as("cat").send("POST", "/api/v1/accounts/" + m_ids["amy"] + "/follow").status, 200);
        AccountListModel followers(&m_amy->session(), AccountListModel::Kind::Followers);
        AccountListModel following(&m_amy->session(), AccountListModel::Kind::Following);
        QAbstractItemModelTester t1(&followers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&following, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(test::syncUntil(*m_amy, [&] { return followers.count() == 1 && following.count() == 1; }));
        QCOMPARE(followers.data(followers.index(0), AccountListModel::UsernameRole).toString(), QString("cat"));
        QCOMPARE(following.data(following.index(0), AccountListModel::UsernameRole).toString(), QString("ben"));
        QVERIFY(followers.data(followers.index(0), AccountListModel::AvatarRole).toUrl().isValid());
    }

    void notificationsAreUnreadUntilMarkedRead() {
        NotificationsModel* notifications = m_amy->notifications();
        QAbstractItemModelTester tester(notifications, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Cat's follow (previous test) arrives with the stream.
        QVERIFY(test::syncUntil(*m_amy, [&] { return notifications->unreadCount() >= 1; }));
        const int row = [&] {
            for (int i = 0; i < notifications->count(); ++i)
                if (notifications->data(notifications->index(i), NotificationsModel::UsernameRole).toString() == "cat")
                    return i;
            return -1;
        }();
        QVERIFY(row >= 0);
        const QModelIndex i = notifications->index(row);
        QCOMPARE(notifications->data(i, NotificationsModel::TypeRole).toString(), QString("follow"));
        QCOMPARE(notifications->data(i, NotificationsModel::TextRole).toString(), QString("cat followed you"));
        QVERIFY(notifications->data(i, NotificationsModel::UnreadRole).toBool());
        QVERIFY(!notifications->data(i, NotificationsModel::ActionableRole).toBool());
        notifications->markAllRead();
        QTRY_COMPARE(notifications->unreadCount(), 0);
        QVERIFY(!notifications->data(notifications->index(row), NotificationsModel::UnreadRole).toBool());
    }

    void peopleAndHashtagsAreFoundOnline() {
        PeopleSearchModel search(&m_amy->session());
        QAbstractItemModelTester tester(&search, QAbstractItemModelTester::FailureReportingMode::QtTest);
        search.setQuery("be");
        search.setQuery("ben"); // debounced: only the last query is searched
        QTRY_VERIFY_WITH_TIMEOUT(!search.loading(), 15'000);
        QCOMPARE(search.count(), 1);
        QCOMPARE(search.data(search.index(0), PeopleSearchModel::KindRole).toString(), QString("account"));
        QCOMPARE(search.data(search.index(0), PeopleSearchModel::UsernameRole).toString(), QString("ben"));
        search.setQuery("wal");
        QTRY_VERIFY_WITH_TIMEOUT(!search.loading() && search.count() == 1, 15'000);
        QCOMPARE(search.data(search.index(0), PeopleSearchModel::KindRole).toString(), QString("hashtag"));
        QCOMPARE(search.data(search.index(0), PeopleSearchModel::HashtagRole).toString(), QString("walk"));
        search.setQuery("");
        QCOMPARE(search.count(), 0);
        QVERIFY(!search.loading());
    }

    void librarySearchByTagFindsThePhotoOffline() {
        // A library of its own, never signed in: the search is local.
        Session session;
        QVERIFY(test::openSession(session, m_dir.path() + "/offline.db"));
        const QString folder = m_dir.path() + "/trip";
        QVERIFY(test::makePhoto(folder + "/sea.jpg", Qt::blue, "2024:06:01 10:00:00"));
        QVERIFY(test::makePhoto(folder + "/hill.jpg", Qt::green, "2024:06:02 10:00:00"));
        const QString sea = test::onLibraryThread<QString>(session, [folder](sync::Engine& engine) {
            if (!engine.library().importPath(folder.toStdString()))
                return QString();
            auto assets = engine.library().assets();
            if (!assets)
                return QString();
            for (const auto& a : *assets)
                for (const auto& f : a.files)
                    if (f.ends_with("sea.jpg") && engine.library().addTag(a.sha256, "Sunset").isOk())
                        return QString::fromStdString(a.sha256);
            return QString();
        });
        QVERIFY(!sea.isEmpty());
        LibraryModel photos(&session);
        QAbstractItemModelTester tester(&photos, QAbstractItemModelTester::FailureReportingMode::QtTest);
        photos.setAnnotationSearch("sunset");
        QTRY_VERIFY(!photos.loading() && photos.count() == 1);
        QCOMPARE(photos.sha256At(0), sea);
        photos.setAnnotationSearch("nothing like this");
        QTRY_VERIFY(!photos.loading() && photos.count() == 0);
    }
    // Last: it restarts the server. Cat blocks Amy; Amy's follow, made offline, shows at once;
    // back online the server refuses it, and the profile goes back with the reason.
    void aRefusedFollowIsRevertedWithTheReason() {
        ProfileModel profile(&m_amy->session(), m_ids["cat"]);
        QAbstractItemModelTester tester(&profile, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(as("cat").send("POST", "/api/v1/accounts/" + m_ids["amy"] + "/block").status, 200);
        QVERIFY(test::syncUntil(*m_amy, [&] { return profile.relation() == ProfileModel::Relation::Blocked; }));
        QCOMPARE(m_server.stop(), 0);
        profile.follow();
        QTRY_COMPARE(profile.relation(), ProfileModel::Relation::Following); // at once, offline
        QVERIFY(profile.pending());
        QVERIFY(profile.message().isEmpty());

        QVERIFY(m_server.start());
        const QString url = m_server.baseUrl();
        QVERIFY(test::onLibraryThread<bool>(m_amy->session(), [url](sync::Engine& engine) {
            return engine.setServerUrl(url.toStdString()).isOk();
        }));
        QVERIFY(test::syncUntil(*m_amy, [&] { return !profile.message().isEmpty(); }));
        QCOMPARE(profile.relation(), ProfileModel::Relation::Blocked); // reverted
        QVERIFY(!profile.pending());
        QVERIFY2(profile.message().startsWith("The server refused: "), qPrintable(profile.message()));
        QVERIFY2(profile.message().size() > QString("The server refused: ").size(), qPrintable(profile.message()));
    }
};

QTEST_MAIN(TestPeopleModels)
#include "tst_peoplemodels.moc"
