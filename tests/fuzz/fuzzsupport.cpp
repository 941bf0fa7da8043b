#include "fuzzsupport.h"

#include "api/context.h"
#include "auth/crypto.h"
#include "core/log.h"
#include "daemon/daemon.h"
#include "media/imaging.h"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <vips/vips8>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

namespace pinhole::fuzz {

using namespace pinhole::server;

namespace {

// Stops the process on a set-up failure: a target that cannot reach the code is a broken target,
// not a finding, and must not run quietly.
[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "fuzz fixture: %s\n", what.c_str());
    std::abort();
}

template <class T> T need(Result<T> result, const char* what) {
    if (!result)
        die(std::string(what) + ": " + result.status().message());
    return std::move(result).value();
}

void need(const Status& status, const char* what) {
    if (!status)
        die(std::string(what) + ": " + status.message());
}

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
        text.replace(at, from.size(), to);
}

} // namespace

void quietLogs() {
    static const bool once = [] {
        log::setSink([](std::string_view) {});
        return true;
    }();
    (void)once;
}

std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

std::optional<http::Request> parseWireRequest(const http::Router& router, std::string_view wire,
                                              http::Router::Match& match) {
    // As HttpServer's session: the header under the header limit and no body limit, then the
    // route's body limit.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(http::ServerLimits{}.headerBytes));
    parser.body_limit(boost::none);
    parser.eager(false);
    boost::system::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
    if (ec || !parser.is_header_done())
        return std::nullopt;
    const auto& msg = parser.get();
    http::Request request;
    request.method = std::string(msg.method_string());
    http::setTarget(request, msg.target());
    for (const auto& field : msg)
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.remoteAddress = "127.0.0.1";
    match = router.match(request.method, request.path);
    const std::size_t bodyLimit = match.route ? match.route->options.maxBodyBytes : http::kDefaultMaxBody;
    if (const auto declared = parser.content_length(); declared && *declared > bodyLimit)
        return std::nullopt; // 413 before the body
    parser.body_limit(bodyLimit);
    parser.eager(true);
    wire.remove_prefix(used);
    while (!parser.is_done()) {
        if (wire.empty()) {
            parser.put_eof(ec);
            if (ec)
                return std::nullopt; // the client stopped sending: the session hangs up
            break;
        }
        used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
        if (ec == bhttp::error::need_more) {
            wire = {};
            continue;
        }
        if (ec)
            return std::nullopt;
        wire.remove_prefix(used);
    }
    request.body = std::move(parser.get().body());
    return request;
}

// The same composition as Daemon::create (daemon/daemon.cpp), minus the HTTP server and TLS.
struct ApiFixture::Impl {
    std::string dataDir;
    Config config;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<jobs::JobQueue> jobs;
    std::unique_ptr<jobs::WorkerPool> workers;
    std::unique_ptr<media::MediaLibrary> media;
    std::unique_ptr<media::UploadService> uploads;
    std::unique_ptr<accounts::AccountService> accounts;
    std::unique_ptr<auth::OAuthService> oauth;
    std::unique_ptr<social::EventLog> events;
    std::unique_ptr<social::FollowService> follows;
    std::unique_ptr<social::StatusService> statuses;
    std::unique_ptr<social::NotificationService> notifications;
    std::unique_ptr<feed::HomeFeed> homeFeed;
    std::unique_ptr<sync::ChangeStream> changes;
    std::unique_ptr<sync::OpsService> syncOps;
    std::unique_ptr<annotations::AnnotationService> annotations;
    std::unique_ptr<library::LibraryService> library;
    std::unique_ptr<library::AlbumService> albums;
    http::HttpMetrics metrics;
    std::atomic<bool> ready{true};
    std::unique_ptr<api::ApiContext> ctx;
    http::Router router;
    std::vector<std::pair<std::string, std::string>> placeholders;
};

ApiFixture& ApiFixture::instance() {
    static ApiFixture* fixture = new ApiFixture();
    return *fixture;
}

