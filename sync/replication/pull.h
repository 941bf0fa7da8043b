// The pull loop: reads the change stream (docs/protocol.md §2) page by page and applies each
// page and its end cursor in ONE local transaction, so the cursor never moves past a change
// that is not committed, and a page fetched twice (after a crash or a cut) changes nothing the
// second time (every upsert carries the entity's whole state). A page cut off before its `end`
// line is discarded whole.
//
// What a change does locally: an `asset` fills in the server id of the local asset with that
// SHA-256 (or adds a remote-only one) and its caption, unless a local caption edit is still
// unsent (the push decides that by HLC, §4); a deleted asset goes to trash; everything else is
// mirrored as the server sent it (table `mirror`), tombstones delete, and an unfollow drops
// that account's posts. An `album` (its name and members in order) and an `annotation` (a tag,
// rating or region) update the library tables; an unsent local edit of the same thing keeps its
// local state (and unsent album membership ops are replayed on top of the server's order) until
// the push has sent it; a tag's upsert first removes the label the same annotation had (a rename).
// A `reset` line drops the mirror (never the outbox, uploads or the local library) in the same
// transaction as its page; the snapshot refills it, and the page that completes the snapshot
// (`snapshot_complete`) sweeps from the library what the server no longer has (mark and sweep,
// docs/protocol.md §2.2).
//
// Threading: one Puller per thread, with its own store connection and HTTP client.
#pragma once

#include "core/log.h"
#include "core/status.h"
#include "net/http.h"
#include "store/localstore.h"

#include <boost/json/value.hpp>

#include <functional>
#include <string>

namespace pinhole::sync {

// Applies one change as the stream sends it (`data` null: a tombstone), inside the caller's
// transaction. The push uses it for the server state a conflict answer carries.
Status applyServerChange(store::Database& db, const std::string& kind, const std::string& id,
                         const boost::json::value* data, const LogSink& log = {});

struct PullReport {
    int requests = 0;
    int changes = 0;
    int resets = 0;
};

class Puller {
public:
    static constexpr int kDefaultPageSize = 500;

    Puller(store::LocalStore& store, net::HttpClient& http, std::string baseUrl, LogSink log = {})
        : m_store(store), m_http(http), m_base(std::move(baseUrl)), m_log(std::move(log)) {}

    void setPageSize(int limit) { m_limit = limit; }
    // Called after each committed page (for change callbacks), on the pulling thread.
    void onPage(std::function<void(int changes)> fn) { m_onPage = std::move(fn); }

    // Pulls until the server says there is no more. Stops with the request's Status on a
    // network failure or an error answer; pages committed before stay committed.
    Result<PullReport> run();

    // Applies one page of the stream (the body as received) in one transaction. Exposed for
    // tests; run() calls it.
    Result<bool> applyPage(const std::string& body, PullReport& report); // -> more

private:
    store::LocalStore& m_store;
    net::HttpClient& m_http;
    std::string m_base;
    LogSink m_log;
    int m_limit = kDefaultPageSize;
    std::function<void(int)> m_onPage;
};

} // namespace pinhole::sync
