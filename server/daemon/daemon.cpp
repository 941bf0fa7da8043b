#include "daemon/daemon.h"

#include "annotations/searchindex.h"
#include "annotations/xmpexport.h"
#include "auth/crypto.h"
#include "core/log.h"
#include "daemon/systemd.h"
#include "http/tlscert.h"
#include "social/counters.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/stat.h>

#include <filesystem>

namespace pinhole::server {

namespace {
Status ensureDataDir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return internalError("cannot create data directory " + dir + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    return Status::ok();
}

// The media processing jobs carry {"asset_id": "<id>"}.
std::string assetPayload(Id assetId) {
    return R"({"asset_id":")" + idToString(assetId) + R"("})";
}

Result<Id> assetOfPayload(const jobs::Job& job) {
    boost::system::error_code ec;
    auto value = boost::json::parse(job.payload, ec);
    const auto* object = ec ? nullptr : value.if_object();
    const auto* field = object ? object->if_contains("asset_id") : nullptr;
    if (field && field->is_string())
        if (auto id = idFromString(field->get_string()))
            return *id;
    return invalidArgument("job payload has no asset_id: " + job.payload);
}

// Registers the media processing jobs: the library enqueues them with the asset, keyed by asset
// so one asset's jobs never run at once.
Status registerMediaJobs(jobs::WorkerPool& pool, media::MediaLibrary& library) {
    for (const char* queue : {media::kExtractMetadataQueue, media::kDeriveQueue}) {
        const bool metadata = std::string_view(queue) == media::kExtractMetadataQueue;
        PINHOLE_TRY(pool.registerHandler(queue, [&library, metadata](const jobs::Job& job) -> Status {
            auto asset = assetOfPayload(job);
            if (!asset)
                return asset.status();
            if (metadata)
                return library.extractMetadata(*asset);
            Status derived = library.derive(*asset);
            if (!derived && job.attempts >= job.maxAttempts)
                (void)library.giveUp(*asset, "processing failed " + std::to_string(job.attempts) +
                                                 " times; last: " + derived.message());
            return derived;
        }));
    }
    return Status::ok();
}

// The trash's purge job carries {"asset_id": "<id>", "trashed_at": <Unix ms>}
// (library/libraryservice.h): a job of an earlier trashing does nothing.
Status registerLibraryJobs(jobs::WorkerPool& pool, library::LibraryService& library) {
    return pool.registerHandler(library::kPurgeQueue, [&library](const jobs::Job& job) -> Status {
        auto asset = assetOfPayload(job);
        if (!asset)
            return asset.status();
        boost::system::error_code ec;
        auto value = boost::json::parse(job.payload, ec);
        const auto* trashedAt = ec ? nullptr : value.as_object().if_contains("trashed_at");
        if (!trashedAt || !trashedAt->is_int64())
            return invalidArgument("purge job payload has no trashed_at: " + job.payload);
        return library.purgeIfExpired(*asset, trashedAt->as_int64());
    });
}
// The export-xmp job (annotations/xmpexport.h), enqueued by `pinholed admin export-xmp`.
Status registerAnnotationJobs(jobs::WorkerPool& pool, store::Store& store, annotations::AnnotationService& service) {
    return pool.registerHandler(annotations::kXmpExportQueue, [&store, &service](const jobs::Job& job) -> Status {
        auto request = annotations::xmpExportRequestOf(job.payload);
        if (!request)
            return request.status();
        auto done = annotations::exportAccountXmp(store, service, *request);
        return done ? Status::ok() : done.status();
    });
}
} // namespace

void addEventConsumers(social::EventLog& log, const Config& config) {
    log.addConsumer(std::make_unique<feed::FanoutConsumer>(feed::FeedOptions::of(config)));
    log.addConsumer(std::make_unique<social::CountersConsumer>());
    log.addConsumer(std::make_unique<social::NotificationsConsumer>());
    log.addConsumer(std::make_unique<annotations::SearchIndexConsumer>());
}

Result<std::unique_ptr<store::Store>> openStore(const Config& config) {
    PINHOLE_TRY(ensureDataDir(config.dataDir));
    return store::Store::open(config.databasePath());
}

Result<std::unique_ptr<Daemon>> Daemon::create(Config config) {
    PINHOLE_TRY(auth::initCrypto());
    std::unique_ptr<Daemon> d(new Daemon(std::move(config)));
    auto store = openStore(d->m_config);
    if (!store)
        return store.status();
    d->m_store = std::move(store).value();
    d->m_jobs = std::make_unique<jobs::JobQueue>(*d->m_store);
    jobs::WorkerPoolOptions workerOptions;
    workerOptions.workers = d->m_config.jobWorkers;
    workerOptions.lease = std::chrono::seconds(d->m_config.jobLeaseSeconds);
    workerOptions.nice = d->m_config.jobNice;
    d->m_jobWorkers = std::make_unique<jobs::WorkerPool>(*d->m_jobs, workerOptions);
    auto* pool = d->m_jobWorkers.get();
    d->m_media = std::make_unique<media::MediaLibrary>(
        *d->m_store, d->m_config.dataDir, [pool](store::Database& db, const std::string& queue, Id assetId) {
            jobs::EnqueueOptions options;
            options.exclusivityKey = idToString(assetId);
            auto job = pool->enqueueIn(db, queue, assetPayload(assetId), options);
            return job ? Status::ok() : job.status();
        });
    PINHOLE_TRY(d->m_media->init());
    d->m_uploads = std::make_unique<media::UploadService>(*d->m_store, *d->m_media,
                                                          std::chrono::hours(d->m_config.uploadExpiryHours));
    // Every job handler is registered here, before listen() starts the pool.
    PINHOLE_TRY(registerMediaJobs(*d->m_jobWorkers, *d->m_media));
    d->m_accounts = std::make_unique<accounts::AccountService>(*d->m_store, d->m_config);
    d->m_oauth = std::make_unique<auth::OAuthService>(*d->m_store, *d->m_accounts, d->m_config);
    d->m_events = std::make_unique<social::EventLog>(*d->m_store);
    addEventConsumers(*d->m_events, d->m_config);
    d->m_follows = std::make_unique<social::FollowService>(*d->m_store, *d->m_events);
    d->m_statuses = std::make_unique<social::StatusService>(*d->m_store, *d->m_events);
    d->m_notifications = std::make_unique<social::NotificationService>(*d->m_store, *d->m_statuses);
    d->m_homeFeed = std::make_unique<feed::HomeFeed>(*d->m_store, feed::FeedOptions::of(d->m_config));
    d->m_media->onEventsAppended([events = d->m_events.get()] { events->notify(); });
    d->m_changes = std::make_unique<sync::ChangeStream>(*d->m_store, *d->m_statuses);
    d->m_annotations = std::make_unique<annotations::AnnotationService>(*d->m_store, *d->m_events);
    PINHOLE_TRY(d->m_annotations->registerBuiltins());
    PINHOLE_TRY(registerAnnotationJobs(*d->m_jobWorkers, *d->m_store, *d->m_annotations));
    d->m_library = std::make_unique<library::LibraryService>(
        *d->m_store, *d->m_events, *d->m_statuses, d->m_config.dataDir,
        std::chrono::seconds(d->m_config.trashRetentionSeconds),
        [pool](store::Database& db, Id assetId, std::int64_t trashedAt, std::chrono::milliseconds delay) {
            jobs::EnqueueOptions options;
            options.exclusivityKey = idToString(assetId);
            options.delay = delay;
            auto payload = boost::json::serialize(
                boost::json::object{{"asset_id", idToString(assetId)}, {"trashed_at", trashedAt}});
            auto job = pool->enqueueIn(db, library::kPurgeQueue, std::move(payload), options);
            return job ? Status::ok() : job.status();
        });
    PINHOLE_TRY(registerLibraryJobs(*d->m_jobWorkers, *d->m_library));
    d->m_albums = std::make_unique<library::AlbumService>(*d->m_store, *d->m_events);
    d->m_syncOps = std::make_unique<sync::OpsService>(
        *d->m_store, *d->m_statuses, *d->m_follows, *d->m_media,
        sync::OpsService::Services{d->m_library.get(), d->m_albums.get(), d->m_annotations.get()});
    d->m_http = std::make_unique<http::HttpServer>(d->m_router, d->m_config.limits, d->m_metrics);
    d->m_api = std::make_unique<api::ApiContext>(
        api::ApiContext{d->m_config, "", *d->m_store, *d->m_accounts, *d->m_oauth, d->m_metrics, d->m_ready});
    d->m_api->jobQueue = d->m_jobs.get();
    d->m_api->media = d->m_media.get();
    d->m_api->uploads = d->m_uploads.get();
    d->m_api->follows = d->m_follows.get();
    d->m_api->statuses = d->m_statuses.get();
    d->m_api->notifications = d->m_notifications.get();
    d->m_api->homeFeed = d->m_homeFeed.get();
    d->m_statusCache = std::make_unique<api::mastodon::StatusJsonCache>(d->m_config.statusCacheMiB << 20,
                                                                        d->m_config.homePageCacheMiB << 20);
    d->m_api->statusCache = d->m_statusCache.get();
    d->m_api->changes = d->m_changes.get();
    d->m_api->syncOps = d->m_syncOps.get();
    d->m_api->annotations = d->m_annotations.get();
    d->m_api->library = d->m_library.get();
    d->m_api->albums = d->m_albums.get();
    api::registerOpsRoutes(d->m_router, *d->m_api);
    api::registerInstanceRoutes(d->m_router, *d->m_api);
    api::registerOAuthRoutes(d->m_router, *d->m_api);
    api::registerAccountRoutes(d->m_router, *d->m_api);
    api::registerMediaRoutes(d->m_router, *d->m_api);
    api::registerUploadRoutes(d->m_router, *d->m_api);
    api::registerMediaFileRoutes(d->m_router, *d->m_api);
    api::registerFollowRoutes(d->m_router, *d->m_api);
    api::registerStatusRoutes(d->m_router, *d->m_api);
    api::registerTimelineRoutes(d->m_router, *d->m_api);
    api::registerSyncRoutes(d->m_router, *d->m_api);
    api::registerAnnotationRoutes(d->m_router, *d->m_api);
    api::registerLibraryRoutes(d->m_router, *d->m_api);
    api::registerAlbumRoutes(d->m_router, *d->m_api);

    std::string certFile = d->m_config.tlsCert, keyFile = d->m_config.tlsKey;
    if (d->m_config.tlsSelfSigned) {
        auto files = http::ensureSelfSigned(d->m_config.dataDir);
        if (!files)
            return files.status();
        certFile = files->certFile;
        keyFile = files->keyFile;
    }
    if (!certFile.empty() || !keyFile.empty()) {
        if (certFile.empty() || keyFile.empty())
            return invalidArgument("TLS needs both --tls-cert and --tls-key");
        PINHOLE_TRY(d->m_http->useTls(certFile, keyFile));
        auto fp = http::certificateFingerprint(certFile);
        if (!fp)
            return fp.status();
        d->m_fingerprint = *fp;
        log::info("tls_enabled", {{"sha256_fingerprint", d->m_fingerprint}});
    }
    return d;
}

Daemon::~Daemon() {
    // Running handlers may use any service: let them finish while everything is still there.
    if (m_jobWorkers)
        m_jobWorkers->stop();
    if (m_events)
        m_events->stop();
}

Result<std::string> Daemon::listen() {
    auto bound = m_http->listen(m_config.listenHost, m_config.listenPort);
    if (!bound)
        return bound.status();
    std::string base = m_config.publicUrl;
    if (base.empty())
        base = (m_fingerprint.empty() ? "http://" : "https://") + *bound;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    m_api->baseUrl = base; // before run(): handlers only read it
    log::info("listening", {{"address", *bound}, {"url", base}});
    if (auto expired = m_uploads->expireUploads(); !expired)
        log::warn("upload_expiry_failed", {{"error", expired.status().message()}});
    if (auto purged = m_library->purgeExpired(); !purged)
        log::warn("trash_purge_failed", {{"error", purged.status().message()}});
    m_jobWorkers->start();
    m_events->start();
    return base;
}

void Daemon::run() {
    m_http->onStopping([] { systemd::notifyStopping(); });
    m_http->onReload([this] { reload(); });
    m_ready = true;
    systemd::notifyReady("Serving on " + m_api->baseUrl);
    m_http->run();
    m_ready = false;
    m_jobWorkers->stop();
    m_events->stop();
}

// On the handler pool (HttpServer::onReload). m_config stays as it was: other threads read it.
void Daemon::reload() {
    systemd::notifyReloading();
    auto fresh = m_configSource ? m_configSource() : Result<Config>(m_config);
    if (!fresh) {
        log::error("config_reload_failed",
                   {{"error", fresh.status().message()}, {"kept", "the running configuration"}});
    } else {
        log::setMinimumLevel(*log::levelNamed(fresh->logLevel));
        // At warn so that it shows under every level but "error".
        log::warn(
            "config_reloaded",
            {{"applied", "log.level"}, {"log_level", fresh->logLevel}, {"restart_needed_for", "every other setting"}});
    }
    systemd::notifyReady("Serving on " + m_api->baseUrl);
}

void Daemon::stop() {
    m_ready = false;
    m_http->stop();
}

} // namespace pinhole::server
