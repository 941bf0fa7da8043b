// The social side of the local store, below the app's feed, post, profile and notification
// pages: reads of the mirror (what the change stream sent: posts, comments, accounts,
// relationships, likes, notifications) as plain structs, and the user's social actions, each
// queued in the outbox in ONE transaction so the UI never waits on the network.
//
// Pending state is not stored twice: every read lays the operations still waiting in the
// outbox (queued or sending) over the mirror, so a like, a comment, a follow shows at once.
// When its operation leaves the queue:
//   applied   the stream brings the server's state into the mirror (the engine pulls right
//             after pushing), which is what the read shows from then on; an op applied less
//             than kSettleMillis before the last pull is still laid over (not as pending), as
//             the stream may lag the answer by a moment;
//   refused   the operation is parked, no longer laid over: the read is reverted by itself, and
//             the reason stays on the parked operation (refusals(); Engine::retryOperation /
//             discardOperation decide what happens to it).
// Worked example: the mirror says post 7 has 3 likes, not favourited; like("7") queues a `like`
// op; feed() shows 4 likes, favourited, pendingLike. If the server applies it the next pull
// re-sends post 7 with 4 and favourited; if it refuses ("status not found") the op is parked
// and feed() shows 3 again, and refusals() lists it with that reason.
//
// Threading: as Library — use from the thread that holds the store (the engine's owner
// thread). The online helpers (search, updateProfile) block on the network: call them off the
// GUI thread.
#pragma once

#include "core/hlc.h"
#include "core/status.h"
#include "store/localstore.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::sync {

struct SocialAccount {
    std::string id;
    std::string username;
    std::string displayName;
    std::string note; // the bio, HTML as the server sends it
    std::string avatarUrl;
    bool locked = false;
    std::int64_t followers = 0, following = 0, posts = 0;
};

struct SocialMedia {
    std::string id;
    std::string url;        // the `large` derivative; empty while the server processes it
    std::string previewUrl; // the `thumb`
    std::string description;
    int width = 0, height = 0;
    std::string sha256; // a pending post's photo in the local library (no server URLs yet)
};

// A post or a comment (a Mastodon status), with what is pending laid over.
struct SocialPost {
    std::string id;     // the server's; for a pending post or comment, "op:<op id>"
    std::string postId; // for a comment: the post it answers; empty for a post
    SocialAccount author;
    std::string createdAt; // ISO 8601 as the server wrote it (empty for a pending comment)
    std::string text;      // the caption as written
    std::string content;   // the caption as HTML (hashtags as links)
    std::vector<std::string> hashtags;
    std::string visibility;
    std::vector<SocialMedia> media;
    std::int64_t likes = 0, comments = 0;
    bool likedByMe = false;
    bool pending = false;     // a post or comment not yet answered by the server
    bool pendingLike = false; // a like or unlike of it waits in the outbox
};

struct FeedPage {
    std::vector<SocialPost> posts; // newest first
    // Pass to the next call for the next (older) page; empty when there is none.
    std::string nextCursor;
};

struct PostThread {
    SocialPost post;
    std::vector<SocialPost> comments; // oldest first; pending ones last
};

// The relationship from the user to an account (Mastodon's), with pending follow ops laid over.
struct SocialRelationship {
    bool following = false;
    bool followedBy = false;
    bool requested = false;   // the user asked to follow a locked account
    bool requestedBy = false; // the account asks to follow the user
    bool blocking = false;
    bool blockedBy = false;
    bool pending = false; // a follow, unfollow or answer to a request waits in the outbox
};

struct Profile {
    SocialAccount account;
    std::optional<SocialRelationship> relationship; // none for the user's own profile
    bool isMe = false;
    std::vector<SocialPost> posts; // the account's posts in the mirror, newest first
};

struct Notification {
    std::string id;
    std::string type;           // follow, follow_request, favourite, mention (a comment)
    std::int64_t createdAt = 0; // Unix ms
    SocialAccount from;
    std::string statusId; // favourite, mention: the status it is about
    bool unread = false;
    // follow_request: the request still waits for an answer (neither answered on the server
    // nor by a pending op), so the UI offers approve / reject.
    bool actionable = false;
};

// An action the server refused: parked in the outbox, no longer shown.
struct Refusal {
    std::string opId;
    std::string kind;   // like, comment.create, follow, ...
    std::string target; // the id the action was about (status, post, comment or account)
    std::string text;   // a refused comment's text, so it is not lost
    std::string reason;
    std::uint64_t at = 0; // Unix ms it was refused
};

// Online results of /api/v2/search.
struct SearchResults {
    std::vector<SocialAccount> accounts;
    std::vector<std::string> hashtags; // names, without '#'
};

struct ProfileEdit {
    std::optional<std::string> displayName;
    std::optional<std::string> bio;
    std::optional<bool> locked;
    std::optional<std::string> avatarSha256; // a photo of the local library
};

