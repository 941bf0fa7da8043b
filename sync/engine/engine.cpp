#include "engine/engine.h"

#include "core/digest.h"
#include "net/accounts.h"

#include <boost/json.hpp>

#include <chrono>

namespace json = boost::json;

namespace pinhole::sync {

namespace {
std::string trimSlash(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

std::string field(const json::value& v, const char* key) {
    if (!v.is_object())
        return {};
    const auto* f = v.as_object().if_contains(key);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
}
} // namespace

Result<std::unique_ptr<Engine>> Engine::open(const std::string& storePath, LogSink log) {
    auto store = store::LocalStore::open(storePath, log);
    if (!store)
        return store.status();
    auto syncStore = store::LocalStore::open(storePath, log);
    if (!syncStore)
        return syncStore.status();
    auto media = MediaCache::open(storePath, log);
    if (!media)
        return media.status();
    auto recovered = Outbox((*store)->db()).recoverInterrupted(wallMillis());
    if (!recovered)
        return recovered.status();
    std::unique_ptr<Engine> engine(
        new Engine(std::move(*store), std::move(*syncStore), std::move(*media), std::move(log)));
    if (auto last = engine->m_store->meta("hlc"))
        engine->m_clock.restore(std::stoull(*last));
    return engine;
}

Engine::Engine(std::unique_ptr<store::LocalStore> store, std::unique_ptr<store::LocalStore> syncStore,
               std::shared_ptr<MediaCache> media, LogSink log)
    : m_log(std::move(log)), m_store(std::move(store)), m_syncStore(std::move(syncStore)), m_media(std::move(media)),
      m_clock(wallMillis), m_library(*m_store, m_clock), m_social(*m_store, m_clock) {}

Engine::~Engine() {
    stopWatching();
}

Result<std::optional<net::ServerKey>> Engine::untrustedServerKey(const std::string& url) {
    if (url.rfind("https://", 0) != 0)
        return std::optional<net::ServerKey>();
    net::HttpClient http;
    auto r = http.send({"GET", trimSlash(url) + "/api/v1/instance", {}, {}});
    if (r || r.status().code() != Code::Untrusted)
        return std::optional<net::ServerKey>();
    auto key = net::fetchServerKey(url);
    if (!key)
        return key.status();
    return std::optional<net::ServerKey>(*key);
}

Status Engine::login(const std::string& url, const std::string& username, const std::string& password,
                     const std::string& pinnedKey) {
    const std::string base = trimSlash(url);
    net::HttpClient http;
    http.setTls({pinnedKey});
    auto app = http.send({"POST",
                          base + "/api/v1/apps",
                          {{"Content-Type", "application/json"}},
                          json::serialize(json::object{{"client_name", "pinhole-sync"},
                                                       {"redirect_uris", "urn:ietf:wg:oauth:2.0:oob"},
                                                       {"scopes", "read write follow"}})});
    if (!app)
        return app.status();
    if (app->status != 200)
        return net::errorOf(*app, "registering the app");
    const auto appJson = json::parse(app->body);
    auto token = http.send({"POST",
                            base + "/oauth/token",
                            {{"Content-Type", "application/json"}},
                            json::serialize(json::object{{"grant_type", "password"},
                                                         {"username", username},
                                                         {"password", password},
                                                         {"client_id", field(appJson, "client_id")},
                                                         {"client_secret", field(appJson, "client_secret")},
                                                         {"scope", "read write follow"}})});
    if (!token)
        return token.status();
    if (token->status == 400 || token->status == 401) // OAuth answers invalid_grant with 400
        return Status(Code::Unauthenticated, net::errorOf(*token, "signing in as " + username).message());
    if (token->status != 200)
        return net::errorOf(*token, "signing in");
    boost::system::error_code ec;
    const auto tokenJson = json::parse(token->body, ec);
    const std::string accessToken = ec ? std::string() : field(tokenJson, "access_token");
    if (accessToken.empty())
        return Status(Code::Unavailable, "signing in: the answer has no access_token");

    store::Transaction tx(m_store->db());
    PINHOLE_TRY(tx.status());
    // Another server or account: its mirror and cursor mean nothing here.
    const bool sameAccount = m_store->meta("server_url") == base && m_store->meta("username") == username;
    if (!sameAccount) {
        PINHOLE_TRY(m_store->eraseMeta("cursor"));
        PINHOLE_TRY(m_store->db().exec("DELETE FROM mirror"));
    }
    PINHOLE_TRY(m_store->setMeta("server_url", base));
    PINHOLE_TRY(m_store->setMeta("username", username));
    PINHOLE_TRY(m_store->setMeta("access_token", accessToken));
    PINHOLE_TRY(pinnedKey.empty() ? m_store->eraseMeta("pinned_key") : m_store->setMeta("pinned_key", pinnedKey));
    return tx.commit();
}

bool Engine::isLoggedIn() {
    return m_store->meta("access_token").has_value() && m_store->meta("server_url").has_value();
}

Status Engine::setServerUrl(const std::string& url) {
    return m_store->setMeta("server_url", trimSlash(url));
}

Status Engine::configure(net::HttpClient& http, store::LocalStore& store, std::string& baseUrl) {
    auto base = net::useSignedInAccount(http, store);
    if (!base)
        return base.status();
    baseUrl = *base;
    return Status::ok();
}

void Engine::notify(Change change) {
    if (m_onChange)
        m_onChange(change);
}

Result<SyncReport> Engine::syncOnce() {
    std::lock_guard round(m_roundMutex);
    net::HttpClient http;
    std::string base;
    PINHOLE_TRY(configure(http, *m_syncStore, base));
    SyncReport report;

    Uploader uploader(*m_syncStore, http, base, m_log);
    uploader.setChunkSize(m_chunkSize);
    if (m_uploadProgress)
        uploader.onProgress(m_uploadProgress);
    auto uploads = uploader.run(wallMillis());
    if (!uploads)
        return uploads.status();
    report.uploads = *uploads;
    if (uploads->uploaded || uploads->alreadyKnown || uploads->parked)
        notify(Change::Uploads);

    Puller puller(*m_syncStore, http, base, m_log);
    puller.onPage([this](int changes) {
        if (changes > 0)
            notify(Change::Mirror);
    });
    auto pulled = puller.run();
    if (!pulled)
        return pulled.status();
    report.pull = *pulled;

    Pusher pusher(*m_syncStore, http, base, m_log);
    auto pushed = pusher.run(wallMillis());
    if (!pushed)
        return pushed.status();
    report.push = *pushed;
    if (pushed->applied || pushed->conflicts || pushed->parked) {
        notify(Change::Outbox);
        // The answers' effects (a post's id, a like's counter) come back through the stream.
        auto again = puller.run();
        if (!again)
            return again.status();
        report.pull.requests += again->requests;
        report.pull.changes += again->changes;
        report.pull.resets += again->resets;
    }
    // Last, so that edits and uploads never wait for a pinned album's originals. A failure here
    // (the server went away meanwhile) is logged and retried next round: the round's own work
    // is done.
    auto pinned = m_media->fetchPinned();
    if (!pinned)
        logTo(m_log, LogLevel::Warning, "media_pinned_failed", pinned.status().message());
    else if (*pinned > 0)
        notify(Change::Media);
    logTo(m_log, LogLevel::Info, "sync_round",
          "uploaded " + std::to_string(report.uploads.uploaded) + ", pulled " + std::to_string(report.pull.changes) +
              ", pushed " + std::to_string(report.push.applied + report.push.conflicts) + ", parked " +
              std::to_string(report.push.parked + report.uploads.parked));
    return report;
}

void Engine::startWatching(int intervalMs) {
    stopWatching();
    {
        std::lock_guard lock(m_watchMutex);
        m_stop = false;
    }
    m_watcher = std::thread([this, intervalMs] { watchLoop(intervalMs); });
}

void Engine::stopWatching() {
    {
        std::lock_guard lock(m_watchMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_watcher.joinable())
        m_watcher.join();
}

void Engine::nudge() {
    {
        std::lock_guard lock(m_watchMutex);
        m_nudged = true;
    }
    m_wake.notify_all();
}

void Engine::watchLoop(int intervalMs) {
    int failures = 0;
    for (;;) {
        auto result = syncOnce();
        std::uint64_t waitMs = static_cast<std::uint64_t>(intervalMs);
        if (!result) {
            logTo(m_log, LogLevel::Warning, "sync_failed", result.status().message());
            waitMs = backoffDelayMs(failures++, 1000);
        } else {
            failures = 0;
            if (result->push.waiting || result->uploads.uploaded > 0) // more to do soon
                waitMs = std::min<std::uint64_t>(waitMs, Pusher::kProcessingWaitMs);
        }
        std::unique_lock lock(m_watchMutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return m_stop || m_nudged; });
        if (m_stop)
            return;
        m_nudged = false;
    }
}

Result<EngineStatus> Engine::status() {
    EngineStatus s;
    auto& db = m_store->db();
    store::ReadTransaction snapshot(db);
    s.serverUrl = m_store->meta("server_url");
    s.username = m_store->meta("username");
    s.cursor = m_store->meta("cursor");
    if (auto last = m_store->meta("last_sync_at"))
        s.lastSyncAt = std::stoull(*last);
    Outbox outbox(db);
    auto counts = outbox.counts();
    if (!counts)
        return counts.status();
    s.operations = *counts;
    auto parked = outbox.list(OpState::Parked);
    if (!parked)
        return parked.status();
    s.parkedOperations = std::move(*parked);
    auto q = db.prepare(
        "SELECT u.state, a.sha256, coalesce(u.reason, '') FROM uploads u JOIN assets a ON a.id = u.asset_id");
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const std::string state = q.text(0);
        if (state == "done")
            ++s.uploadsDone;
        else if (state == "parked")
            s.parkedUploads.push_back({q.text(1), q.text(2)});
        else
            ++s.uploadsPending;
    }
    auto n = db.prepare("SELECT count(*) FROM assets");
    if (auto row = n.step(); row && *row)
        s.assets = static_cast<int>(n.int64(0));
    return s;
}

Status Engine::retryOperation(const std::string& opId) {
    return Outbox(m_store->db()).retry(opId, wallMillis());
}

Status Engine::discardOperation(const std::string& opId) {
    return Outbox(m_store->db()).discard(opId, wallMillis());
}

Status Engine::retryUpload(const std::string& sha256) {
    PINHOLE_TRY(
        m_store->db()
            .prepare("UPDATE uploads SET state = CASE WHEN location IS NULL THEN 'pending' ELSE 'uploading' END, "
                     "attempts = 0, next_attempt_at = 0 WHERE state = 'parked' AND asset_id = "
                     "(SELECT id FROM assets WHERE sha256 = ?)")
            .bind(1, sha256)
            .run());
    return m_store->db().changes() == 1 ? Status::ok() : Status(Code::NotFound, "no parked upload of " + sha256);
}

} // namespace pinhole::sync
