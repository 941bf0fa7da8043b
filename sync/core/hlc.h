// A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall-clock time, never
// go backwards, and order causally related events across devices whose clocks disagree. Every
// outbox operation carries one; "last writer wins" compares them.
//
// Encoding: 48 bits of Unix milliseconds, 16 bits of logical counter, in one uint64, so stamps
// compare as integers and serialize as one decimal string. Ties between devices are broken by
// the device id the caller stores beside the stamp.
// Threading: not thread-safe; the sync engine owns one clock per local store.
#pragma once

#include <cstdint>
#include <functional>

namespace pinhole::sync {

class HybridLogicalClock {
public:
    using WallClock = std::function<std::uint64_t()>; // Unix milliseconds

    explicit HybridLogicalClock(WallClock wall);

    // A stamp for a local event: greater than every stamp this clock issued or received.
    std::uint64_t now();
    // Merges a stamp received from elsewhere, so later local stamps order after it.
    void observe(std::uint64_t remote);

    // The last stamp issued or observed (persist it so a restart never goes backwards).
    std::uint64_t last() const { return m_last; }
    void restore(std::uint64_t last) { m_last = last; }

    static std::uint64_t millisOf(std::uint64_t stamp) { return stamp >> kCounterBits; }
    static std::uint32_t counterOf(std::uint64_t stamp) { return static_cast<std::uint32_t>(stamp & kCounterMask); }

private:
    static constexpr int kCounterBits = 16;
    static constexpr std::uint64_t kCounterMask = (1u << kCounterBits) - 1;
    WallClock m_wall;
    std::uint64_t m_last = 0;
};

} // namespace pinhole::sync
