#include "social/social.h"

#include "core/digest.h"
#include "net/http.h"
#include "outbox/outbox.h"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace json = boost::json;

namespace pinhole::sync {

namespace {

// The op kinds this class queues; the read side lays the waiting ones over the mirror.
constexpr const char* kSocialKinds = "('post.create', 'like', 'unlike', 'comment.create', 'comment.delete', "
                                     "'post.delete', "
                                     "'follow', 'unfollow', 'follow_request.authorize', 'follow_request.reject')";

std::string str(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t num(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (!v)
        return 0;
    if (v->is_int64())
        return v->as_int64();
    if (v->is_uint64())
        return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double())
        return static_cast<std::int64_t>(v->as_double());
    return 0;
}

bool flag(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool();
}

json::object parseObject(const std::string& text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

SocialAccount accountOf(const json::object& a) {
    SocialAccount out;
    out.id = str(a, "id");
    out.username = str(a, "username");
    out.displayName = str(a, "display_name");
    out.note = str(a, "note");
    out.avatarUrl = str(a, "avatar");
    out.locked = flag(a, "locked");
    out.followers = num(a, "followers_count");
    out.following = num(a, "following_count");
    out.posts = num(a, "statuses_count");
    return out;
}

SocialPost postOf(const json::object& s) {
    SocialPost p;
    p.id = str(s, "id");
    p.postId = str(s, "in_reply_to_id");
    if (const auto* a = s.if_contains("account"); a && a->is_object())
        p.author = accountOf(a->as_object());
    p.createdAt = str(s, "created_at");
    p.text = str(s, "text");
    p.content = str(s, "content");
    p.visibility = str(s, "visibility");
    if (const auto* tags = s.if_contains("tags"); tags && tags->is_array())
        for (const auto& t : tags->as_array())
            if (t.is_object())
                p.hashtags.push_back(str(t.as_object(), "name"));
    if (const auto* media = s.if_contains("media_attachments"); media && media->is_array()) {
        for (const auto& m : media->as_array()) {
            if (!m.is_object())
                continue;
            const auto& o = m.as_object();
            SocialMedia sm{str(o, "id"), str(o, "url"), str(o, "preview_url"), str(o, "description"), 0, 0};
            if (const auto* meta = o.if_contains("meta"); meta && meta->is_object())
                if (const auto* orig = meta->as_object().if_contains("original"); orig && orig->is_object()) {
                    sm.width = static_cast<int>(num(orig->as_object(), "width"));
                    sm.height = static_cast<int>(num(orig->as_object(), "height"));
                }
            p.media.push_back(std::move(sm));
        }
    }
    p.likes = num(s, "favourites_count");
    p.comments = num(s, "replies_count");
    p.likedByMe = flag(s, "favourited");
    return p;
}

SocialRelationship relationshipOf(const json::object& r) {
    SocialRelationship out;
    out.following = flag(r, "following");
    out.followedBy = flag(r, "followed_by");
    out.requested = flag(r, "requested");
    out.requestedBy = flag(r, "requested_by");
    out.blocking = flag(r, "blocking");
    out.blockedBy = flag(r, "blocked_by");
    return out;
}

std::string jsonArrayOf(const std::set<std::string>& ids) {
    json::array a;
    for (const auto& id : ids)
        a.emplace_back(id);
    return json::serialize(a);
}

Result<std::optional<std::string>> mirrorBody(store::Database& db, const char* kind, const std::string& id) {
    auto q = db.prepare("SELECT body FROM mirror WHERE kind = ? AND id = ? AND deleted = 0");
    q.bind(1, kind).bind(2, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<std::string>();
    return std::optional<std::string>(q.text(0));
}

// A post.create waiting in the outbox, as the feed shows it: its photos are the library's.
SocialPost pendingPost(store::Database& db, const std::string& opId, const json::object& payload) {
    SocialPost post;
    post.id = "op:" + opId;
    post.text = str(payload, "text");
    post.content = post.text;
    post.visibility = str(payload, "visibility");
    post.pending = true;
    if (const auto* shas = payload.if_contains("media_sha256s"); shas && shas->is_array()) {
        for (const auto& sha : shas->as_array()) {
            SocialMedia m;
            m.sha256 = sha.is_string() ? std::string(sha.as_string()) : std::string();
            auto q = db.prepare("SELECT width, height, caption FROM assets WHERE sha256 = ?");
            q.bind(1, m.sha256);
            if (auto row = q.step(); row.isOk() && *row) {
                m.width = static_cast<int>(q.int64(0));
                m.height = static_cast<int>(q.int64(1));
                m.description = q.text(2);
            }
            post.media.push_back(std::move(m));
        }
    }
    return post;
}

Status requireId(const std::string& id, const char* field) {
    if (id.empty())
        return invalidArgument(std::string(field) + ": an id is required");
    return Status::ok();
}

} // namespace

struct Social::Pending {
    struct Comment {
        std::string opId, text;
        std::string serverId; // set once applied (settling)
    };
    // Applied ops the mirror may not show yet (see kSettleMillis): laid over like waiting ones,
    // but not flagged pending.
    std::map<std::string, bool> settledLikes, settledFollows, settledAnswers;
    std::map<std::string, bool> likes;                    // status id -> liked, by the latest waiting op
    std::map<std::string, bool> follows;                  // account id -> follow (true) or unfollow
    std::map<std::string, bool> answers;                  // account id -> request approved or rejected
    std::set<std::string> deletedPosts;                   // post ids
    std::set<std::string> deletedComments;                // comment ids (server ids or "op:<id>")
    std::map<std::string, int> deletedCommentsOf;         // post id -> mirrored comments being deleted
    std::map<std::string, std::vector<Comment>> comments; // post id -> comments waiting, in order
    std::vector<SocialPost> posts;                        // the user's posts waiting, newest first

    // The latest intent for `id` in `waiting`, else in `settled`: {value, waiting?}.
    static std::optional<std::pair<bool, bool>> intent(const std::map<std::string, bool>& waiting,
                                                       const std::map<std::string, bool>& settled,
                                                       const std::string& id) {
        if (auto it = waiting.find(id); it != waiting.end())
            return std::pair{it->second, true};
        if (auto it = settled.find(id); it != settled.end())
            return std::pair{it->second, false};
        return std::nullopt;
    }
    void layLike(SocialPost& post) const {
        auto like = intent(likes, settledLikes, post.id);
        if (!like)
            return;
        if (like->first != post.likedByMe)
            post.likes += like->first ? 1 : -1;
        post.likedByMe = like->first;
        post.pendingLike = like->second;
    }
    bool answered(const std::string& accountId) const {
        return answers.count(accountId) > 0 || settledAnswers.count(accountId) > 0;
    }
};

Result<Social::Pending> Social::pending() {
    auto& db = m_store.db();
    // Waiting ops, and ops applied so shortly before the last pull that it may not show them.
    const auto lastPull = m_store.meta("last_sync_at");
    auto q = db.prepare(std::string("SELECT op_id, kind, payload, state, json_extract(result, '$.id') FROM outbox "
                                    "WHERE kind IN ") +
                        kSocialKinds +
                        " AND (state IN ('queued', 'sending') OR (state = 'applied' AND ?1 AND "
                        "json_extract(result, '$.status') IN ('applied', 'already_applied') AND "
                        "updated_at + ?2 > CAST(?3 AS INTEGER))) ORDER BY seq");
    q.bind(1, lastPull.has_value()).bind(2, kSettleMillis).bind(3, lastPull.value_or("0"));
    Pending p;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const std::string opId = q.text(0), kind = q.text(1);
        const json::object payload = parseObject(q.text(2));
        if (q.text(3) == "applied") {
            PINHOLE_TRY(settle(p, kind, payload, q.isNull(4) ? std::string() : q.text(4)));
            continue;
        }
        if (kind == "like" || kind == "unlike")
            p.likes[str(payload, "status_id")] = kind == "like";
        else if (kind == "follow" || kind == "unfollow")
            p.follows[str(payload, "account_id")] = kind == "follow";
        else if (kind == "follow_request.authorize" || kind == "follow_request.reject")
            p.answers[str(payload, "account_id")] = kind == "follow_request.authorize";
        else if (kind == "post.delete")
            p.deletedPosts.insert(str(payload, "post_id"));
        else if (kind == "comment.create")
            p.comments[str(payload, "post_id")].push_back({opId, str(payload, "text")});
        else if (kind == "comment.delete")
            p.deletedComments.insert(str(payload, "comment_id"));
        else if (kind == "post.create")
            p.posts.insert(p.posts.begin(), pendingPost(db, opId, payload));
    }
    std::erase_if(p.posts, [&](const SocialPost& post) { return p.deletedPosts.count(post.id) > 0; });
    for (const auto& id : p.deletedComments) {
        auto body = mirrorBody(db, "comment", id);
        if (!body)
            return body.status();
        if (*body)
            ++p.deletedCommentsOf[str(parseObject(**body), "in_reply_to_id")];
    }
    return p;
}

// An applied op whose effect the last pull may have missed: laid over, not flagged pending;
// a created comment or post only while the mirror lacks it (then it is the server's copy).
Status Social::settle(Pending& p, const std::string& kind, const json::object& payload, const std::string& id) {
    if (kind == "like" || kind == "unlike")
        p.settledLikes[str(payload, "status_id")] = kind == "like";
    else if (kind == "follow" || kind == "unfollow")
        p.settledFollows[str(payload, "account_id")] = kind == "follow";
    else if (kind == "follow_request.authorize" || kind == "follow_request.reject")
        p.settledAnswers[str(payload, "account_id")] = kind == "follow_request.authorize";
    else if (kind == "post.delete")
        p.deletedPosts.insert(str(payload, "post_id"));
    else if (kind == "comment.delete")
        p.deletedComments.insert(str(payload, "comment_id"));
    else if (kind == "comment.create" || kind == "post.create") {
        const bool comment = kind == "comment.create";
        auto mirrored = mirrorBody(m_store.db(), comment ? "comment" : "post", id);
        if (!mirrored)
            return mirrored.status();
        if (*mirrored || id.empty())
            return Status::ok();
        if (comment) {
            p.comments[str(payload, "post_id")].push_back({{}, str(payload, "text"), id});
        } else {
            SocialPost post = pendingPost(m_store.db(), {}, payload);
            post.id = id;
            post.pending = false;
            p.posts.insert(p.posts.begin(), std::move(post));
        }
    }
    return Status::ok();
}

Result<std::optional<std::string>> Social::myId() {
    const auto username = m_store.meta("username");
    if (!username)
        return std::optional<std::string>();
    auto q = m_store.db().prepare(
        "SELECT id FROM mirror WHERE kind = 'account' AND deleted = 0 AND json_extract(body, '$.username') = ?");
    q.bind(1, *username);
    auto row = q.step();
    if (!row)
        return row.status();
    return *row ? std::optional<std::string>(q.text(0)) : std::optional<std::string>();
}

Result<std::optional<SocialAccount>> Social::me() {
    auto id = myId();
    if (!id)
        return id.status();
    if (!*id)
        return std::optional<SocialAccount>();
    auto body = mirrorBody(m_store.db(), "account", **id);
    if (!body)
        return body.status();
    if (!*body)
        return std::optional<SocialAccount>();
    return std::optional<SocialAccount>(accountOf(parseObject(**body)));
}

// Posts of the mirror matching `sqlWhere` (on the alias p; binds from ?3), with what is
// pending laid over; ?1 and ?2 are the ids hidden by pending deletes and unfollows.
Result<std::vector<SocialPost>> Social::posts(const std::string& sqlWhere, const std::vector<std::string>& binds,
                                              int limit, const Pending& pending) {
    std::set<std::string> unfollowed;
    for (const auto* intents : {&pending.settledFollows, &pending.follows})
        for (const auto& [account, follows] : *intents)
            if (!Pending::intent(pending.follows, pending.settledFollows, account)->first)
                unfollowed.insert(account);
    auto q =
        m_store.db().prepare("SELECT p.body FROM mirror p WHERE p.kind = 'post' AND p.deleted = 0 "
                             "AND p.id NOT IN (SELECT value FROM json_each(?1)) "
                             "AND json_extract(p.body, '$.account.id') NOT IN (SELECT value FROM json_each(?2)) AND (" +
                             sqlWhere + ") ORDER BY CAST(p.id AS INTEGER) DESC LIMIT " + std::to_string(limit));
    q.bind(1, jsonArrayOf(pending.deletedPosts)).bind(2, jsonArrayOf(unfollowed));
    for (std::size_t i = 0; i < binds.size(); ++i)
        q.bind(static_cast<int>(i) + 3, binds[i]);
    std::vector<SocialPost> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        SocialPost post = postOf(parseObject(q.text(0)));
        pending.layLike(post);
        if (auto c = pending.comments.find(post.id); c != pending.comments.end())
            for (const auto& waiting : c->second)
                post.comments +=
                    pending.deletedComments.count(waiting.serverId.empty() ? "op:" + waiting.opId : waiting.serverId)
                        ? 0
                        : 1;
        if (auto d = pending.deletedCommentsOf.find(post.id); d != pending.deletedCommentsOf.end())
            post.comments = std::max<std::int64_t>(0, post.comments - d->second);
        out.push_back(std::move(post));
    }
}

namespace {
// The home feed: own posts (?3 is the user's id), and posts of accounts the user follows.
const char* const kInFeed = "json_extract(p.body, '$.account.id') = ?3 OR EXISTS (SELECT 1 FROM mirror r WHERE "
                            "r.kind = 'relationship' AND r.deleted = 0 AND r.id = json_extract(p.body, "
                            "'$.account.id') AND json_extract(r.body, '$.following') = 1)";
} // namespace

Result<FeedPage> Social::feed(const std::string& cursor, int limit) {
    if (limit < 1 || limit > 200)
        return invalidArgument("limit: 1 to 200");
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto me = myId();
    if (!me)
        return me.status();
    auto p = pending();
    if (!p)
        return p.status();
    std::string where = kInFeed;
    std::vector<std::string> binds{me->value_or("")};
    if (!cursor.empty()) {
        where = "(" + where + ") AND CAST(p.id AS INTEGER) < CAST(?4 AS INTEGER)";
        binds.push_back(cursor);
    }
    auto rows = posts(where, binds, limit + 1, *p);
    if (!rows)
        return rows.status();
    FeedPage page;
    page.posts = std::move(rows).value();
    if (static_cast<int>(page.posts.size()) > limit) {
        page.posts.resize(static_cast<std::size_t>(limit));
        page.nextCursor = page.posts.back().id;
    }
    if (cursor.empty() && !p->posts.empty()) {
        auto me = this->me();
        if (!me)
            return me.status();
        for (auto& post : p->posts)
            post.author = me->value_or(SocialAccount{.username = m_store.meta("username").value_or("")});
        page.posts.insert(page.posts.begin(), p->posts.begin(), p->posts.end());
    }
    return page;
}

Result<int> Social::newPostCount() {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto me = myId();
    if (!me)
        return me.status();
    auto q = db.prepare(std::string("SELECT count(*) FROM mirror p WHERE p.kind = 'post' AND p.deleted = 0 AND (") +
                        kInFeed + ") AND CAST(p.id AS INTEGER) > CAST(?4 AS INTEGER)");
    q.bind(3, me->value_or("")).bind(4, m_store.meta("feed_seen").value_or("0"));
    auto row = q.step();
    if (!row)
        return row.status();
    return static_cast<int>(q.int64(0));
}

Status Social::markFeedSeen() {
    auto page = feed({}, 1);
    if (!page)
        return page.status();
    for (const auto& post : page->posts)
        if (!post.pending) // the newest post from the server; the user's waiting ones come first
            return m_store.setMeta("feed_seen", post.id);
    return Status::ok();
}

Result<PostThread> Social::thread(const std::string& postId) {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto p = pending();
    if (!p)
        return p.status();
    auto found = posts("p.id = ?3", {postId}, 1, *p);
    if (!found)
        return found.status();
    for (const auto& waiting : p->posts)
        if (waiting.id == postId)
            found->push_back(waiting);
    if (found->empty())
        return Status(Code::NotFound, "post " + postId + " is not in the local store");
    PostThread t;
    t.post = std::move(found->front());
    auto q = db.prepare("SELECT body FROM mirror WHERE kind = 'comment' AND deleted = 0 AND "
                        "json_extract(body, '$.in_reply_to_id') = ? ORDER BY CAST(id AS INTEGER)");
    q.bind(1, postId);
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        SocialPost c = postOf(parseObject(q.text(0)));
        if (p->deletedComments.count(c.id))
            continue;
        p->layLike(c);
        t.comments.push_back(std::move(c));
    }
    PINHOLE_TRY(layWaitingComments(t, *p));
    return t;
}

