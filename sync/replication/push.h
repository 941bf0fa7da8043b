// The push loop: sends the outbox to POST /api/pinhole/v1/sync/ops in batches, in outbox order,
// and records each operation's answer (docs/protocol.md §3, §5):
//   applied / already_applied  -> Applied
//   conflict                   -> the conflict rules applied locally (§4), then Applied
//   refused                    -> Parked with the server's reason; the rest continues
//   429                        -> the whole batch waits max(backoff, Retry-After)
//   5xx                        -> the whole batch waits an exponential backoff with jitter
//   no answer                  -> nothing counted; the batch is sent again next time (the
//                                 server remembers op ids, so that is safe)
//   400/413/422 on a batch     -> sent again one operation a time; a single one is parked
// An operation naming an asset by SHA-256 waits (without counting an attempt) until the upload
// has given the asset its server id — and, for a post, until the server has processed it; it
// is parked if the upload itself was parked. Later operations never overtake a waiting one.
//
// Threading: one Pusher per thread, with its own store connection and HTTP client.
#pragma once

#include "core/log.h"
#include "core/status.h"
#include "net/http.h"
#include "outbox/outbox.h"
#include "store/localstore.h"

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace pinhole::sync {

struct PushReport {
    int requests = 0;
    int applied = 0;   // applied or already applied
    int conflicts = 0; // resolved by the server's state
    int parked = 0;
    bool waiting = false; // something waits for an upload, processing or a retry time
};

class Pusher {
public:
    static constexpr int kBatchSize = 100;
    // How long an operation waits for its photo's processing before it is looked at again.
    static constexpr std::uint64_t kProcessingWaitMs = 500;

    Pusher(store::LocalStore& store, net::HttpClient& http, std::string baseUrl, LogSink log = {})
        : m_store(store), m_http(http), m_base(std::move(baseUrl)), m_log(std::move(log)) {}

    // Sends everything due. Stops with Unavailable (no answer), Unauthenticated (401),
    // NotFound (404: the server has no sync endpoint) or the local store's error.
    Result<PushReport> run(std::uint64_t now);

private:
    enum class Prepared { Ready, Wait, Park };
    Result<Prepared> prepare(const Operation& op, boost::json::object& wire, std::string& reason);
    Result<std::optional<std::string>> serverIdOf(const std::string& sha256, std::string& uploadReason);
    Result<std::string> assetState(const std::string& serverId);
    Status resolveConflict(const Operation& op, const boost::json::value& current);

    store::LocalStore& m_store;
    net::HttpClient& m_http;
    std::string m_base;
    LogSink m_log;
};

} // namespace pinhole::sync
