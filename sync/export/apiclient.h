// A small JSON-over-HTTP client for the account export and import (pinhole-cli export /
// import-export): the signed-in account's server, bearer token and pinned key, read from the
// local store, and helpers that turn non-2xx answers into Status values (net::errorOf).
//
// Threading: one ApiClient per thread (it owns one net::HttpClient).
#pragma once

#include "core/status.h"
#include "net/http.h"
#include "store/localstore.h"

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinhole::sync::exporting {

class ApiClient {
public:
    ApiClient(std::string baseUrl, std::string token, std::string pinnedKey = {});
    // The account the local store is signed in to; Unauthenticated when it is not.
    static Result<ApiClient> fromStore(store::LocalStore& store);

    const std::string& baseUrl() const { return m_base; }

    // `path` starts with '/'. Answers the parsed JSON of a 2xx answer.
    Result<boost::json::value> getJson(const std::string& path);
    Result<boost::json::value> sendJson(const std::string& method, const std::string& path,
                                        const boost::json::value& body,
                                        std::vector<std::pair<std::string, std::string>> headers = {});
    // Any request; a 2xx answer is returned, anything else is a Status naming `path`. A 429 is
    // waited out (Retry-After) a few times before it is returned.
    Result<net::HttpResponse> send(net::HttpRequest request);
    // As send(), but any HTTP answer is returned as it is (for a caller that handles statuses
    // such as 416 itself); a Status only when there was no answer.
    Result<net::HttpResponse> exchange(net::HttpRequest request);

    // Every item of a listing, page by page (docs/api.md):
    // - the library's assets (`GET /api/pinhole/v1/assets?<query>`, {"assets", "next_cursor"});
    // - an array listing paged by id: `max_id` (statuses, newest first) or `after_id`
    //   (an asset's annotations, oldest first); `path` already has its "?...&limit=N". With
    //   `limit` (N), a shorter page is known to be the last (no request for an empty one).
    Result<boost::json::array> allAssets(const std::string& query);
    Result<boost::json::array> allPagedById(const std::string& path, std::string_view idParameter, int limit = 0);
    // Every annotation of one of the account's assets, oldest first.
    Result<boost::json::array> annotationsOf(const std::string& assetId);

private:
    std::string m_base;
    std::unique_ptr<net::HttpClient> m_http;
};

} // namespace pinhole::sync::exporting