Status Social::layWaitingComments(PostThread& t, const Pending& p) {
    auto waiting = p.comments.find(t.post.id);
    if (waiting == p.comments.end())
        return Status::ok();
    auto me = this->me();
    if (!me)
        return me.status();
    for (const auto& w : waiting->second) {
        const std::string id = w.serverId.empty() ? "op:" + w.opId : w.serverId;
        if (p.deletedComments.count(id) ||
            std::any_of(t.comments.begin(), t.comments.end(), [&](const SocialPost& c) { return c.id == id; }))
            continue; // deleted, or the server's copy is listed already
        SocialPost c;
        c.id = id;
        c.postId = t.post.id;
        c.author = me->value_or(SocialAccount{});
        c.text = w.text;
        c.pending = w.serverId.empty();
        t.comments.push_back(std::move(c));
    }
    return Status::ok();
}

Result<Profile> Social::profile(const std::string& accountId) {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto body = mirrorBody(db, "account", accountId);
    if (!body)
        return body.status();
    if (!*body)
        return Status(Code::NotFound, "account " + accountId + " is not in the local store");
    auto me = myId();
    if (!me)
        return me.status();
    auto p = pending();
    if (!p)
        return p.status();
    Profile profile;
    profile.account = accountOf(parseObject(**body));
    profile.isMe = *me == accountId;
    if (!profile.isMe) {
        auto rel = mirrorBody(db, "relationship", accountId);
        if (!rel)
            return rel.status();
        SocialRelationship r = *rel ? relationshipOf(parseObject(**rel)) : SocialRelationship{};
        if (auto f = Pending::intent(p->follows, p->settledFollows, accountId)) {
            r.pending = f->second;
            if (f->first) { // a locked account makes it a request
                r.following = r.following || !profile.account.locked;
                r.requested = !r.following;
            } else {
                r.following = r.requested = false;
            }
        }
        if (auto a = Pending::intent(p->answers, p->settledAnswers, accountId)) {
            r.pending = r.pending || a->second;
            r.requestedBy = false;
            r.followedBy = r.followedBy || a->first;
        }
        profile.relationship = r;
    }
    auto rows = posts("json_extract(p.body, '$.account.id') = ?3", {accountId}, 200, *p);
    if (!rows)
        return rows.status();
    profile.posts = std::move(rows).value();
    return profile;
}

