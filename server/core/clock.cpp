#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace pinhole::server {

std::int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string isoTime(std::int64_t unixMillis) {
    // Floor, not truncation: -1 ms is 1969-12-31T23:59:59.999Z.
    const std::time_t seconds = static_cast<std::time_t>(unixMillis / 1000 - (unixMillis % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[80]; // the longest an int-formatted date can be, so nothing is ever cut
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((unixMillis % 1000) + 1000) % 1000));
    return buf;
}

namespace {
// The number of `count` digits at `at`, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size())
        return -1;
    int n = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        n = n * 10 + (text[i] - '0');
    }
    return n;
}
} // namespace

std::optional<std::int64_t> parseIsoTime(std::string_view text) {
    using namespace std::chrono;
    const int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
    if (y < 1000 || mo < 0 || d < 0 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    const year_month_day date{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!date.ok())
        return std::nullopt;
    std::int64_t ms = duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count();
    if (text.size() == 10)
        return ms;
    const int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    if (text[10] != 'T' || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || text[13] != ':' ||
        text[16] != ':')
        return std::nullopt;
    ms += ((h * 60 + mi) * 60 + s) * 1000LL;
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') { // fractions: milliseconds kept, the rest dropped
        std::size_t end = at + 1;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9')
            ++end;
        if (end == at + 1)
            return std::nullopt;
        std::string frac(text.substr(at + 1, std::min<std::size_t>(3, end - at - 1)));
        frac.resize(3, '0');
        ms += std::stoi(frac);
        at = end;
    }
    if (at + 1 == text.size() && text[at] == 'Z')
        return ms;
    if (at + 6 != text.size() || (text[at] != '+' && text[at] != '-') || text[at + 3] != ':')
        return std::nullopt;
    const int oh = digits(text, at + 1, 2), om = digits(text, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59)
        return std::nullopt;
    const std::int64_t offset = (oh * 60 + om) * 60000LL;
    return text[at] == '+' ? ms - offset : ms + offset;
}

std::string httpDate(std::int64_t unixMillis) {
    const std::time_t seconds = static_cast<std::time_t>(unixMillis / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm); // "C" locale names
    return buf;
}

} // namespace pinhole::server
