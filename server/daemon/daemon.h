// The composition root: opens the data directory and database, builds the services, registers
// every facade's routes and runs the HTTP server. main.cpp and the tests construct this.
#pragma once

#include "accounts/accountservice.h"
#include "annotations/annotationservice.h"
#include "api/context.h"
#include "api/mastodon/statuscache.h"
#include "auth/oauthservice.h"
#include "core/config.h"
#include "feed/homefeed.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "jobs/jobqueue.h"
#include "jobs/workerpool.h"
#include "media/library.h"
#include "media/uploads.h"
#include "social/eventlog.h"
#include "social/followservice.h"
#include "social/notifications.h"
#include "social/statusservice.h"
#include "store/store.h"

#include <atomic>
#include <functional>
#include <memory>

namespace pinhole::server {

class Daemon {
public:
    // Creates the data directory (mode 0700), opens and migrates the database, prepares TLS.
    static Result<std::unique_ptr<Daemon>> create(Config config);
    ~Daemon();

    // Binds the configured address and starts the job workers; returns the public base URL
    // ("http://127.0.0.1:8470").
    Result<std::string> listen();
    // Where SIGHUP re-reads the configuration (the file and the flags). Only what is safe to
    // change under load is applied: the log level; the rest takes effect on restart, and the log
    // says so. REQUIRES: before run().
    void reloadFrom(std::function<Result<Config>()> source) { m_configSource = std::move(source); }
    // Serves until stop() or SIGINT/SIGTERM, then lets the running jobs finish. Tells systemd
    // READY=1 once /readyz answers and STOPPING=1 when shutdown begins (daemon/systemd.h).
    void run();
    void stop();

    const Config& config() const { return m_config; }
    accounts::AccountService& accounts() { return *m_accounts; }
    jobs::WorkerPool& jobWorkers() { return *m_jobWorkers; }
    const std::string& tlsFingerprint() const { return m_fingerprint; }
    social::EventLog& events() { return *m_events; }
    const http::Router& router() const { return m_router; }

private:
    explicit Daemon(Config config) : m_config(std::move(config)) {}
    void reload();

    Config m_config;
    std::unique_ptr<store::Store> m_store;
    // The job queue and its workers; ~Daemon stops the workers before anything they use goes.
    std::unique_ptr<jobs::JobQueue> m_jobs;
    std::unique_ptr<jobs::WorkerPool> m_jobWorkers;
    std::unique_ptr<accounts::AccountService> m_accounts;
    std::unique_ptr<auth::OAuthService> m_oauth;
    std::unique_ptr<media::MediaLibrary> m_media;
    std::unique_ptr<media::UploadService> m_uploads;
    // The event log's consumers (feeds, counters, notifications) run on its thread; ~Daemon stops
    // it before the services and the store go.
    std::unique_ptr<social::EventLog> m_events;
    std::unique_ptr<social::FollowService> m_follows;
    std::unique_ptr<social::StatusService> m_statuses;
    std::unique_ptr<social::NotificationService> m_notifications;
    std::unique_ptr<feed::HomeFeed> m_homeFeed;
    std::unique_ptr<sync::ChangeStream> m_changes;
    std::unique_ptr<sync::OpsService> m_syncOps;
    std::unique_ptr<annotations::AnnotationService> m_annotations;
    std::unique_ptr<library::LibraryService> m_library;
    std::unique_ptr<library::AlbumService> m_albums;
    http::HttpMetrics m_metrics;
    http::Router m_router;
    std::unique_ptr<http::HttpServer> m_http;
    std::unique_ptr<api::mastodon::StatusJsonCache> m_statusCache;
    std::unique_ptr<api::ApiContext> m_api;
    std::atomic<bool> m_ready{false};
    std::function<Result<Config>()> m_configSource;
    std::string m_fingerprint;
};

// Opens the database of a data directory for the admin commands (the server may be running:
// WAL lets both work at once).
Result<std::unique_ptr<store::Store>> openStore(const Config& config);

// Registers every consumer of the event log, in the order they run: the one place to add one.
void addEventConsumers(social::EventLog& log, const Config& config);

} // namespace pinhole::server
