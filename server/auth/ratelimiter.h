// Token buckets keyed by a string ("addr:127.0.0.1", "acct:alice"): each key may spend
// `capacity` attempts at once, refilled evenly over `window`. Memory is bounded: when the table
// reaches kMaxKeys, buckets that have refilled completely (and so carry no information) are
// dropped, and if that frees nothing the oldest quarter is.
// Thread-safe. Time comes from a clock function so tests can drive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace pinhole::server::auth {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kMaxKeys = 100'000;

    RateLimiter(double capacity, std::chrono::seconds window, std::function<Clock::time_point()> now = Clock::now);

    // Spends one attempt for `key`. Returns nullopt if allowed, else the seconds to wait.
    std::optional<int> acquire(const std::string& key);
    // Whether `key` has no attempt left, without spending one: nullopt if one is left, else the
    // seconds until there is (for budgets spent only on failures).
    std::optional<int> exhausted(const std::string& key);

private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };
    void refill(Bucket& b, Clock::time_point now) const;
    void evict(Clock::time_point now);

    double m_capacity;
    double m_perSecond;
    std::function<Clock::time_point()> m_now;
    std::mutex m_mutex; // guards m_buckets
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace pinhole::server::auth
