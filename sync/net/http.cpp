#include "net/http.h"

#include "core/digest.h"

#include <boost/json.hpp>
#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace pinhole::sync::net {

namespace {
void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Where a body goes: the response (send(), or any non-2xx answer) or the caller's sink.
struct BodyTarget {
    CURL* curl;
    std::string* body;
    const HttpClient::BodySink* sink;
    bool stopped = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t n, void* user) {
    auto* target = static_cast<BodyTarget*>(user);
    long status = 0;
    curl_easy_getinfo(target->curl, CURLINFO_RESPONSE_CODE, &status);
    if (target->sink && status >= 200 && status < 300) {
        if (!(*target->sink)(std::string_view(data, size * n))) {
            target->stopped = true;
            return 0; // libcurl aborts the transfer (CURLE_WRITE_ERROR)
        }
        return size * n;
    }
    target->body->append(data, size * n);
    return size * n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0)
        headers->clear(); // a new response (after 100 Continue or a redirect)
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.pop_back();
        (*headers)[lower(line.substr(0, colon))] = value;
    }
    return size * n;
}
} // namespace

std::optional<std::string> HttpResponse::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::optional<int> HttpResponse::retryAfterSeconds() const {
    auto v = header("retry-after");
    if (!v || v->empty() || !std::all_of(v->begin(), v->end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    return std::stoi(v->substr(0, 9));
}

HttpClient::HttpClient() {
    globalInit();
    m_curl = curl_easy_init();
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

std::unique_ptr<HttpClient> HttpClient::withSameSettings() const {
    auto copy = std::make_unique<HttpClient>();
    copy->m_tls = m_tls;
    copy->m_bearer = m_bearer;
    copy->m_connectTimeoutMs = m_connectTimeoutMs;
    copy->m_stallTimeoutS = m_stallTimeoutS;
    return copy;
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
    return perform(request, nullptr);
}

Result<HttpResponse> HttpClient::receive(const HttpRequest& request, const BodySink& sink) {
    return perform(request, &sink);
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& request, const BodySink* sink) {
    auto* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);
    HttpResponse response;
    BodyTarget target{curl, &response.body, sink};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, m_connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, m_stallTimeoutS);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &target);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    if (!m_tls.pinnedKey.empty()) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, m_tls.pinnedKey.c_str());
    }
    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_slist* headers = nullptr;
    if (!m_bearer.empty())
        headers = curl_slist_append(headers, ("Authorization: Bearer " + m_bearer).c_str());
    // Our bodies are small or chunked already: no "Expect: 100-continue" round trip.
    headers = curl_slist_append(headers, "Expect:");
    for (const auto& [name, value] : request.headers)
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK && target.stopped)
        return Status(Code::Unavailable, request.method + " " + request.url + ": cancelled");
    if (rc != CURLE_OK) {
        const bool untrusted = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
                               rc == CURLE_SSL_CACERT_BADFILE;
        return Status(untrusted ? Code::Untrusted : Code::Unavailable,
                      request.method + " " + request.url + ": " + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
}

Result<ServerKey> fetchServerKey(const std::string& url) {
    globalInit();
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        curl_easy_cleanup(curl);
        return Status(Code::Unavailable, "cannot reach " + url + ": " + curl_easy_strerror(rc));
    }
    curl_certinfo* info = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info);
    std::string pem;
    if (info && info->num_of_certs > 0)
        for (curl_slist* field = info->certinfo[0]; field; field = field->next)
            if (std::string_view(field->data).rfind("Cert:", 0) == 0)
                pem = field->data + 5;
    curl_easy_cleanup(curl);
    if (pem.empty())
        return Status(Code::Unavailable, url + " presented no certificate");

    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!cert)
        return Status(Code::Unavailable, url + " presented an unreadable certificate");
    auto derOf = [](auto* object, auto encode) {
        unsigned char* der = nullptr;
        const int size = encode(object, &der);
        std::string bytes =
            size > 0 ? std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(size)) : std::string();
        OPENSSL_free(der);
        return bytes;
    };
    const std::string key =
        derOf(X509_get0_pubkey(cert), [](EVP_PKEY* k, unsigned char** out) { return i2d_PUBKEY(k, out); });
    const std::string certificate = derOf(cert, [](X509* c, unsigned char** out) { return i2d_X509(c, out); });
    X509_free(cert);
    if (key.empty() || certificate.empty())
        return Status(Code::Unavailable, url + " presented a certificate without a usable key");
    ServerKey out;
    out.pin = "sha256//" + base64(hexToBytes(sha256Hex(key)));
    const std::string hex = sha256Hex(certificate);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        if (i)
            out.fingerprint += ':';
        out.fingerprint += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
        out.fingerprint += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i + 1])));
    }
    return out;
}

Status errorOf(const HttpResponse& response, const std::string& what) {
    std::string message = what + ": HTTP " + std::to_string(response.status);
    boost::system::error_code ec;
    const auto body = boost::json::parse(response.body, ec);
    if (!ec && body.is_object())
        if (const auto* error = body.as_object().if_contains("error"); error && error->is_string())
            message += ": " + std::string(error->as_string());
    Code code = Code::InvalidArgument;
    switch (response.status) {
    case 401: code = Code::Unauthenticated; break;
    case 403: code = Code::PermissionDenied; break;
    case 404:
    case 410: code = Code::NotFound; break;
    case 409: code = Code::Conflict; break;
    case 413: code = Code::PayloadTooLarge; break;
    case 415: code = Code::UnsupportedMediaType; break;
    case 422: code = Code::Unprocessable; break;
    case 429: code = Code::TooManyRequests; break;
    case 460: code = Code::ChecksumMismatch; break;
    default:
        if (response.status >= 500)
            code = Code::Internal;
    }
    Status s(code, message);
    if (code == Code::TooManyRequests)
        s.withRetryAfter(response.retryAfterSeconds().value_or(1));
    return s;
}

std::string pathOf(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return url;
    const auto slash = url.find('/', scheme + 3);
    return slash == std::string::npos ? std::string("/") : url.substr(slash);
}

} // namespace pinhole::sync::net