class Social {
public:
    static constexpr int kDefaultPageSize = 20;
    // The stream serves a change once the server's counters have taken it in, milliseconds after
    // it was made: a pull ending this soon after an op was applied may not show it yet, so such
    // ops are still laid over (until a later pull), lest the UI flicker back.
    static constexpr std::int64_t kSettleMillis = 2000;
    // The largest photo updateProfile sends as an avatar: the server's bound on an avatar upload
    // (server/media/derivatives.h kMaxAvatarBytes), checked here so a bigger one fails at once.
    static constexpr std::uintmax_t kMaxAvatarBytes = 8ull * 1024 * 1024;

    Social(store::LocalStore& store, HybridLogicalClock& clock) : m_store(store), m_clock(clock) {}

    // --- reads (offline) ---
    // The home feed: the user's posts and those of accounts followed, newest first, `limit`
    // after `cursor` (empty: from the newest). The first page also begins with the user's posts
    // still waiting in the outbox (Library::post), newest first, beyond `limit`.
    Result<FeedPage> feed(const std::string& cursor = {}, int limit = kDefaultPageSize);
    // NotFound if the post is not in the mirror (or deleted by a pending op). A pending post
    // ("op:<op id>") has no comments yet.
    Result<PostThread> thread(const std::string& postId);
    Result<Profile> profile(const std::string& accountId);
    Result<std::optional<SocialAccount>> me();
    // The user's followers and the accounts the user follows, as far as the mirror has their
    // relationships (other accounts' lists are not mirrored).
    Result<std::vector<SocialAccount>> followers();
    Result<std::vector<SocialAccount>> following();
    // Accounts asking to follow the user and not yet answered (here or on the server): what the
    // notifications page offers to approve or reject, also for requests older than the first
    // sync (a snapshot brings relationships, not notifications).
    Result<std::vector<SocialAccount>> followRequests();
    // Feed posts newer than the mark markFeedSeen() left (all of them if it never ran).
    Result<int> newPostCount();
    // Marks the feed seen up to its newest post.
    Status markFeedSeen();

    Result<std::vector<Notification>> notifications(int limit = 50);
    Result<int> unreadNotificationCount();
    // Marks every notification received so far read.
    Status markNotificationsRead();

    // The last `limit` refused social actions (posts included), newest first.
    Result<std::vector<Refusal>> refusals(int limit = 20);

    // --- actions: local at once, queued for the server; each returns its op id ---
    Result<std::string> like(const std::string& statusId);
    Result<std::string> unlike(const std::string& statusId);
    Result<std::string> comment(const std::string& postId, const std::string& text);
    // A comment of the user's: a server id, or "op:<op id>" of a pending one (which is then
    // discarded from the outbox, never sent).
    Result<std::string> deleteComment(const std::string& commentId);
    Result<std::string> deletePost(const std::string& postId);
    Result<std::string> follow(const std::string& accountId);
    Result<std::string> unfollow(const std::string& accountId);
    Result<std::string> approveFollowRequest(const std::string& accountId);
    Result<std::string> rejectFollowRequest(const std::string& accountId);

    // --- local library search (offline) ---
    // SHA-256s of the library's photos whose tags, caption or region names (a person or thing
    // drawn on the photo) contain `text` (case-insensitive), newest import first.
    Result<std::vector<std::string>> searchLibrary(const std::string& text, int limit = 200);

    // --- online helpers (block on the network) ---
    Result<SearchResults> search(const std::string& query, int limit = 20);
    // The posts with `hashtag` (without '#') that the server shows this account, newest first
    // (GET /api/v1/timelines/tag/:tag: everyone's public posts, not only the feed's), older than
    // `cursor` when given; nextCursor is set while there may be more.
    Result<FeedPage> hashtagPosts(const std::string& hashtag, const std::string& cursor = {},
                                  int limit = kDefaultPageSize);
    // PATCH /api/v1/accounts/update_credentials (multipart); the avatar is uploaded from the
    // local file of that photo (NotFound without one; Unprocessable above kMaxAvatarBytes), and
    // the server makes it square. Returns the account as the server now has it.
    Result<SocialAccount> updateProfile(const ProfileEdit& edit);
    // thread() for a post not in the local store (someone's not followed, from a hashtag's page):
    // the post and its comments as the server has them (GET /api/v1/statuses/:id and /context),
    // with the user's waiting likes and comments laid over. NotFound if the server has no such
    // post the user may see.
    Result<PostThread> threadOnline(const std::string& postId);

private:
    struct Pending; // the outbox's waiting social ops, by target
    Result<Pending> pending();
    // Adds the user's comments on t.post still in the outbox (or settling) to t.comments.
    Status layWaitingComments(PostThread& t, const Pending& pending);
    Status settle(Pending& p, const std::string& kind, const boost::json::object& payload, const std::string& id);
    Result<std::optional<std::string>> myId();
    Result<std::string> enqueue(std::string_view kind, const std::string& payload);
    Result<std::vector<SocialPost>> posts(const std::string& sqlWhere, const std::vector<std::string>& binds, int limit,
                                          const Pending& pending);

    store::LocalStore& m_store;
    HybridLogicalClock& m_clock;
};

} // namespace pinhole::sync