namespace {
Result<std::vector<SocialAccount>> relatedAccounts(store::Database& db, const char* field) {
    auto q = db.prepare(std::string("SELECT a.body FROM mirror r JOIN mirror a ON a.kind = 'account' AND a.id = r.id "
                                    "AND a.deleted = 0 WHERE r.kind = 'relationship' AND r.deleted = 0 AND "
                                    "json_extract(r.body, '$.") +
                        field + "') = 1 ORDER BY json_extract(a.body, '$.username')");
    std::vector<SocialAccount> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(accountOf(parseObject(q.text(0))));
    }
}
} // namespace

Result<std::vector<SocialAccount>> Social::followers() {
    return relatedAccounts(m_store.db(), "followed_by");
}

Result<std::vector<SocialAccount>> Social::following() {
    return relatedAccounts(m_store.db(), "following");
}

Result<std::vector<SocialAccount>> Social::followRequests() {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto p = pending();
    if (!p)
        return p.status();
    auto asking = relatedAccounts(db, "requested_by");
    if (!asking)
        return asking.status();
    std::erase_if(*asking, [&](const SocialAccount& a) { return p->answered(a.id); });
    return asking;
}

Result<std::vector<Notification>> Social::notifications(int limit) {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto p = pending();
    if (!p)
        return p.status();
    auto q = db.prepare("SELECT n.id, n.body, r.body, CAST(n.id AS INTEGER) > CAST(?2 AS INTEGER) FROM mirror n "
                        "LEFT JOIN mirror r ON r.kind = 'relationship' AND r.deleted = 0 AND "
                        "r.id = json_extract(n.body, '$.account.id') WHERE n.kind = 'notification' AND n.deleted = 0 "
                        "ORDER BY CAST(n.id AS INTEGER) DESC LIMIT ?1");
    q.bind(1, limit).bind(2, m_store.meta("notifications_read").value_or("0"));
    std::vector<Notification> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        const json::object n = parseObject(q.text(1));
        Notification item;
        item.id = q.text(0);
        item.type = str(n, "type");
        item.createdAt = num(n, "created_at");
        if (const auto* a = n.if_contains("account"); a && a->is_object())
            item.from = accountOf(a->as_object());
        item.statusId = str(n, "status_id");
        item.unread = q.int64(3) != 0;
        const bool asking = !q.isNull(2) && flag(parseObject(q.text(2)), "requested_by");
        item.actionable = item.type == "follow_request" && asking && !p->answered(item.from.id);
        out.push_back(std::move(item));
    }
}

