// Follows, follow requests and blocks. Every change and its events are written in one
// transaction; the event log's consumers (feeds, counters, notifications) follow.
// Threading: stateless; callable from any handler thread.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "social/eventlog.h"
#include "social/paged.h"
#include "store/accountstore.h"
#include "store/followstore.h"
#include "store/page.h"
#include "store/store.h"

#include <optional>
#include <vector>

namespace pinhole::server::social {

// Mastodon's Relationship, from the viewer's side.
struct Relationship {
    Id id = 0;
    bool following = false;
    bool followedBy = false;
    bool requested = false;   // the viewer asked to follow; waiting
    bool requestedBy = false; // the account asked to follow the viewer
    bool blocking = false;
    bool blockedBy = false;
};

class FollowService {
public:
    FollowService(store::Store& store, EventLog& events) : m_store(store), m_events(events) {}

    // Follows an open account, or asks to follow a locked one. Following oneself is refused
    // (Unprocessable), an account in a block with the viewer too (PermissionDenied).
    // `also` joins the change's transaction (subject: `target`), e.g. sync/ recording its op id.
    Result<Relationship> follow(Id viewer, Id target) { return follow(viewer, target, {}); }
    Result<Relationship> follow(Id viewer, Id target, const store::AlsoInTransaction& also);
    // Ends a follow, or withdraws a request.
    Result<Relationship> unfollow(Id viewer, Id target) { return unfollow(viewer, target, {}); }
    Result<Relationship> unfollow(Id viewer, Id target, const store::AlsoInTransaction& also);
    // Ends the follows and requests both ways, then blocks.
    Result<Relationship> block(Id viewer, Id target);
    Result<Relationship> unblock(Id viewer, Id target);
    // The owner of a locked account answers `requester`'s request (NotFound if there is none).
    // `also` joins the answer's transaction (subject: `requester`), as for follow().
    Result<Relationship> authorize(Id owner, Id requester) { return authorize(owner, requester, {}); }
    Result<Relationship> authorize(Id owner, Id requester, const store::AlsoInTransaction& also);
    Result<Relationship> reject(Id owner, Id requester) { return reject(owner, requester, {}); }
    Result<Relationship> reject(Id owner, Id requester, const store::AlsoInTransaction& also);

    // Unknown ids are left out.
    Result<std::vector<Relationship>> relationships(Id viewer, const std::vector<Id>& ids);

    // The lists; NotFound for an unknown account, empty for a viewer who may not see them.
    Result<Paged<store::Account>> followers(std::optional<Id> viewer, Id account, const store::Page& page);
    Result<Paged<store::Account>> following(std::optional<Id> viewer, Id account, const store::Page& page);
    Result<Paged<store::Account>> followRequests(Id owner, const store::Page& page);
    Result<Paged<store::Account>> blocks(Id owner, const store::Page& page);

private:
    Result<Paged<store::Account>> list(std::optional<Id> viewer, Id account, const store::Page& page, bool followers);
    Result<Paged<store::Account>> accountsOf(store::Database& db, const std::vector<store::EdgeEntry>& edges);

    store::Store& m_store;
    EventLog& m_events;
};

Result<Relationship> relationshipOf(store::Database& db, Id viewer, Id account);

} // namespace pinhole::server::social
