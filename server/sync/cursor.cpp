#include "sync/cursor.h"

#include <charconv>
#include <vector>

namespace pinhole::server::sync {

namespace {

// A canonical non-negative decimal: digits only, no leading zero (except "0"), fits int64.
std::optional<std::int64_t> number(std::string_view s) {
    if (s.empty() || s.size() > 19 || (s.size() > 1 && s.front() == '0'))
        return std::nullopt;
    for (char c : s) // from_chars alone takes "-0" (found by fuzz_sync_cursor)
        if (c < '0' || c > '9')
            return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value < 0)
        return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(sep);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return parts;
        text.remove_prefix(at + 1);
    }
}

} // namespace

std::string formatCursor(const Cursor& c) {
    std::string text = "1." + std::to_string(c.epoch) + "." + std::to_string(c.seq);
    if (c.snapshot)
        text += ".s" + std::to_string(c.snapshot->phase) + "." + std::to_string(c.snapshot->after);
    return text;
}

std::optional<Cursor> parseCursor(std::string_view text) {
    if (text.size() > kMaxCursorLength)
        return std::nullopt;
    const auto parts = split(text, '.');
    if ((parts.size() != 3 && parts.size() != 5) || parts[0] != "1")
        return std::nullopt;
    auto epoch = number(parts[1]);
    auto seq = number(parts[2]);
    if (!epoch || !seq)
        return std::nullopt;
    Cursor cursor{*epoch, *seq, std::nullopt};
    if (parts.size() == 5) {
        if (!parts[3].starts_with('s'))
            return std::nullopt;
        auto phase = number(parts[3].substr(1));
        auto after = number(parts[4]);
        if (!phase || !after || *phase > 1000)
            return std::nullopt;
        cursor.snapshot = Snapshot{static_cast<int>(*phase), *after};
    }
    return cursor;
}

} // namespace pinhole::server::sync
