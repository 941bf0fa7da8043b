#include "export/apiclient.h"

#include <chrono>
#include <thread>

namespace json = boost::json;

namespace pinhole::sync::exporting {

namespace {
constexpr int kRateLimitRetries = 5;
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
