#include "core/hlc.h"

#include <algorithm>

namespace pinhole::sync {

HybridLogicalClock::HybridLogicalClock(WallClock wall) : m_wall(std::move(wall)) {}

std::uint64_t HybridLogicalClock::now() {
    const std::uint64_t physical = m_wall() << kCounterBits;
    // Physical time ahead of everything seen: use it with counter 0. Otherwise count on from the
    // last stamp; a counter overflow simply carries into the millisecond field, which keeps order.
    m_last = std::max(physical, m_last + 1);
    return m_last;
}

void HybridLogicalClock::observe(std::uint64_t remote) {
    m_last = std::max(m_last, remote);
}

} // namespace pinhole::sync