ApiFixture::ApiFixture() : m_impl(new Impl) {
    Impl& f = *m_impl;
    quietLogs();
    need(auth::initCrypto(), "libsodium");
    need(media::initImaging(), "libvips");

    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/pinhole-fuzz-XXXXXX";
    if (!::mkdtemp(dir.data()))
        die("cannot create a temporary data directory");
    f.dataDir = dir;
    static std::string removeAtExit = dir;
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(removeAtExit, ec);
    });

    f.config.dataDir = dir + "/data";
    f.config.jobWorkers = 1;
    // The fuzzer presents invalid tokens by the million from one address: with the default budget
    // every later input would stop at 429 before reaching the handler under test.
    f.config.tokenFailuresPerAddress = 1'000'000'000;
    f.store = need(openStore(f.config), "store");
    f.jobs = std::make_unique<jobs::JobQueue>(*f.store);
    jobs::WorkerPoolOptions workerOptions;
    workerOptions.workers = 1;
    f.workers = std::make_unique<jobs::WorkerPool>(*f.jobs, workerOptions);
    auto* pool = f.workers.get();
    f.media = std::make_unique<media::MediaLibrary>(
        *f.store, f.config.dataDir, [pool](store::Database& db, const std::string& queue, Id assetId) {
            jobs::EnqueueOptions options;
            options.exclusivityKey = idToString(assetId);
            auto job = pool->enqueueIn(db, queue, R"({"asset_id":")" + idToString(assetId) + R"("})", options);
            return job ? Status::ok() : job.status();
        });
    need(f.media->init(), "media library");
    f.uploads = std::make_unique<media::UploadService>(*f.store, *f.media, std::chrono::hours(24));
    // The media jobs, as daemon.cpp registers them: POST /api/v1/media waits for them.
    for (const char* queue : {media::kExtractMetadataQueue, media::kDeriveQueue}) {
        const bool metadata = std::string_view(queue) == media::kExtractMetadataQueue;
        media::MediaLibrary* library = f.media.get();
        need(f.workers->registerHandler(queue,
                                        [library, metadata](const jobs::Job& job) -> Status {
                                            boost::system::error_code ec;
                                            const auto payload = boost::json::parse(job.payload, ec);
                                            const auto id =
                                                ec ? std::nullopt : idFromString(payload.at("asset_id").as_string());
                                            if (!id)
                                                return invalidArgument("bad payload");
                                            if (metadata)
                                                return library->extractMetadata(*id);
                                            Status derived = library->derive(*id);
                                            if (!derived)
                                                (void)library->giveUp(*id, derived.message());
                                            return derived;
                                        }),
             "job handlers");
    }
    f.accounts = std::make_unique<accounts::AccountService>(*f.store, f.config);
    f.oauth = std::make_unique<auth::OAuthService>(*f.store, *f.accounts, f.config);
    f.events = std::make_unique<social::EventLog>(*f.store);
    addEventConsumers(*f.events, f.config);
    f.follows = std::make_unique<social::FollowService>(*f.store, *f.events);
    f.statuses = std::make_unique<social::StatusService>(*f.store, *f.events);
    f.notifications = std::make_unique<social::NotificationService>(*f.store, *f.statuses);
    f.homeFeed = std::make_unique<feed::HomeFeed>(*f.store, feed::FeedOptions::of(f.config));
    f.media->onEventsAppended([events = f.events.get()] { events->notify(); });
    f.changes = std::make_unique<sync::ChangeStream>(*f.store, *f.statuses);
    f.annotations = std::make_unique<annotations::AnnotationService>(*f.store, *f.events);
    need(f.annotations->registerBuiltins(), "built-in schemas");
    // The trash's purge jobs are not run here (no handler): a trashed asset stays trashed.
    f.library = std::make_unique<library::LibraryService>(
        *f.store, *f.events, *f.statuses, f.config.dataDir, std::chrono::seconds(f.config.trashRetentionSeconds),
        [](store::Database&, Id, std::int64_t, std::chrono::milliseconds) { return Status::ok(); });
    f.albums = std::make_unique<library::AlbumService>(*f.store, *f.events);
    f.syncOps = std::make_unique<sync::OpsService>(
        *f.store, *f.statuses, *f.follows, *f.media,
        sync::OpsService::Services{f.library.get(), f.albums.get(), f.annotations.get()});
    f.ctx = std::make_unique<api::ApiContext>(
        api::ApiContext{f.config, "http://127.0.0.1:8470", *f.store, *f.accounts, *f.oauth, f.metrics, f.ready});
    f.ctx->jobQueue = f.jobs.get();
    f.ctx->media = f.media.get();
    f.ctx->uploads = f.uploads.get();
    f.ctx->follows = f.follows.get();
    f.ctx->statuses = f.statuses.get();
    f.ctx->notifications = f.notifications.get();
    f.ctx->homeFeed = f.homeFeed.get();
    f.ctx->changes = f.changes.get();
    f.ctx->syncOps = f.syncOps.get();
    f.ctx->annotations = f.annotations.get();
    f.ctx->library = f.library.get();
    f.ctx->albums = f.albums.get();
    api::registerOpsRoutes(f.router, *f.ctx);
    api::registerInstanceRoutes(f.router, *f.ctx);
    api::registerOAuthRoutes(f.router, *f.ctx);
    api::registerAccountRoutes(f.router, *f.ctx);
    api::registerMediaRoutes(f.router, *f.ctx);
    api::registerUploadRoutes(f.router, *f.ctx);
    api::registerMediaFileRoutes(f.router, *f.ctx);
    api::registerFollowRoutes(f.router, *f.ctx);
    api::registerStatusRoutes(f.router, *f.ctx);
    api::registerTimelineRoutes(f.router, *f.ctx);
    api::registerSyncRoutes(f.router, *f.ctx);
    api::registerAnnotationRoutes(f.router, *f.ctx);
    api::registerLibraryRoutes(f.router, *f.ctx);
    api::registerAlbumRoutes(f.router, *f.ctx);

    // What the placeholders stand for: a user, an app, a processed photo, an unfinished upload.
    const auto user =
        need(f.accounts->registerAccount({"fuzzer", "fuzzer@example.org", "fuzzing-password", true}, false), "account");
    auth::NewApp newApp;
    newApp.name = "fuzzer";
    newApp.redirectUris = auth::kOutOfBandRedirect;
    newApp.scopes = "read write follow push admin:read admin:write";
    const auto app = need(f.oauth->createApp(newApp), "app");
    const auto userToken = need(f.oauth->issueForAccount(app.id, user.id, newApp.scopes), "user token");
    const auto appToken =
        need(f.oauth->clientCredentialsGrant(app.clientId, app.clientSecret, "read write"), "app token");
    const std::string photo = f.media->uploadsDir() + "/seed.jpg";
    try {
        vips::VImage::black(48, 32).new_from_image({200, 60, 30}).jpegsave(photo.c_str());
    } catch (const vips::VError& e) {
        die(std::string("seed photo: ") + e.what());
    }
    const auto asset = need(f.media->ingest(user.id, photo, std::nullopt), "seed asset");
    need(f.media->extractMetadata(asset.asset.id), "seed metadata");
    need(f.media->derive(asset.asset.id), "seed derivatives");
    const auto upload = need(f.uploads->create(user.id, 64, ""), "seed upload");
    const auto operation = need(f.annotations->openOperation(user.id, "tag", "fuzzer"), "annotation operation");
    const auto album = need(f.albums->create(user.id, "Seed album", ""), "seed album");
    need(f.albums->addAssets(user.id, album.id, {asset.asset.id}, std::nullopt), "seed album's asset");
    f.placeholders = {{"{token}", userToken.accessToken},
                      {"{app_token}", appToken.accessToken},
                      {"{client_id}", app.clientId},
                      {"{client_secret}", app.clientSecret},
                      {"{account}", idToString(user.id)},
                      {"{asset}", idToString(asset.asset.id)},
                      {"{upload}", upload.id},
                      {"{operation}", idToString(operation.id)},
                      {"{album}", idToString(album.id)}};
    f.workers->start();
    f.events->start();
}