Result<int> Social::unreadNotificationCount() {
    auto q = m_store.db().prepare("SELECT count(*) FROM mirror WHERE kind = 'notification' AND deleted = 0 AND "
                                  "CAST(id AS INTEGER) > CAST(? AS INTEGER)");
    q.bind(1, m_store.meta("notifications_read").value_or("0"));
    auto row = q.step();
    if (!row)
        return row.status();
    return static_cast<int>(q.int64(0));
}

Status Social::markNotificationsRead() {
    auto q =
        m_store.db().prepare("SELECT max(CAST(id AS INTEGER)) FROM mirror WHERE kind = 'notification' AND deleted = 0");
    auto row = q.step();
    if (!row)
        return row.status();
    if (q.isNull(0))
        return Status::ok();
    return m_store.setMeta("notifications_read", std::to_string(q.int64(0)));
}

Result<std::vector<Refusal>> Social::refusals(int limit) {
    auto q = m_store.db().prepare(std::string("SELECT op_id, kind, payload, reason, updated_at FROM outbox WHERE "
                                              "state = 'parked' AND kind IN ") +
                                  kSocialKinds + " ORDER BY updated_at DESC, seq DESC LIMIT ?");
    q.bind(1, limit);
    std::vector<Refusal> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        const json::object payload = parseObject(q.text(2));
        Refusal r;
        r.opId = q.text(0);
        r.kind = q.text(1);
        for (const char* key : {"status_id", "post_id", "comment_id", "account_id"})
            if (r.target.empty())
                r.target = str(payload, key);
        r.text = str(payload, "text");
        r.reason = q.text(3);
        r.at = static_cast<std::uint64_t>(q.int64(4));
        out.push_back(std::move(r));
    }
}

