#include "export/apiclient.h"

#include "export/exportformat.h"

#include <chrono>
#include <thread>

namespace json = boost::json;

namespace pinhole::sync::exporting {

namespace {
constexpr int kRateLimitRetries = 5;
constexpr int kAssetPage = 200;      // the server's largest page
constexpr int kAnnotationPage = 500; // the server's largest page
} // namespace

ApiClient::ApiClient(std::string baseUrl, std::string token, std::string pinnedKey)
    : m_base(std::move(baseUrl)), m_http(std::make_unique<net::HttpClient>()) {
    while (!m_base.empty() && m_base.back() == '/')
        m_base.pop_back();
    m_http->setBearer(std::move(token));
    m_http->setTls({std::move(pinnedKey)});
}

Result<ApiClient> ApiClient::fromStore(store::LocalStore& store) {
    auto url = store.meta("server_url");
    auto token = store.meta("access_token");
    if (!url || !token)
        return Status(Code::Unauthenticated, "not signed in: run `pinhole-cli login URL USER` first");
    return ApiClient(*url, *token, store.meta("pinned_key").value_or(""));
}

Result<net::HttpResponse> ApiClient::exchange(net::HttpRequest request) {
    request.url = m_base + request.url;
    for (int attempt = 0;; ++attempt) {
        auto response = m_http->send(request);
        if (!response || response->status != 429 || attempt >= kRateLimitRetries)
            return response;
        std::this_thread::sleep_for(std::chrono::seconds(response->retryAfterSeconds().value_or(1)));
    }
}

Result<net::HttpResponse> ApiClient::send(net::HttpRequest request) {
    const std::string what = request.method + " " + request.url;
    auto response = exchange(std::move(request));
    if (!response)
        return response.status();
    if (response->status >= 200 && response->status < 300)
        return std::move(response).value();
    return net::errorOf(*response, what);
}

Result<json::value> ApiClient::getJson(const std::string& path) {
    auto response = send({"GET", path, {}, {}});
    if (!response)
        return response.status();
    boost::system::error_code ec;
    auto value = json::parse(response->body, ec);
    if (ec)
        return internalError("GET " + path + ": the answer is not JSON");
    return value;
}

Result<json::array> ApiClient::allAssets(const std::string& query) {
    json::array all;
    std::string cursor;
    for (;;) {
        std::string path =
            "/api/pinhole/v1/assets?limit=" + std::to_string(kAssetPage) + (query.empty() ? "" : "&") + query;
        if (!cursor.empty())
            path += "&cursor=" + cursor;
        auto page = getJson(path);
        if (!page)
            return page.status();
        for (const auto& a : arrayOf(objectOf(*page), "assets"))
            all.push_back(a);
        cursor = stringOf(objectOf(*page), "next_cursor");
        if (cursor.empty())
            return all;
    }
}

Result<json::array> ApiClient::allPagedById(const std::string& path, std::string_view idParameter, int limit) {
    json::array all;
    std::string last;
    for (;;) {
        auto page = getJson(last.empty() ? path : path + "&" + std::string(idParameter) + "=" + last);
        if (!page)
            return page.status();
        if (!page->is_array() || page->as_array().empty())
            return all;
        for (const auto& item : page->as_array())
            all.push_back(item);
        if (limit > 0 && page->as_array().size() < static_cast<std::size_t>(limit))
            return all;
        last = stringOf(objectOf(page->as_array().back()), "id");
    }
}

Result<json::array> ApiClient::annotationsOf(const std::string& assetId) {
    return allPagedById("/api/pinhole/v1/assets/" + assetId + "/annotations?limit=" + std::to_string(kAnnotationPage),
                        "after_id", kAnnotationPage);
}

Result<json::value> ApiClient::sendJson(const std::string& method, const std::string& path, const json::value& body,
                                        std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Content-Type", "application/json");
    auto response = send({method, path, std::move(headers), json::serialize(body)});
    if (!response)
        return response.status();
    if (response->body.empty())
        return json::value(json::object{});
    boost::system::error_code ec;
    auto value = json::parse(response->body, ec);
    if (ec)
        return internalError(method + " " + path + ": the answer is not JSON");
    return value;
}

} // namespace pinhole::sync::exporting
