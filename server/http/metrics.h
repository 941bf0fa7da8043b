// Request counters and a latency histogram for /metrics, in the Prometheus text format.
// Thread-safe: record() takes a mutex; it is called once per request, after the response.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace pinhole::server::http {

class HttpMetrics {
public:
    static constexpr std::array<double, 12> kBucketsSeconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

    void record(std::string_view method, std::string_view route, int status, double seconds);

    // Requests being read, handled or written right now (not idle keep-alive connections).
    std::atomic<std::int64_t> requestsInFlight{0};
    std::atomic<std::int64_t> openConnections{0};
    std::atomic<std::uint64_t> rejectedConnections{0};

    // Appends the metric families to `out`.
    void render(std::string& out) const;

private:
    mutable std::mutex m_mutex; // guards everything below
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> m_requests;
    std::array<std::uint64_t, kBucketsSeconds.size()> m_buckets{};
    std::uint64_t m_count = 0;
    double m_sumSeconds = 0;
};

} // namespace pinhole::server::http
