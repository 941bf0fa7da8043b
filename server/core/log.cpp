#include "core/log.h"

#include "core/clock.h"

#include <boost/json.hpp>

#include <cstdio>
#include <mutex>

namespace pinhole::server::log {

namespace {
std::mutex g_mutex; // guards g_sink and the write of each line
std::function<void(std::string_view)> g_sink;
Level g_minimum = Level::Info;

const char* levelName(Level l) {
    switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
    }
    return "info";
}

} // namespace

void setMinimumLevel(Level level) {
    std::lock_guard lock(g_mutex);
    g_minimum = level;
}

std::optional<Level> levelNamed(std::string_view name) {
    for (Level l : {Level::Debug, Level::Info, Level::Warn, Level::Error})
        if (name == levelName(l))
            return l;
    return std::nullopt;
}

void setSink(std::function<void(std::string_view)> sink) {
    std::lock_guard lock(g_mutex);
    g_sink = std::move(sink);
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    {
        std::lock_guard lock(g_mutex);
        if (level < g_minimum)
            return;
    }
    boost::json::object o;
    o["ts"] = isoTime(nowMillis());
    o["level"] = levelName(level);
    o["event"] = event;
    for (const auto& [key, value] : fields) {
        switch (value.kind()) {
        case Value::Kind::Text: o[key] = value.text(); break;
        case Value::Kind::Integer: o[key] = value.integer(); break;
        case Value::Kind::Real: o[key] = value.real(); break;
        case Value::Kind::Boolean: o[key] = value.integer() != 0; break;
        }
    }
    const std::string line = boost::json::serialize(o);
    std::lock_guard lock(g_mutex);
    if (g_sink) {
        g_sink(line);
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
}

} // namespace pinhole::server::log
