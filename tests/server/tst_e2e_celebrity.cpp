// The pull half of the hybrid feed: an author with more followers than social.celebrity_followers
// (2 here) is not fanned out; followers still see the posts, merged with pushed ones in order.
#include "socialfixture.h"

using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

class TestCelebrity : public QObject {
    Q_OBJECT
    ServerProcess m_server{"[social]\ncelebrity_followers = 2\n"};
    SocialFixture m_social{m_server};

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void celebrityPostsArePulledIntoFollowersFeedsInOrder() {
        const QString star = m_social.user("star");
        const QString plain = m_social.user("plain");
        QStringList fans;
        for (int i = 0; i < 3; ++i)
            fans << m_social.user(QString("fan%1").arg(i));
        for (const auto& fan : fans)
            QCOMPARE(m_social.postTo(fan, "/api/v1/accounts/" + m_social.idOf(star) + "/follow").status, 200);
        QCOMPARE(m_social.postTo(fans[0], "/api/v1/accounts/" + m_social.idOf(plain) + "/follow").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_social.get(star, "/api/v1/accounts/" + m_social.idOf(star)).json()["followers_count"].toInt(), 3, 20000);

        // fan0's feed exists (and holds plain's first post) before the star posts anything, so the
        // star's posts can reach it only by the pull path.
        const QString starMedia = m_social.photo(star), plainMedia = m_social.photo(plain);
        const QString first = m_social.post(plain, "plain 0", {plainMedia}).json()["id"].toString();
        QTRY_COMPARE_WITH_TIMEOUT(m_social.homeIds(fans[0]), QStringList{first}, 20000);

        QStringList expected{first};
        for (int i = 1; i <= 4; ++i) {
            expected.prepend(m_social.post(star, QString("star %1").arg(i), {starMedia}, i == 2 ? "private" : "public")
                                 .json()["id"].toString());
            expected.prepend(m_social.post(plain, QString("plain %1").arg(i), {plainMedia}).json()["id"].toString());
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_social.homeIds(fans[0]), expected, 20000);
        // Pages through the merge: max_id moves across both sources.
        const QStringList page1 = m_social.homeIds(fans[0], "limit=3");
        const QStringList page2 = m_social.homeIds(fans[0], "limit=3&max_id=" + page1.last());
        QCOMPARE(page1 + page2, expected.mid(0, 6));
        // A follower of only the star sees only the star's posts, the private one included.
        QStringList starOnly;
        for (const auto& id : expected)
            if (m_social.get(star, "/api/v1/statuses/" + id).json()["account"].toObject()["username"] == "star")
                starOnly << id;
        QCOMPARE(m_social.homeIds(fans[1]), starOnly);
    }
};

QTEST_GUILESS_MAIN(TestCelebrity)
#include "tst_e2e_celebrity.moc"
