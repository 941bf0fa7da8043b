#include "core/ids.h"

#include <atomic>
#include <charconv>
#include <chrono>

namespace pinhole::server {

namespace {
constexpr int kSequenceBits = 16;
std::atomic<Id> g_last{0};

std::int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
} // namespace

Id newId() {
    const Id fromClock = idAtMillis(nowMillis());
    Id last = g_last.load(std::memory_order_relaxed);
    for (;;) {
        // If the clock went backwards or we ran out of sequence numbers in this millisecond,
        // keep counting up from the last id: order is preserved, time drifts by at most that.
        const Id next = fromClock > last ? fromClock : last + 1;
        if (g_last.compare_exchange_weak(last, next, std::memory_order_relaxed))
            return next;
    }
}

Id idAtMillis(std::int64_t unixMillis) {
    return unixMillis << kSequenceBits;
}
std::int64_t millisOfId(Id id) {
    return id >> kSequenceBits;
}

std::string idToString(Id id) {
    return std::to_string(id);
}

std::optional<Id> idFromString(std::string_view text) {
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    Id value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value <= 0)
        return std::nullopt;
    return value;
}

} // namespace pinhole::server
