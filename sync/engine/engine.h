// The sync engine: the one object an app or pinhole-cli holds. It owns the local store, the
// library (local edits, which never wait on the network), and runs sync rounds — uploads,
// then pull, then push, then pull again for the answers — once (syncOnce) or continuously on
// a worker thread (startWatching).
//
// Threading rules:
// - The owner thread (the GUI thread, or the CLI's main) calls login, library(), status()
//   and the parked-item decisions. library() must only be used from that one thread.
// - A sync round runs on its own store connection and HTTP client: syncOnce() on the calling
//   thread, or the watcher's thread after startWatching(). Rounds never overlap (a mutex).
//   SQLite (WAL) lets both connections work at once; every write is one short transaction.
// - Change callbacks (onChange) are called on the thread running the round, with no engine
//   lock held. A Qt app queues them onto its GUI thread (QMetaObject::invokeMethod with
//   Qt::QueuedConnection) and re-reads what it shows there. A callback must not block long or
//   call syncOnce.
// - The log sink is called from both threads (see core/log.h).
#pragma once

#include "core/hlc.h"
#include "core/log.h"
#include "core/status.h"
#include "library/library.h"
#include "media/mediacache.h"
#include "net/http.h"
#include "outbox/outbox.h"
#include "replication/pull.h"
#include "replication/push.h"
#include "social/social.h"
#include "store/localstore.h"
#include "upload/uploader.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pinhole::sync {

// What a round changed, for callbacks. Media: the media cache fetched pinned albums' files.
enum class Change { Uploads, Mirror, Outbox, Media };

struct SyncReport {
    UploadReport uploads;
    PullReport pull;
    PushReport push;
};

struct ParkedUpload {
    std::string sha256;
    std::string reason;
};

struct EngineStatus {
    std::optional<std::string> serverUrl, username, cursor;
    std::optional<std::uint64_t> lastSyncAt; // Unix ms of the last committed pull page
    OutboxCounts operations;
    int uploadsPending = 0; // pending or under way
    int uploadsDone = 0;
    std::vector<Operation> parkedOperations;
    std::vector<ParkedUpload> parkedUploads;
    int assets = 0;
};

class Engine {
public:
    // Opens (creating) the store at `storePath`; returns sending operations of a process that
    // died to the queue.
    static Result<std::unique_ptr<Engine>> open(const std::string& storePath, LogSink log = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // The server's key to pin for `url` if its certificate does not verify against the system
    // CAs (a self-signed server); nullopt if it does (or it is plain http).
    Result<std::optional<net::ServerKey>> untrustedServerKey(const std::string& url);
    // Signs in (OAuth password grant) and stores the server, user, token and pinned key.
    Status login(const std::string& url, const std::string& username, const std::string& password,
                 const std::string& pinnedKey = {});
    bool isLoggedIn();
    // Points the account at another address of the same server (tests restart it elsewhere).
    Status setServerUrl(const std::string& url);

    Library& library() { return m_library; }
    // Feed, posts, profiles, notifications and social actions; same thread rule as library().
    Social& social() { return m_social; }

    // One round: uploads, pull, push, pull. Returns the first failure that stopped it
    // (Unavailable when the server is unreachable: everything stays queued).
    Result<SyncReport> syncOnce();
    // Rounds on a worker thread: after `intervalMs`, or at once after nudge(); after a failure
    // the next round waits an exponential backoff with jitter.
    void startWatching(int intervalMs = 30'000);
    void stopWatching();
    void nudge();

    void onChange(std::function<void(Change)> callback) { m_onChange = std::move(callback); }
    void setUploadChunkSize(std::int64_t bytes) { m_chunkSize = bytes; }
    void onUploadProgress(std::function<void(const UploadProgress&)> fn) { m_uploadProgress = std::move(fn); }

    Result<EngineStatus> status();
    Status retryOperation(const std::string& opId);
    Status discardOperation(const std::string& opId);
    Status retryUpload(const std::string& sha256);

    store::LocalStore& store() { return *m_store; }

    // The media cache (thread-safe, see media/mediacache.h); shared so that image loaders on
    // other threads may hold it. Each round ends by fetching what pinned albums lack.
    const std::shared_ptr<MediaCache>& media() const { return m_media; }

private:
    Engine(std::unique_ptr<store::LocalStore> store, std::unique_ptr<store::LocalStore> syncStore,
           std::shared_ptr<MediaCache> media, LogSink log);
    Status configure(net::HttpClient& http, store::LocalStore& store, std::string& baseUrl);
    void notify(Change change);
    void watchLoop(int intervalMs);

    LogSink m_log;
    std::unique_ptr<store::LocalStore> m_store;     // owner thread
    std::unique_ptr<store::LocalStore> m_syncStore; // the thread running a round
    std::shared_ptr<MediaCache> m_media;            // any thread (its own connection and mutex)
    HybridLogicalClock m_clock;
    Library m_library;
    Social m_social;
    std::function<void(Change)> m_onChange;
    std::function<void(const UploadProgress&)> m_uploadProgress;
    std::int64_t m_chunkSize = Uploader::kDefaultChunkSize;

    std::mutex m_roundMutex; // one round at a time
    std::mutex m_watchMutex; // guards m_stop, m_nudged
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_nudged = false;
    std::thread m_watcher;
};

} // namespace pinhole::sync