Result<std::string> Social::enqueue(std::string_view kind, const std::string& payload) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    const std::uint64_t hlc = m_clock.now();
    PINHOLE_TRY(m_store.setMeta("hlc", std::to_string(m_clock.last())));
    auto opId = Outbox(db).enqueue(kind, payload, hlc, wallMillis());
    if (!opId)
        return opId.status();
    PINHOLE_TRY(tx.commit());
    return *opId;
}

Result<std::string> Social::like(const std::string& statusId) {
    PINHOLE_TRY(requireId(statusId, "status_id"));
    return enqueue("like", json::serialize(json::object{{"status_id", statusId}}));
}

Result<std::string> Social::unlike(const std::string& statusId) {
    PINHOLE_TRY(requireId(statusId, "status_id"));
    return enqueue("unlike", json::serialize(json::object{{"status_id", statusId}}));
}

Result<std::string> Social::comment(const std::string& postId, const std::string& text) {
    PINHOLE_TRY(requireId(postId, "post_id"));
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return invalidArgument("text: a comment needs some text");
    return enqueue("comment.create", json::serialize(json::object{{"post_id", postId}, {"text", text}}));
}

Result<std::string> Social::deleteComment(const std::string& commentId) {
    PINHOLE_TRY(requireId(commentId, "comment_id"));
    // A pending comment ("op:<id>") is deleted by reference: the server resolves the op of the
    // comment (sent before this one, in outbox order) and deletes what it created.
    return enqueue("comment.delete", json::serialize(json::object{{"comment_id", commentId}}));
}

