#include "auth/ratelimiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace pinhole::server::auth {

RateLimiter::RateLimiter(double capacity, std::chrono::seconds window, std::function<Clock::time_point()> now)
    : m_capacity(capacity), m_perSecond(capacity / static_cast<double>(std::max<long long>(1, window.count()))),
      m_now(std::move(now)) {}

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(m_capacity, b.tokens + elapsed * m_perSecond);
    b.updated = now;
}

std::optional<int> RateLimiter::acquire(const std::string& key) {
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    if (m_buckets.size() >= kMaxKeys && !m_buckets.contains(key))
        evict(now);
    auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_capacity, now});
    Bucket& b = it->second;
    refill(b, now);
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    return static_cast<int>(std::ceil((1.0 - b.tokens) / m_perSecond));
}

std::optional<int> RateLimiter::exhausted(const std::string& key) {
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        return std::nullopt;
    refill(it->second, now);
    if (it->second.tokens >= 1.0)
        return std::nullopt;
    return static_cast<int>(std::ceil((1.0 - it->second.tokens) / m_perSecond));
}

void RateLimiter::evict(Clock::time_point now) {
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        refill(it->second, now);
        it = it->second.tokens >= m_capacity ? m_buckets.erase(it) : std::next(it);
    }
    if (m_buckets.size() < kMaxKeys)
        return;
    std::vector<std::pair<Clock::time_point, std::string>> byAge;
    for (auto& [k, b] : m_buckets)
        byAge.emplace_back(b.updated, k);
    std::sort(byAge.begin(), byAge.end());
    for (std::size_t i = 0; i < byAge.size() / 4; ++i)
        m_buckets.erase(byAge[i].second);
}

} // namespace pinhole::server::auth
