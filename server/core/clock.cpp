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
    const std::time_t seconds = static_cast<std::time_t>(unixMillis / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[80]; // the longest an int-formatted date can be, so nothing is ever cut
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((unixMillis % 1000) + 1000) % 1000));
    return buf;
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
