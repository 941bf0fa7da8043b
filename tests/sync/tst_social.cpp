// The social read side and its optimistic actions (sync/social/social.h), offline: the mirror is
// filled through Puller::applyPage with pages built here, the server's answers are played on the
// outbox (applied, parked), and each test states what the UI would read.
#include "core/digest.h"
#include "core/hlc.h"
#include "library/library.h"
#include "net/http.h"
#include "outbox/outbox.h"
#include "replication/pull.h"
#include "social/social.h"
#include "store/localstore.h"

#include <boost/json.hpp>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;
namespace json = boost::json;

namespace {
const std::string kMe = "1", kOpen = "2", kLocked = "3", kStranger = "4";

json::object account(const std::string& id, const std::string& username, bool locked = false) {
    return {{"id", id},
            {"username", username},
            {"display_name", username + " display"},
            {"note", "bio of " + username},
            {"avatar", "http://x/avatar.png"},
            {"locked", locked},
            {"followers_count", 1},
            {"following_count", 2},
            {"statuses_count", 3}};
}

json::object status(const std::string& id, const json::object& author, const std::string& text, int likes = 0,
                    bool favourited = false, int comments = 0, const std::string& inReplyTo = {}) {
    json::object s{{"id", id},
                   {"created_at", "2026-11-29T08:00:00.000Z"},
                   {"in_reply_to_id", inReplyTo.empty() ? json::value() : json::value(inReplyTo)},
                   {"visibility", "public"},
                   {"text", text},
                   {"content", "<p>" + text + "</p>"},
                   {"favourites_count", likes},
                   {"replies_count", comments},
                   {"favourited", favourited},
                   {"account", author},
                   {"tags", json::array{json::object{{"name", "alps"}}}},
                   {"media_attachments",
                    json::array{json::object{
                        {"id", "m" + id},
                        {"url", "http://x/large"},
                        {"preview_url", "http://x/thumb"},
                        {"description", "a photo"},
                        {"meta", json::object{{"original", json::object{{"width", 640}, {"height", 480}}}}}}}}};
    return s;
}

json::object relationship(const std::string& id, bool following, bool followedBy = false, bool requestedBy = false) {
    return {{"id", id},           {"following", following},      {"followed_by", followedBy},
            {"requested", false}, {"requested_by", requestedBy}, {"blocking", false},
            {"blocked_by", false}};
}

json::object notification(const std::string& id, const std::string& type, const json::object& from,
                          const std::string& statusId = {}) {
    return {{"id", id},
            {"type", type},
            {"created_at", 1764403200000},
            {"account", from},
            {"status_id", statusId.empty() ? json::value() : json::value(statusId)}};
}

class Page {
public:
    Page& add(const std::string& kind, const std::string& id, const json::object& data) {
        m_body += json::serialize(
                      json::object{{"kind", kind}, {"op", "upsert"}, {"id", id}, {"data", data}, {"cursor", "c"}}) +
                  "\n";
        return *this;
    }
    Page& remove(const std::string& kind, const std::string& id) {
        m_body += json::serialize(json::object{{"kind", kind}, {"op", "delete"}, {"id", id}, {"cursor", "c"}}) + "\n";
        return *this;
    }
    std::string body() const { return m_body + "{\"end\":true,\"more\":false,\"cursor\":\"c\"}\n"; }

private:
    std::string m_body;
};

std::string fixture(const char* name) {
    QFile f(qEnvironmentVariable("PINHOLE_SOURCE_DIR") + "/tests/fixtures/sync/" + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

const char* reason(const Status& s) {
    return s.isOk() ? "" : s.message().c_str();
}
template <class T> const char* reason(const Result<T>& r) {
    return r.isOk() ? "" : r.status().message().c_str();
}
} // namespace

class TestSocial : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::LocalStore> m_store;
    std::unique_ptr<Social> m_social;
    net::HttpClient m_http; // unused by applyPage
    HybridLogicalClock m_clock{[] { return std::uint64_t(1'764'400'000'000); }};
    QString m_path;
    int m_n = 0;

    void apply(const Page& page) {
        Puller puller(*m_store, m_http, "http://unused");
        PullReport report;
        auto r = puller.applyPage(page.body(), report);
        QVERIFY2(r.isOk(), reason(r));
    }

    // Me, an open account I follow (posts 10, 12), a locked one I don't, a stranger whose post
    // 11 I liked (so it is mirrored, but not in my feed); my own post 13 with a comment 20.
    void mirrorAWorld() {
        const auto me = account(kMe, "me"), open = account(kOpen, "olga"), locked = account(kLocked, "lena", true),
                   stranger = account(kStranger, "sam");
        apply(Page()
                  .add("account", kMe, me)
                  .add("account", kOpen, open)
                  .add("relationship", kOpen, relationship(kOpen, true, true))
                  .add("account", kLocked, locked)
                  .add("relationship", kLocked, relationship(kLocked, false))
                  .add("account", kStranger, stranger)
                  .add("post", "10", status("10", open, "first", 1))
                  .add("post", "11", status("11", stranger, "not followed", 5, true))
                  .add("post", "12", status("12", open, "second", 3))
                  .add("post", "13", status("13", me, "mine #alps", 0, false, 1))
                  .add("comment", "20", status("20", open, "nice", 0, false, 0, "13")));
    }

    // Plays the server's answer to every waiting op: parked with `why`, or applied.
    void answerAll(const std::optional<std::string>& refusedWith) {
        Outbox outbox(m_store->db());
        auto taken = outbox.takeDue(100, wallMillis());
        QVERIFY(taken.isOk());
        for (const auto& op : *taken) {
            auto s = refusedWith ? outbox.markParked(op.id, *refusedWith, wallMillis())
                                 : outbox.markApplied(op.id, "{}", wallMillis());
            QVERIFY2(s.isOk(), reason(s));
        }
    }

    SocialPost feedPost(const std::string& id) {
        auto page = m_social->feed({}, 50);
        if (page.isOk())
            for (auto& p : page->posts)
                if (p.id == id)
                    return p;
        return {};
    }

private slots:
    void init() {
        m_path = m_dir.path() + QString("/s%1.db").arg(++m_n);
        auto s = store::LocalStore::open(m_path.toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
        QVERIFY(m_store->setMeta("username", "me").isOk());
        m_social = std::make_unique<Social>(*m_store, m_clock);
        mirrorAWorld();
    }

    void theFeedHoldsMyPostsAndThoseOfAccountsIFollowNewestFirst() {
        auto page = m_social->feed();
        QVERIFY2(page.isOk(), reason(page));
        std::vector<std::string> ids;
        for (const auto& p : page->posts)
            ids.push_back(p.id);
        QCOMPARE(ids, (std::vector<std::string>{"13", "12", "10"})); // 11: liked, not followed
        QVERIFY(page->nextCursor.empty());
        const SocialPost& mine = page->posts.front();
        QCOMPARE(mine.author.username, std::string("me"));
        QCOMPARE(mine.text, std::string("mine #alps"));
        QCOMPARE(mine.hashtags, std::vector<std::string>{"alps"});
        QCOMPARE(mine.media.size(), std::size_t(1));
        QCOMPARE(mine.media.front().width, 640);
        QCOMPARE(mine.media.front().previewUrl, std::string("http://x/thumb"));
        QCOMPARE(mine.comments, std::int64_t(1));
    }

    void theFeedPagesWithACursor() {
        auto first = m_social->feed({}, 2);
        QVERIFY(first.isOk());
        QCOMPARE(first->posts.size(), std::size_t(2));
        QCOMPARE(first->nextCursor, std::string("12"));
        auto second = m_social->feed(first->nextCursor, 2);
        QVERIFY(second.isOk());
        QCOMPARE(second->posts.size(), std::size_t(1));
        QCOMPARE(second->posts.front().id, std::string("10"));
        QVERIFY(second->nextCursor.empty());
    }

    void aPostWaitingInTheOutboxLeadsTheFirstPageWithItsLocalPhotos() {
        QVERIFY(m_store->db()
                    .prepare("INSERT INTO assets(sha256, size, width, height, imported_at) VALUES ('aa', 1, 30, 20, 1)")
                    .run()
                    .isOk());
        auto op = Library(*m_store, m_clock).post({"aa"}, "On a train #offline");
        QVERIFY2(op.isOk(), reason(op));
        auto page = m_social->feed({}, 2);
        QVERIFY(page.isOk());
        QCOMPARE(page->posts.size(), std::size_t(3)); // beyond the limit: it is the user's own
        const SocialPost& waiting = page->posts.front();
        QCOMPARE(waiting.id, "op:" + *op);
        QVERIFY(waiting.pending);
        QCOMPARE(waiting.author.username, std::string("me"));
        QCOMPARE(waiting.media.size(), std::size_t(1));
        QCOMPARE(waiting.media.front().sha256, std::string("aa"));
        QCOMPARE(waiting.media.front().width, 30);
        QCOMPARE(m_social->feed(page->nextCursor, 2)->posts.size(), std::size_t(1)); // not again
        QVERIFY(m_social->thread(waiting.id).isOk());
        QCOMPARE(m_social->newPostCount().value(), 3); // not a new post from others
        QVERIFY(m_social->markFeedSeen().isOk());
        QCOMPARE(m_social->newPostCount().value(), 0);
        QVERIFY(m_social->deletePost(waiting.id).isOk()); // deleted before it was sent
        QCOMPARE(m_social->feed({}, 2)->posts.size(), std::size_t(2));
    }

    void newPostsAreCountedSinceTheLastView() {
        QCOMPARE(m_social->newPostCount().value(), 3);
        QVERIFY(m_social->markFeedSeen().isOk());
        QCOMPARE(m_social->newPostCount().value(), 0);
        apply(Page().add("post", "14", status("14", account(kOpen, "olga"), "third")));
        QCOMPARE(m_social->newPostCount().value(), 1);
    }

    void aPendingLikeShowsAtOnceAndAnAppliedOneGivesWayToTheServersState() {
        QVERIFY(m_social->like("12").isOk());
        SocialPost p = feedPost("12");
        QCOMPARE(p.likes, std::int64_t(4));
        QVERIFY(p.likedByMe);
        QVERIFY(p.pendingLike);
        answerAll(std::nullopt);
        apply(Page().add("post", "12", status("12", account(kOpen, "olga"), "second", 4, true)));
        p = feedPost("12");
        QCOMPARE(p.likes, std::int64_t(4));
        QVERIFY(p.likedByMe);
        QVERIFY(!p.pendingLike);
    }

    // The stream may lag the answer by a moment: an op applied just before the last pull is
    // still laid over (not as pending), and gives way at the next pull.
    void anAppliedLikeTheLastPullMayHaveMissedStillShows() {
        QVERIFY(m_social->like("12").isOk());
        Outbox outbox(m_store->db());
        auto taken = outbox.takeDue(10, 1'000'000);
        QVERIFY(taken.isOk());
        QVERIFY(outbox.markApplied(taken->front().id, "{\"status\":\"applied\",\"id\":\"12\"}", 1'000'000).isOk());
        QVERIFY(m_store->setMeta("last_sync_at", "1000500").isOk()); // the pull right after
        SocialPost p = feedPost("12");
        QCOMPARE(p.likes, std::int64_t(4));
        QVERIFY(p.likedByMe);
        QVERIFY(!p.pendingLike);
        QVERIFY(m_store->setMeta("last_sync_at", std::to_string(1'000'000 + Social::kSettleMillis)).isOk());
        p = feedPost("12"); // a later pull: the mirror is the truth (here it never got the like)
        QCOMPARE(p.likes, std::int64_t(3));
        QVERIFY(!p.likedByMe);
    }

    void anAppliedCommentShowsOnceWhetherOrNotThePullHadIt() {
        QVERIFY(m_social->comment("13", "quick").isOk());
        Outbox outbox(m_store->db());
        auto taken = outbox.takeDue(10, 1'000'000);
        QVERIFY(taken.isOk());
        QVERIFY(outbox.markApplied(taken->front().id, "{\"status\":\"applied\",\"id\":\"21\"}", 1'000'000).isOk());
        QVERIFY(m_store->setMeta("last_sync_at", "1000500").isOk());
        auto t = m_social->thread("13");
        QVERIFY(t.isOk());
        QCOMPARE(t->comments.size(), std::size_t(2));
        QCOMPARE(t->comments.back().id, std::string("21"));
        QVERIFY(!t->comments.back().pending);
        apply(Page().add("comment", "21", status("21", account(kMe, "me"), "quick", 0, false, 0, "13")));
        QVERIFY(m_store->setMeta("last_sync_at", "1000500").isOk()); // still within the moment
        t = m_social->thread("13");
        QCOMPARE(t->comments.size(), std::size_t(2)); // the server's copy, not a second one
        QCOMPARE(t->comments.back().id, std::string("21"));
    }

    void aPendingUnlikeShowsAtOnce() {
        QVERIFY(m_social->unlike("11").isOk());
        auto profile = m_social->profile(kStranger);
        QVERIFY(profile.isOk());
        QCOMPARE(profile->posts.size(), std::size_t(1));
        QCOMPARE(profile->posts.front().likes, std::int64_t(4));
        QVERIFY(!profile->posts.front().likedByMe);
    }

    void aRefusedLikeIsRevertedAndItsReasonKept() {
        QVERIFY(m_social->like("12").isOk());
        answerAll(std::string("status not found"));
        SocialPost p = feedPost("12");
        QCOMPARE(p.likes, std::int64_t(3));
        QVERIFY(!p.likedByMe);
        QVERIFY(!p.pendingLike);
        auto refusals = m_social->refusals();
        QVERIFY(refusals.isOk());
        QCOMPARE(refusals->size(), std::size_t(1));
        QCOMPARE(refusals->front().kind, std::string("like"));
        QCOMPARE(refusals->front().target, std::string("12"));
        QCOMPARE(refusals->front().reason, std::string("status not found"));
    }

    void aPendingLikeSurvivesReopeningTheStore() {
        QVERIFY(m_social->like("10").isOk());
        m_social.reset();
        m_store.reset();
        auto s = store::LocalStore::open(m_path.toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
        m_social = std::make_unique<Social>(*m_store, m_clock);
        SocialPost p = feedPost("10");
        QCOMPARE(p.likes, std::int64_t(2));
        QVERIFY(p.likedByMe);
    }

    void aPendingCommentAppearsInTheThreadAndCounts() {
        auto op = m_social->comment("13", "thanks!");
        QVERIFY2(op.isOk(), reason(op));
        auto t = m_social->thread("13");
        QVERIFY2(t.isOk(), reason(t));
        QCOMPARE(t->post.comments, std::int64_t(2));
        QCOMPARE(t->comments.size(), std::size_t(2));
        QCOMPARE(t->comments[0].text, std::string("nice"));
        QVERIFY(!t->comments[0].pending);
        QCOMPARE(t->comments[1].text, std::string("thanks!"));
        QVERIFY(t->comments[1].pending);
        QCOMPARE(t->comments[1].id, "op:" + *op);
        QCOMPARE(t->comments[1].author.username, std::string("me"));
    }

    void aRefusedCommentLeavesTheThreadButKeepsItsText() {
        QVERIFY(m_social->comment("13", "lost words?").isOk());
        answerAll(std::string("status not found"));
        auto t = m_social->thread("13");
        QVERIFY(t.isOk());
        QCOMPARE(t->comments.size(), std::size_t(1));
        QCOMPARE(m_social->refusals()->front().text, std::string("lost words?"));
    }

    void anEmptyCommentIsRefusedNamingTheField() {
        auto op = m_social->comment("13", "  \n");
        QVERIFY(!op.isOk());
        QCOMPARE(op.status().code(), Code::InvalidArgument);
        QVERIFY(op.status().message().rfind("text:", 0) == 0);
        QCOMPARE(Outbox(m_store->db()).counts()->queued, 0);
    }

    void deletingCommentsHidesThemAtOnce() {
        auto pendingOp = m_social->comment("13", "oops");
        QVERIFY(pendingOp.isOk());
        QVERIFY(m_social->deleteComment("op:" + *pendingOp).isOk());
        QVERIFY(m_social->deleteComment("20").isOk());
        auto t = m_social->thread("13");
        QVERIFY(t.isOk());
        QCOMPARE(t->comments.size(), std::size_t(0));
        QCOMPARE(t->post.comments, std::int64_t(0));
    }

    void deletingAPostHidesItFromFeedThreadAndProfile() {
        QVERIFY(m_social->deletePost("13").isOk());
        QVERIFY(feedPost("13").id.empty());
        QCOMPARE(m_social->thread("13").status().code(), Code::NotFound);
        QCOMPARE(m_social->profile(kMe)->posts.size(), std::size_t(0));
    }

    void aProfileHasTheAccountTheRelationshipAndItsPosts() {
        auto p = m_social->profile(kOpen);
        QVERIFY2(p.isOk(), reason(p));
        QCOMPARE(p->account.displayName, std::string("olga display"));
        QCOMPARE(p->account.note, std::string("bio of olga"));
        QCOMPARE(p->account.posts, std::int64_t(3));
        QVERIFY(!p->isMe);
        QVERIFY(p->relationship && p->relationship->following && p->relationship->followedBy);
        QCOMPARE(p->posts.size(), std::size_t(2));
        QCOMPARE(p->posts.front().id, std::string("12"));
        auto mine = m_social->profile(kMe);
        QVERIFY(mine.isOk());
        QVERIFY(mine->isMe);
        QVERIFY(!mine->relationship);
        QCOMPARE(m_social->profile("999").status().code(), Code::NotFound);
    }

    void followersAndFollowingComeFromTheMirroredRelationships() {
        auto followers = m_social->followers();
        auto following = m_social->following();
        QVERIFY(followers.isOk() && following.isOk());
        QCOMPARE(followers->size(), std::size_t(1));
        QCOMPARE(followers->front().username, std::string("olga"));
        QCOMPARE(following->size(), std::size_t(1));
    }

    void aPendingFollowShowsRequestedForALockedAccountAndFollowingForAnOpenOne() {
        QVERIFY(m_social->follow(kLocked).isOk());
        QVERIFY(m_social->follow(kStranger).isOk());
        auto locked = m_social->profile(kLocked);
        QVERIFY(locked.isOk());
        QVERIFY(locked->relationship->requested);
        QVERIFY(!locked->relationship->following);
        QVERIFY(locked->relationship->pending);
        auto open = m_social->profile(kStranger);
        QVERIFY(open->relationship->following);
        QVERIFY(!open->relationship->requested);
    }

    void aPendingUnfollowTakesThePostsOutOfTheFeed() {
        QVERIFY(m_social->unfollow(kOpen).isOk());
        QCOMPARE(m_social->feed()->posts.size(), std::size_t(1));
        QVERIFY(!m_social->profile(kOpen)->relationship->following);
    }

    void aRefusedFollowIsRevertedWithItsReason() {
        QVERIFY(m_social->follow(kLocked).isOk());
        answerAll(std::string("you cannot follow this account"));
        auto p = m_social->profile(kLocked);
        QVERIFY(!p->relationship->requested);
        QVERIFY(!p->relationship->pending);
        QCOMPARE(m_social->refusals()->front().kind, std::string("follow"));
        QCOMPARE(m_social->refusals()->front().reason, std::string("you cannot follow this account"));
    }

    void notificationsCountAsUnreadUntilMarkedRead() {
        const auto sam = account(kStranger, "sam");
        apply(Page()
                  .add("notification", "100", notification("100", "favourite", sam, "13"))
                  .add("notification", "101", notification("101", "mention", sam, "21")));
        QCOMPARE(m_social->unreadNotificationCount().value(), 2);
        auto list = m_social->notifications();
        QVERIFY(list.isOk());
        QCOMPARE(list->size(), std::size_t(2));
        QCOMPARE(list->front().id, std::string("101"));
        QCOMPARE(list->front().type, std::string("mention"));
        QCOMPARE(list->back().statusId, std::string("13"));
        QCOMPARE(list->back().from.username, std::string("sam"));
        QVERIFY(list->front().unread);
        QVERIFY(m_social->markNotificationsRead().isOk());
        QCOMPARE(m_social->unreadNotificationCount().value(), 0);
        QVERIFY(!m_social->notifications()->front().unread);
        apply(Page().add("notification", "102", notification("102", "follow", sam)));
        QCOMPARE(m_social->unreadNotificationCount().value(), 1);
    }

    // The shape the server sends (tests/server/tst_e2e_sync checks the server against it).
    void theGoldenNotificationPageIsRead() {
        const std::string page = fixture("changes_notifications.ndjson");
        QVERIFY(!page.empty());
        Puller puller(*m_store, m_http, "http://unused");
        PullReport report;
        QVERIFY(puller.applyPage(page, report).isOk());
        auto list = m_social->notifications();
        QVERIFY2(list.isOk(), reason(list));
        QCOMPARE(list->size(), std::size_t(2));
        QCOMPARE(list->front().type, std::string("favourite"));
        QCOMPARE(list->front().statusId, std::string("1180"));
        QCOMPARE(list->front().createdAt, std::int64_t(1764390060000));
        QCOMPARE(list->back().type, std::string("follow_request"));
        QCOMPARE(list->back().from.displayName, std::string("Dora"));
        QVERIFY(list->back().actionable);
        QCOMPARE(m_social->unreadNotificationCount().value(), 2);
    }

    void aFollowRequestIsActionableUntilAnswered() {
        const auto sam = account(kStranger, "sam");
        apply(Page()
                  .add("relationship", kStranger, relationship(kStranger, false, false, true))
                  .add("notification", "100", notification("100", "follow_request", sam)));
        QVERIFY(m_social->notifications()->front().actionable);
        QVERIFY(m_social->profile(kStranger)->relationship->requestedBy);
        QCOMPARE(m_social->followRequests()->size(), std::size_t(1));
        QVERIFY(m_social->approveFollowRequest(kStranger).isOk());
        QVERIFY(!m_social->notifications()->front().actionable);
        QCOMPARE(m_social->followRequests()->size(), std::size_t(0));
        auto r = m_social->profile(kStranger)->relationship;
        QVERIFY(!r->requestedBy);
        QVERIFY(r->followedBy);
        QVERIFY(r->pending);
        auto ops = Outbox(m_store->db()).list(OpState::Queued);
        QCOMPARE(ops->back().kind, std::string("follow_request.authorize"));
    }

    void theLibraryIsSearchedByTagCaptionAndRegionName() {
        Library library(*m_store, m_clock);
        for (const char* sha : {"aa", "bb", "cc", "dd"})
            QVERIFY(m_store->db()
                        .prepare("INSERT INTO assets(sha256, size, imported_at) VALUES (?, 1, 1)")
                        .bind(1, std::string(sha))
                        .run()
                        .isOk());
        QVERIFY(library.addTag("aa", "Mountain").isOk());
        QVERIFY(library.setCaption("bb", "A mountain hut, 100% cosy").isOk());
        QVERIFY(library.addTag("cc", "lake").isOk());
        QVERIFY(library.removeTag("cc", "lake").isOk());
        auto found = m_social->searchLibrary("MOUNTAIN");
        QVERIFY2(found.isOk(), reason(found));
        QCOMPARE(found->size(), std::size_t(2));
        QCOMPARE(m_social->searchLibrary("lake")->size(), std::size_t(0)); // a removed tag
        QCOMPARE(m_social->searchLibrary("100%")->size(), std::size_t(1)); // % is a character
        QCOMPARE(m_social->searchLibrary("0%c")->size(), std::size_t(0));

        // A region named on a photo; a removed one no longer finds it.
        Region grandma;
        grandma.x = grandma.y = 0.1;
        grandma.w = grandma.h = 0.3;
        grandma.label = "Grandma Rose";
        auto id = library.addRegion("dd", grandma);
        QVERIFY2(id.isOk(), reason(id));
        auto rose = m_social->searchLibrary("rose");
        QVERIFY2(rose.isOk(), reason(rose));
        QCOMPARE(*rose, std::vector<std::string>{"dd"});
        QVERIFY(library.removeRegion("dd", *id).isOk());
        QCOMPARE(m_social->searchLibrary("rose")->size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestSocial)
#include "tst_social.moc"
