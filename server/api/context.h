// What the API facades (api/mastodon, api/pinhole, api/ops) share: the services they call and
// the helpers every handler uses to authenticate and to answer in JSON.
#pragma once

#include "accounts/accountservice.h"
#include "auth/oauthservice.h"
#include "core/config.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/params.h"
#include "http/router.h"
#include "jobs/jobqueue.h"
#include "media/library.h"
#include "media/uploads.h"
#include "store/store.h"

#include <boost/json/value.hpp>

#include <atomic>
#include <string>

namespace pinhole::server::api {

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
};

// Resolves the bearer token and checks `scope`; with `requireAccount` an app-only token is
// refused. Records the account for the access log.
Result<auth::Principal> authenticate(ApiContext& ctx, http::Request& request, std::string_view scope,
                                     bool requireAccount = true);
// As authenticate(), but a request without an Authorization header is anonymous (nullopt).
Result<std::optional<auth::Principal>> authenticateOptional(ApiContext& ctx, http::Request& request,
                                                            std::string_view scope);

http::Response jsonResponse(const boost::json::value& value, int status = 200);

void registerOAuthRoutes(http::Router& router, ApiContext& ctx);
void registerAccountRoutes(http::Router& router, ApiContext& ctx);
void registerInstanceRoutes(http::Router& router, ApiContext& ctx);
void registerOpsRoutes(http::Router& router, ApiContext& ctx);
void registerMediaRoutes(http::Router& router, ApiContext& ctx);   // api/mastodon/mediaapi.cpp
void registerUploadRoutes(http::Router& router, ApiContext& ctx);  // api/pinhole/uploadsapi.cpp
void registerMediaFileRoutes(http::Router& router, ApiContext& ctx); // api/pinhole/mediafilesapi.cpp

} // namespace pinhole::server::api