Result<std::string> Social::deletePost(const std::string& postId) {
    PINHOLE_TRY(requireId(postId, "post_id"));
    return enqueue("post.delete", json::serialize(json::object{{"post_id", postId}}));
}

Result<std::string> Social::follow(const std::string& accountId) {
    PINHOLE_TRY(requireId(accountId, "account_id"));
    return enqueue("follow", json::serialize(json::object{{"account_id", accountId}}));
}

Result<std::string> Social::unfollow(const std::string& accountId) {
    PINHOLE_TRY(requireId(accountId, "account_id"));
    return enqueue("unfollow", json::serialize(json::object{{"account_id", accountId}}));
}

Result<std::string> Social::approveFollowRequest(const std::string& accountId) {
    PINHOLE_TRY(requireId(accountId, "account_id"));
    return enqueue("follow_request.authorize", json::serialize(json::object{{"account_id", accountId}}));
}

Result<std::string> Social::rejectFollowRequest(const std::string& accountId) {
    PINHOLE_TRY(requireId(accountId, "account_id"));
    return enqueue("follow_request.reject", json::serialize(json::object{{"account_id", accountId}}));
}

Result<std::vector<std::string>> Social::searchLibrary(const std::string& text, int limit) {
    if (text.empty())
        return invalidArgument("text: something to search for is required");
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    auto q = m_store.db().prepare(
        "SELECT a.sha256 FROM assets a WHERE a.trashed = 0 AND (a.caption LIKE ?1 ESCAPE '\\' OR EXISTS "
        "(SELECT 1 FROM tags t WHERE t.asset_id = a.id AND t.added_hlc > t.removed_hlc AND t.label LIKE ?1 "
        "ESCAPE '\\') OR EXISTS (SELECT 1 FROM regions r WHERE r.asset_id = a.id AND r.deleted = 0 AND "
        "r.label LIKE ?1 ESCAPE '\\')) ORDER BY a.imported_at DESC, a.id DESC LIMIT ?2");
    q.bind(1, pattern).bind(2, limit);
    std::vector<std::string> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.text(0));
    }
}

