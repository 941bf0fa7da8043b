#include "social/visibility.h"

#include "store/followstore.h"

#include <algorithm>

namespace pinhole::server::social {

namespace {
// A comment thread deeper than this is not shown (bounds the walk up the thread).
constexpr int kMaxThreadDepth = 64;
} // namespace

bool mayViewPosts(const Ties& t, bool accountLocked) {
    if (t.self)
        return true;
    if (t.blocking || t.blockedBy)
        return false;
    return !accountLocked || t.following;
}

bool mayViewStatus(const Ties& t, bool authorLocked, store::Visibility visibility) {
    if (t.self)
        return true;
    if (!mayViewPosts(t, authorLocked))
        return false;
    return visibility != store::Visibility::Private || t.following;
}

bool mayViewFollowLists(const Ties& t, bool accountLocked, bool hidesCollections) {
    if (t.self)
        return true;
    return !hidesCollections && mayViewPosts(t, accountLocked);
}

bool mayInteract(const Ties& t) {
    return !t.blocking && !t.blockedBy;
}

Result<Ties> tiesOf(store::Database& db, std::optional<Id> viewer, Id account) {
    Ties t;
    if (!viewer)
        return t;
    if (*viewer == account) {
        t.self = true;
        return t;
    }
    using store::Edge;
    auto following = store::hasEdge(db, Edge::Follow, *viewer, account);
    auto requested = store::hasEdge(db, Edge::FollowRequest, *viewer, account);
    auto blocking = store::hasEdge(db, Edge::Block, *viewer, account);
    auto blockedBy = store::hasEdge(db, Edge::Block, account, *viewer);
    for (const auto* r : {&following, &requested, &blocking, &blockedBy})
        if (!*r)
            return r->status();
    t.following = *following;
    t.requested = *requested;
    t.blocking = *blocking;
    t.blockedBy = *blockedBy;
    return t;
}

Result<Ties> Access::ties(Id account) {
    if (auto it = m_ties.find(account); it != m_ties.end())
        return it->second;
    auto t = tiesOf(m_db, m_viewer, account);
    if (t)
        m_ties.emplace(account, *t);
    return t;
}

Result<store::Account> Access::account(Id id) {
    if (auto it = m_accounts.find(id); it != m_accounts.end())
        return it->second;
    auto a = store::accountById(m_db, id);
    if (a)
        m_accounts.emplace(id, *a);
    return a;
}

Status Access::preload(const std::vector<Id>& accounts) {
    std::vector<Id> missing;
    for (Id id : accounts)
        if (!m_accounts.contains(id) || !m_ties.contains(id))
            missing.push_back(id);
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    if (missing.empty())
        return Status::ok();
    auto rows = store::accountsByIds(m_db, missing);
    if (!rows)
        return rows.status();
    for (auto& a : *rows)
        m_accounts.emplace(a.id, std::move(a));
    // Ties as tiesOf() finds them, one query per kind of edge for all the accounts.
    std::map<Id, Ties> ties;
    for (Id id : missing)
        ties[id].self = m_viewer && *m_viewer == id;
    if (m_viewer) {
        using store::Edge;
        struct Kind {
            Edge edge;
            bool incoming;
            bool Ties::*field;
        };
        for (const Kind& k :
             {Kind{Edge::Follow, false, &Ties::following}, Kind{Edge::FollowRequest, false, &Ties::requested},
              Kind{Edge::Block, false, &Ties::blocking}, Kind{Edge::Block, true, &Ties::blockedBy}}) {
            auto ids = store::edgesAmong(m_db, k.edge, *m_viewer, missing, k.incoming);
            if (!ids)
                return ids.status();
            for (Id id : *ids)
                if (auto it = ties.find(id); it != ties.end() && !it->second.self)
                    it->second.*k.field = true;
        }
    }
    for (const auto& [id, t] : ties)
        m_ties.emplace(id, t);
    return Status::ok();
}

Result<bool> Access::mayViewPostsOf(Id id) {
    auto a = account(id);
    if (!a)
        return a.status();
    auto t = ties(id);
    if (!t)
        return t.status();
    return social::mayViewPosts(*t, a->locked);
}

Result<bool> Access::mayViewStatus(const store::StatusRow& status) {
    return mayViewStatusAt(status, 0);
}

Result<bool> Access::mayViewStatusAt(const store::StatusRow& status, int depth) {
    if (depth > kMaxThreadDepth)
        return false;
    auto a = account(status.accountId);
    if (!a)
        return a.status();
    auto t = ties(status.accountId);
    if (!t)
        return t.status();
    if (!social::mayViewStatus(*t, a->locked, status.visibility))
        return false;
    if (!status.inReplyToId)
        return true;
    auto parent = store::statusById(m_db, *status.inReplyToId);
    if (!parent) // the post was deleted under the comment: the comment goes with it
        return parent.status().code() == Code::NotFound ? Result<bool>(false) : Result<bool>(parent.status());
    return mayViewStatusAt(*parent, depth + 1);
}

Result<bool> Access::mayViewFollowLists(Id id) {
    auto a = account(id);
    if (!a)
        return a.status();
    auto t = ties(id);
    if (!t)
        return t.status();
    return social::mayViewFollowLists(*t, a->locked, a->hideCollections);
}

Result<bool> Access::mayViewAsset(const store::Asset& asset, bool original) {
    if (m_viewer && *m_viewer == asset.ownerId)
        return true;
    if (original)
        return false;
    auto statuses = store::statusesWithAsset(m_db, asset.id);
    if (!statuses)
        return statuses.status();
    for (Id id : *statuses) {
        auto status = store::statusById(m_db, id);
        if (!status) {
            if (status.status().code() == Code::NotFound)
                continue;
            return status.status();
        }
        auto may = mayViewStatus(*status);
        if (!may)
            return may.status();
        if (*may)
            return true;
    }
    return false;
}

} // namespace pinhole::server::social
