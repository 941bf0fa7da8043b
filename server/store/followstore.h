// SQL for the follow graph: follows, follow requests and blocks. Callers pass the connection and
// hold any transaction.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/page.h"

#include <cstdint>
#include <vector>

namespace pinhole::server::store {

enum class Edge { Follow, FollowRequest, Block };

// Whether `from` follows / has requested to follow / blocks `to`.
Result<bool> hasEdge(Database& db, Edge edge, Id from, Id to);
// Of `others`, those `from` has the edge to (outgoing) or that have the edge to `from` (incoming):
// the ties of one viewer with a page's authors in one query per kind of edge.
Result<std::vector<Id>> edgesAmong(Database& db, Edge edge, Id from, const std::vector<Id>& others, bool incoming);
// Conflict-free: false if the edge existed already. `id` orders lists of the edge.
Result<bool> insertEdge(Database& db, Edge edge, Id from, Id to, Id id, std::int64_t now);
// False if there was no such edge.
Result<bool> deleteEdge(Database& db, Edge edge, Id from, Id to);

// One entry of a list of edges: the edge's id (the page cursor) and the account at its far end.
struct EdgeEntry {
    Id id = 0;
    Id accountId = 0;
};
// Edges pointing at `to` (followers, requests received, ...), or starting at `from`.
Result<std::vector<EdgeEntry>> edgesTo(Database& db, Edge edge, Id to, const Page& page);
Result<std::vector<EdgeEntry>> edgesFrom(Database& db, Edge edge, Id from, const Page& page);

// Every follower of `account` (for fan-out) and every account it follows.
Result<std::vector<Id>> followerIds(Database& db, Id account);
Result<std::vector<Id>> followeeIds(Database& db, Id account);

} // namespace pinhole::server::store