namespace {
std::string urlEncode(const std::string& s) {
    char* escaped = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
    std::string out = escaped ? escaped : "";
    curl_free(escaped);
    return out;
}

// An HTTP client signed in as the store's account, and the server's base URL.
Status signedIn(store::LocalStore& store, net::HttpClient& http, std::string& base) {
    auto url = store.meta("server_url");
    auto token = store.meta("access_token");
    if (!url || !token)
        return Status(Code::Unauthenticated, "not signed in");
    base = *url;
    http.setBearer(*token);
    http.setTls({store.meta("pinned_key").value_or("")});
    return Status::ok();
}
} // namespace

Result<SearchResults> Social::search(const std::string& query, int limit) {
    if (query.empty())
        return invalidArgument("q: something to search for is required");
    if (limit < 1 || limit > 40)
        return invalidArgument("limit: 1 to 40");
    net::HttpClient http;
    std::string base;
    PINHOLE_TRY(signedIn(m_store, http, base));
    auto r =
        http.send({"GET", base + "/api/v2/search?q=" + urlEncode(query) + "&limit=" + std::to_string(limit), {}, {}});
    if (!r)
        return r.status();
    if (r->status != 200)
        return net::errorOf(*r, "searching");
    const json::object body = parseObject(r->body);
    SearchResults out;
    if (const auto* a = body.if_contains("accounts"); a && a->is_array())
        for (const auto& account : a->as_array())
            if (account.is_object())
                out.accounts.push_back(accountOf(account.as_object()));
    if (const auto* h = body.if_contains("hashtags"); h && h->is_array())
        for (const auto& tag : h->as_array())
            if (tag.is_object())
                out.hashtags.push_back(str(tag.as_object(), "name"));
    return out;
}

Result<PostThread> Social::threadOnline(const std::string& postId) {
    net::HttpClient http;
    std::string base;
    PINHOLE_TRY(signedIn(m_store, http, base));
    const std::string url = base + "/api/v1/statuses/" + urlEncode(postId);
    auto post = http.send({"GET", url, {}, {}});
    if (!post)
        return post.status();
    if (post->status != 200)
        return net::errorOf(*post, "reading post " + postId);
    auto context = http.send({"GET", url + "/context", {}, {}});
    if (!context)
        return context.status();
    if (context->status != 200)
        return net::errorOf(*context, "reading the comments of post " + postId);
    PostThread t;
    t.post = postOf(parseObject(post->body));
    if (t.post.id.empty())
        return Status(Code::Internal, "reading post " + postId + ": the server's answer is not a post");
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto p = pending();
    if (!p)
        return p.status();
    p->layLike(t.post);
    const json::object body = parseObject(context->body);
    if (const auto* descendants = body.if_contains("descendants"); descendants && descendants->is_array())
        for (const auto& d : descendants->as_array()) {
            if (!d.is_object())
                continue;
            SocialPost c = postOf(d.as_object());
            if (c.postId != postId || p->deletedComments.count(c.id))
                continue; // a reply to a comment, or one being deleted
            p->layLike(c);
            t.comments.push_back(std::move(c));
        }
    PINHOLE_TRY(layWaitingComments(t, *p));
    return t;
}

