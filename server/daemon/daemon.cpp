#include "daemon/daemon.h"

#include "auth/crypto.h"
#include "core/log.h"
#include "http/tlscert.h"

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
} // namespace

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
    d->m_accounts = std::make_unique<accounts::AccountService>(*d->m_store, d->m_config);
    d->m_oauth = std::make_unique<auth::OAuthService>(*d->m_store, *d->m_accounts);
    d->m_http = std::make_unique<http::HttpServer>(d->m_router, d->m_config.limits, d->m_metrics);
    d->m_api = std::make_unique<api::ApiContext>(
        api::ApiContext{d->m_config, "", *d->m_store, *d->m_accounts, *d->m_oauth, d->m_metrics, d->m_ready});
    api::registerOpsRoutes(d->m_router, *d->m_api);
    api::registerInstanceRoutes(d->m_router, *d->m_api);
    api::registerOAuthRoutes(d->m_router, *d->m_api);
    api::registerAccountRoutes(d->m_router, *d->m_api);

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

Daemon::~Daemon() = default;

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
    return base;
}

void Daemon::run() {
    m_ready = true;
    m_http->run();
    m_ready = false;
}

void Daemon::stop() {
    m_ready = false;
    m_http->stop();
}

} // namespace pinhole::server
