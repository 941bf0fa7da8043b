// The visibility rules (server/social/visibility.h) row by row, then Access on a real database:
// ties loaded from follows, requests and blocks, comments under posts, and media in posts.
#include "core/ids.h"
#include "social/visibility.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/followstore.h"
#include "store/statusstore.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;
using social::Ties;
using store::Visibility;

Q_DECLARE_METATYPE(Visibility)

namespace {
Ties tiesNamed(const QString& name) {
    Ties t;
    if (name == "self")
        t.self = true;
    else if (name == "follower")
        t.following = true;
    else if (name == "pending")
        t.requested = true;
    else if (name == "blocking")
        t.blocking = true;
    else if (name == "blockedBy")
        t.blockedBy = true;
    else if (name == "followerBlockedBy") {
        t.following = true; // a stale follow must not beat a block
        t.blockedBy = true;
    }
    return t;
}
} // namespace

class TestVisibility : public QObject {
    Q_OBJECT

private slots:
    void status_data() {
        QTest::addColumn<QString>("viewer");
        QTest::addColumn<bool>("locked");
        QTest::addColumn<Visibility>("visibility");
        QTest::addColumn<bool>("sees");
        // viewer, locked account, visibility -> sees
        const struct {
            const char* viewer;
            bool locked;
            Visibility v;
            bool sees;
        } rows[] = {
            {"none", false, Visibility::Public, true},       {"none", false, Visibility::Unlisted, true},
            {"none", false, Visibility::Private, false},     {"none", true, Visibility::Public, false},
            {"none", true, Visibility::Unlisted, false},     {"none", true, Visibility::Private, false},
            {"pending", true, Visibility::Public, false},    {"pending", false, Visibility::Private, false},
            {"follower", true, Visibility::Public, true},    {"follower", true, Visibility::Private, true},
            {"follower", false, Visibility::Private, true},  {"blocking", false, Visibility::Public, false},
            {"blockedBy", false, Visibility::Public, false}, {"followerBlockedBy", false, Visibility::Public, false},
            {"self", true, Visibility::Private, true},       {"self", false, Visibility::Unlisted, true},
        };
        for (const auto& r : rows)
            QTest::addRow("%s-%s-%d", r.viewer, r.locked ? "locked" : "open", static_cast<int>(r.v))
                << QString(r.viewer) << r.locked << r.v << r.sees;
    }
    void status() {
        QFETCH(QString, viewer);
        QFETCH(bool, locked);
        QFETCH(Visibility, visibility);
        QFETCH(bool, sees);
        QCOMPARE(social::mayViewStatus(tiesNamed(viewer), locked, visibility), sees);
    }

    void followLists_data() {
        QTest::addColumn<QString>("viewer");
        QTest::addColumn<bool>("locked");
        QTest::addColumn<bool>("hidden");
        QTest::addColumn<bool>("sees");
        QTest::newRow("stranger-open") << "none" << false << false << true;
        QTest::newRow("stranger-locked") << "none" << true << false << false;
        QTest::newRow("stranger-hidden") << "none" << false << true << false;
        QTest::newRow("follower-hidden") << "follower" << false << true << false;
        QTest::newRow("follower-locked") << "follower" << true << false << true;
        QTest::newRow("blocked-open") << "blockedBy" << false << false << false;
        QTest::newRow("self-hidden") << "self" << true << true << true;
    }
    void followLists() {
        QFETCH(QString, viewer);
        QFETCH(bool, locked);
        QFETCH(bool, hidden);
        QFETCH(bool, sees);
        QCOMPARE(social::mayViewFollowLists(tiesNamed(viewer), locked, hidden), sees);
    }

    void interactionIsRefusedAcrossABlock() {
        QVERIFY(social::mayInteract(tiesNamed("none")));
        QVERIFY(!social::mayInteract(tiesNamed("blocking")));
        QVERIFY(!social::mayInteract(tiesNamed("blockedBy")));
    }

    // Access on a database: the ties come from the rows; a comment needs its post visible too;
    // a derivative is visible with a visible post, the original only to its owner.
    void accessReadsTiesAndThreadsAndMedia() {
        QTemporaryDir dir;
        auto opened = store::Store::open((dir.path() + "/t.db").toStdString());
        QVERIFY(opened);
        auto db = (*opened)->connection();
        QVERIFY(db);
        auto account = [&](const char* name, bool locked) {
            store::Account a;
            a.id = newId();
            a.username = name;
            a.passwordHash = "x";
            a.locked = locked;
            (void)store::insertAccount(**db, a);
            return a.id;
        };
        const Id owner = account("owner", true), fan = account("fan", false), other = account("other", false);
        QVERIFY(*store::insertEdge(**db, store::Edge::Follow, fan, owner, newId(), 0));
        QVERIFY(*store::insertEdge(**db, store::Edge::FollowRequest, other, owner, newId(), 0));

        store::Asset asset;
        asset.id = newId();
        asset.ownerId = owner;
        asset.sha256 = std::string(64, 'a');
        asset.mimeType = "image/jpeg";
        QVERIFY(store::insertAsset(**db, asset));
        store::StatusRow post;
        post.id = newId();
        post.accountId = owner;
        post.visibility = Visibility::Public;
        post.mediaIds = {asset.id};
        QVERIFY(store::insertStatus(**db, post));
        store::StatusRow comment;
        comment.id = newId();
        comment.accountId = other; // an open account's public comment on a locked account's post
        comment.inReplyToId = post.id;
        comment.inReplyToAccountId = owner;
        QVERIFY(store::insertStatus(**db, comment));

        social::Access fanView(**db, fan), otherView(**db, other), anonymous(**db, std::nullopt), ownerView(**db, owner);
        QCOMPARE(*fanView.mayViewStatus(post), true);
        QCOMPARE(fanView.ties(owner)->following, true);
        QCOMPARE(otherView.ties(owner)->requested, true);
        QCOMPARE(*otherView.mayViewStatus(post), false);
        QCOMPARE(*anonymous.mayViewStatus(comment), false); // the comment is public, its post is not
        QCOMPARE(*fanView.mayViewStatus(comment), true);
        QCOMPARE(*fanView.mayViewAsset(asset, false), true);
        QCOMPARE(*fanView.mayViewAsset(asset, true), false);
        QCOMPARE(*anonymous.mayViewAsset(asset, false), false);
        QCOMPARE(*ownerView.mayViewAsset(asset, true), true);

        QVERIFY(*store::insertEdge(**db, store::Edge::Block, owner, fan, newId(), 0));
        social::Access blockedView(**db, fan);
        QCOMPARE(*blockedView.mayViewStatus(post), false);
        QCOMPARE(*blockedView.mayViewAsset(asset, false), false);
    }
};

QTEST_GUILESS_MAIN(TestVisibility)
#include "tst_visibility.moc"