Result<FeedPage> Social::hashtagPosts(const std::string& hashtag, const std::string& cursor, int limit) {
    if (hashtag.empty())
        return invalidArgument("hashtag: a name is required");
    if (limit < 1 || limit > 40)
        return invalidArgument("limit: 1 to 40");
    net::HttpClient http;
    std::string base;
    PINHOLE_TRY(signedIn(m_store, http, base));
    std::string url = base + "/api/v1/timelines/tag/" + urlEncode(hashtag) + "?limit=" + std::to_string(limit);
    if (!cursor.empty())
        url += "&max_id=" + urlEncode(cursor);
    auto r = http.send({"GET", url, {}, {}});
    if (!r)
        return r.status();
    if (r->status != 200)
        return net::errorOf(*r, "reading #" + hashtag);
    boost::system::error_code ec;
    const json::value body = json::parse(r->body, ec);
    if (ec || !body.is_array())
        return Status(Code::Internal, "reading #" + hashtag + ": the server's answer is not a list of posts");
    FeedPage page;
    for (const auto& status : body.as_array())
        if (status.is_object())
            page.posts.push_back(postOf(status.as_object()));
    if (static_cast<int>(page.posts.size()) == limit)
        page.nextCursor = page.posts.back().id;
    return page;
}

namespace {
// The local file of the library photo `sha256` (any place it was imported from that still holds
// it) and its bytes, for an avatar upload.
Result<std::string> avatarBytes(store::LocalStore& store, const std::string& sha256) {
    auto q = store.db().prepare(
        "SELECT f.path FROM asset_files f JOIN assets a ON a.id = f.asset_id WHERE a.sha256 = ? ORDER BY f.path");
    q.bind(1, sha256);
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return notFound("avatar: no local file of that photo (it is not in the library, or its files moved)");
        const std::string path = q.text(0);
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec)
            continue;
        if (size > Social::kMaxAvatarBytes)
            return Status(Code::Unprocessable, "avatar: the photo is " + std::to_string(size / (1024 * 1024)) +
                                                   " MiB; an avatar may be at most " +
                                                   std::to_string(Social::kMaxAvatarBytes / (1024 * 1024)) + " MiB");
        std::ifstream in(path, std::ios::binary);
        std::string bytes(size, '\0');
        if (in.read(bytes.data(), static_cast<std::streamsize>(size)))
            return bytes;
    }
}

// A multipart/form-data body of text fields and at most one file (RFC 7578).
std::string multipartBody(const std::string& boundary, const std::vector<std::pair<std::string, std::string>>& fields,
                          const std::optional<std::pair<std::string, std::string>>& file) {
    std::string out;
    for (const auto& [name, value] : fields)
        out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    if (file)
        out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file->first +
               "\"; filename=\"avatar\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file->second + "\r\n";
    return out + "--" + boundary + "--\r\n";
}
} // namespace

Result<SocialAccount> Social::updateProfile(const ProfileEdit& edit) {
    std::vector<std::pair<std::string, std::string>> fields;
    if (edit.displayName)
        fields.emplace_back("display_name", *edit.displayName);
    if (edit.bio)
        fields.emplace_back("note", *edit.bio);
    if (edit.locked)
        fields.emplace_back("locked", *edit.locked ? "true" : "false");
    std::optional<std::pair<std::string, std::string>> avatar;
    if (edit.avatarSha256) {
        auto bytes = avatarBytes(m_store, *edit.avatarSha256);
        if (!bytes)
            return bytes.status();
        avatar.emplace("avatar", std::move(bytes).value());
    }
    if (fields.empty() && !avatar)
        return invalidArgument("nothing to change: set a display name, a bio, locked or an avatar");
    net::HttpClient http;
    std::string base;
    PINHOLE_TRY(signedIn(m_store, http, base));
    // Multipart, as Mastodon clients send it: the one form that carries text and an image.
    const std::string boundary = "pinhole-" + randomUuid();
    auto r = http.send({"PATCH",
                        base + "/api/v1/accounts/update_credentials",
                        {{"Content-Type", "multipart/form-data; boundary=" + boundary}},
                        multipartBody(boundary, fields, avatar)});
    if (!r)
        return r.status();
    if (r->status != 200)
        return net::errorOf(*r, "updating the profile");
    return accountOf(parseObject(r->body));
}

} // namespace pinhole::sync