const http::Router& ApiFixture::router() const {
    return m_impl->router;
}

std::string ApiFixture::substitute(std::string_view text) const {
    std::string out(text);
    for (const auto& [from, to] : m_impl->placeholders)
        replaceAll(out, from, to);
    return out;
}

http::Response ApiFixture::handle(http::Request& request) const {
    const auto match = m_impl->router.match(request.method, request.path);
    const std::size_t limit = match.route ? match.route->options.maxBodyBytes : http::kDefaultMaxBody;
    if (request.body.size() > limit)
        return http::errorResponse(Status(Code::PayloadTooLarge, "request body too large"));
    return m_impl->router.dispatch(request, match);
}

void fuzzJsonBody(std::string_view method, std::string_view path, const std::uint8_t* data, std::size_t size) {
    const ApiFixture& api = ApiFixture::instance();
    http::Request request;
    request.method = std::string(method);
    http::setTarget(request, api.substitute(path));
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", api.substitute("Bearer {token}")}};
    request.body = api.substitute(asText(data, size));
    request.remoteAddress = "127.0.0.1";
    const http::Response response = api.handle(request);
    // Bad input is a 4xx with a reason, never a 500 (PRODUCT.md: "Bad input never yields ... a 500").
    if (response.status >= 500) {
        std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.path.c_str(), response.status,
                     response.body.c_str());
        std::abort();
    }
}

} // namespace pinhole::fuzz
