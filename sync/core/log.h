// The sync library never writes to a global logger: whoever owns an engine passes a LogSink
// (pinhole-cli prints to stderr, the app forwards to its own log, tests collect lines). A null
// sink discards. Threading: the sink is called from whichever thread logs (the engine's worker
// or the caller's); it must be thread-safe and must not call back into the engine.
#pragma once

#include <functional>
#include <string_view>

namespace pinhole::sync {

enum class LogLevel { Debug, Info, Warning, Error };

// `event` is a short snake_case name ("push_batch_sent"); `detail` is free text.
using LogSink = std::function<void(LogLevel level, std::string_view event, std::string_view detail)>;

inline void logTo(const LogSink& sink, LogLevel level, std::string_view event, std::string_view detail = {}) {
    if (sink)
        sink(level, event, detail);
}

} // namespace pinhole::sync
