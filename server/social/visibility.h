// Who may see what: the one place for the visibility rules of the social core. The rules are pure
// functions of the facts (Ties: how a viewer stands to an account), so they are tested row by
// row; Access loads the facts for one viewer from the database, memoised for one request.
//
// The rules (Instagram's, on Mastodon's words):
//   - the owner sees everything of their own;
//   - a block, either way, hides every post, comment, like and list of each from the other;
//   - a locked account's posts and lists are seen only by its followers (a pending follow
//     request is not a follow);
//   - a private post is seen only by the author's followers; public and unlisted posts by anyone
//     (unlisted ones are only left out of the public and tag timelines and search);
//   - a comment is seen by who may see both it and the post it answers;
//   - follower/following lists: as the posts, and never by others when the account hides them;
//   - a photo's derivatives are seen by who may see a post it is in; its original by its owner.
// Home feeds rely on "a follower may see every post of who they follow" (store/feedstore.h).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/database.h"
#include "store/statusstore.h"

#include <map>
#include <optional>
#include <vector>

namespace pinhole::server::social {

// How a viewer stands to an account. An anonymous viewer has none of these.
struct Ties {
    bool self = false;
    bool following = false; // the viewer follows the account
    bool requested = false; // the viewer's follow request waits for an answer
    bool blocking = false;  // the viewer blocks the account
    bool blockedBy = false; // the account blocks the viewer
};

bool mayViewPosts(const Ties& ties, bool accountLocked);
bool mayViewStatus(const Ties& ties, bool authorLocked, store::Visibility visibility);
bool mayViewFollowLists(const Ties& ties, bool accountLocked, bool hidesCollections);
// Follow, favourite, comment: not between blocked accounts, not oneself for a follow.
bool mayInteract(const Ties& ties);

Result<Ties> tiesOf(store::Database& db, std::optional<Id> viewer, Id account);

// The rules applied for one viewer. Not thread-safe: one per request.
class Access {
public:
    Access(store::Database& db, std::optional<Id> viewer) : m_db(db), m_viewer(viewer) {}

    std::optional<Id> viewer() const { return m_viewer; }
    Result<Ties> ties(Id account);
    Result<store::Account> account(Id id);
    // Loads the accounts and ties of `accounts` not known yet in a few queries (instead of five
    // per account), so checking a page of statuses by many authors stays cheap.
    Status preload(const std::vector<Id>& accounts);

    Result<bool> mayViewPostsOf(Id account);
    // The status and, for a comment, every status above it.
    Result<bool> mayViewStatus(const store::StatusRow& status);
    Result<bool> mayViewFollowLists(Id account);
    // `original`: the original bytes (owner only) rather than a derivative.
    Result<bool> mayViewAsset(const store::Asset& asset, bool original);

private:
    Result<bool> mayViewStatusAt(const store::StatusRow& status, int depth);

    store::Database& m_db;
    std::optional<Id> m_viewer;
    std::map<Id, Ties> m_ties;
    std::map<Id, store::Account> m_accounts;
};

} // namespace pinhole::server::social
