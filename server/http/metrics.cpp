#include "http/metrics.h"

#include <cstdio>

namespace pinhole::server::http {

void HttpMetrics::record(std::string_view method, std::string_view route, int status, double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{std::string(method), std::string(route), status}];
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
        if (seconds <= kBucketsSeconds[i])
            ++m_buckets[i];
    ++m_count;
    m_sumSeconds += seconds;
}

void HttpMetrics::render(std::string& out) const {
    char line[512];
    out += "# HELP pinhole_http_requests_total HTTP requests by method, route pattern and status.\n";
    out += "# TYPE pinhole_http_requests_total counter\n";
    std::lock_guard lock(m_mutex);
    for (const auto& [key, n] : m_requests) {
        const auto& [method, route, status] = key;
        std::snprintf(line, sizeof line, "pinhole_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                      method.c_str(), route.c_str(), status, static_cast<unsigned long long>(n));
        out += line;
    }
    out +=
        "# HELP pinhole_http_request_duration_seconds Time from the first byte of a request to its last byte sent.\n";
    out += "# TYPE pinhole_http_request_duration_seconds histogram\n";
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        std::snprintf(line, sizeof line, "pinhole_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                      kBucketsSeconds[i], static_cast<unsigned long long>(m_buckets[i]));
        out += line;
    }
    std::snprintf(line, sizeof line,
                  "pinhole_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                  "pinhole_http_request_duration_seconds_sum %.6f\n"
                  "pinhole_http_request_duration_seconds_count %llu\n",
                  static_cast<unsigned long long>(m_count), m_sumSeconds, static_cast<unsigned long long>(m_count));
    out += line;
    std::snprintf(
        line, sizeof line,
        "# TYPE pinhole_http_requests_in_flight gauge\npinhole_http_requests_in_flight %lld\n"
        "# TYPE pinhole_http_open_connections gauge\npinhole_http_open_connections %lld\n"
        "# TYPE pinhole_http_rejected_connections_total counter\npinhole_http_rejected_connections_total %llu\n",
        static_cast<long long>(requestsInFlight.load()), static_cast<long long>(openConnections.load()),
        static_cast<unsigned long long>(rejectedConnections.load()));
    out += line;
}

} // namespace pinhole::server::http
