// What the API facades (api/mastodon, api/pinhole, api/ops) share: the services they call and
// the helpers every handler uses to authenticate and to answer in JSON.
#pragma once

#include "accounts/accountservice.h"
#include "annotations/annotationservice.h"
#include "feed/homefeed.h"
#include "social/followservice.h"
#include "social/notifications.h"
#include "social/statusservice.h"
#include "auth/oauthservice.h"
#include "core/config.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/params.h"
#include "http/router.h"
#include "jobs/jobqueue.h"
#include "library/albumservice.h"
#include "library/libraryservice.h"
#include "media/library.h"
#include "media/uploads.h"
#include "store/store.h"
#include "sync/changestream.h"
#include "sync/opsservice.h"

#include <boost/json/value.hpp>

#include <atomic>
#include <string>

namespace pinhole::server::api {

namespace mastodon {
class StatusJsonCache;
}

struct ApiContext {
    const Config& config;
    std::string baseUrl; // "http://127.0.0.1:8470", no trailing slash
    store::Store& store;
    accounts::AccountService& accounts;
    auth::OAuthService& oauth;
    http::HttpMetrics& metrics;
    std::atomic<bool>& ready;
    media::MediaLibrary* media = nullptr;
    media::UploadService* uploads = nullptr;
    jobs::JobQueue* jobQueue = nullptr; // job counts on /metrics
    social::FollowService* follows = nullptr;
    social::StatusService* statuses = nullptr;
    social::NotificationService* notifications = nullptr;
    feed::HomeFeed* homeFeed = nullptr;
    mastodon::StatusJsonCache* statusCache = nullptr; // rendered statuses (api/mastodon/statuscache.h)
    sync::ChangeStream* changes = nullptr; // api/pinhole/syncapi.cpp
    sync::OpsService* syncOps = nullptr;
    annotations::AnnotationService* annotations = nullptr;
    library::LibraryService* library = nullptr; // api/pinhole/libraryapi.cpp
    library::AlbumService* albums = nullptr;    // api/pinhole/albumsapi.cpp
};

// Resolves the bearer token and checks `scope`; with `requireAccount` an app-only token is
// refused. Records the account for the access log.
Result<auth::Principal> authenticate(ApiContext& ctx, http::Request& request, std::string_view scope,
                                     bool requireAccount = true);
// The account of a user's token allowed `scope`, as authenticate() would find it, from memory
// given the auth generation just read (api's answers on an I/O thread; oauthservice.h
// cachedPrincipal); nullopt wherever authenticate() could answer otherwise or has more to do.
// Records the account for the access log.
std::optional<Id> accountFromMemory(ApiContext& ctx, std::int64_t authGeneration, http::Request& request,
                                    std::string_view scope);
// As authenticate(), but a request without an Authorization header is anonymous (nullopt).
Result<std::optional<auth::Principal>> authenticateOptional(ApiContext& ctx, http::Request& request,
                                                            std::string_view scope);

http::Response jsonResponse(const boost::json::value& value, int status = 200);

// Mastodon's paging parameters (max_id, since_id, min_id, limit) of the query string; limit
// defaults to `defaultLimit` and is clamped to 1..`maxLimit`.
Result<store::Page> pageParams(const http::Request& request, int defaultLimit, int maxLimit);
// Adds Mastodon's `Link` header: rel="next" (max_id=oldest) and rel="prev" (min_id=newest), on
// this request's URL with its other parameters kept. Nothing for an empty page.
void addLinkHeader(http::Response& response, const ApiContext& ctx, const http::Request& request,
                   std::optional<Id> newest, std::optional<Id> oldest);

void registerOAuthRoutes(http::Router& router, ApiContext& ctx);
void registerAccountRoutes(http::Router& router, ApiContext& ctx);
void registerInstanceRoutes(http::Router& router, ApiContext& ctx);
void registerOpsRoutes(http::Router& router, ApiContext& ctx);
void registerMediaRoutes(http::Router& router, ApiContext& ctx);   // api/mastodon/mediaapi.cpp
void registerUploadRoutes(http::Router& router, ApiContext& ctx);  // api/pinhole/uploadsapi.cpp
void registerMediaFileRoutes(http::Router& router, ApiContext& ctx); // api/pinhole/mediafilesapi.cpp
void registerFollowRoutes(http::Router& router, ApiContext& ctx);    // api/mastodon/followsapi.cpp
void registerStatusRoutes(http::Router& router, ApiContext& ctx);    // api/mastodon/statusesapi.cpp
void registerTimelineRoutes(http::Router& router, ApiContext& ctx);  // api/mastodon/timelinesapi.cpp
void registerSyncRoutes(http::Router& router, ApiContext& ctx);      // api/pinhole/syncapi.cpp
void registerAnnotationRoutes(http::Router& router, ApiContext& ctx); // api/pinhole/annotationsapi.cpp
void registerLibraryRoutes(http::Router& router, ApiContext& ctx);   // api/pinhole/libraryapi.cpp
void registerAlbumRoutes(http::Router& router, ApiContext& ctx);     // api/pinhole/albumsapi.cpp

} // namespace pinhole::server::api
