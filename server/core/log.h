// Structured logging: one JSON object per line on stderr (or a sink a test installs).
// Never pass a password, a token or a request body to these functions; the access log records
// the route pattern, not the raw target, so query-string secrets never reach it either.
// Thread-safe: lines are written whole under a mutex.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace pinhole::server::log {

enum class Level { Debug, Info, Warn, Error };

// A field's value. Holds a view: build log calls in one expression (temporaries outlive it).
class Value {
public:
    enum class Kind { Text, Integer, Real, Boolean };
    Value(std::string_view text) : m_kind(Kind::Text), m_text(text) {}
    Value(const char* text) : m_kind(Kind::Text), m_text(text) {}
    Value(const std::string& text) : m_kind(Kind::Text), m_text(text) {}
    Value(bool b) : m_kind(Kind::Boolean), m_int(b) {}
    Value(double d) : m_kind(Kind::Real), m_real(d) {}
    template <class I>
    requires std::is_integral_v<I> Value(I n) : m_kind(Kind::Integer), m_int(static_cast<long long>(n)) {}

    Kind kind() const { return m_kind; }
    std::string_view text() const { return m_text; }
    long long integer() const { return m_int; }
    double real() const { return m_real; }

private:
    Kind m_kind;
    std::string_view m_text;
    long long m_int = 0;
    double m_real = 0;
};
using Field = std::pair<std::string_view, Value>;

void setMinimumLevel(Level level);
// "debug", "info", "warn" or "error"; nullopt for anything else.
std::optional<Level> levelNamed(std::string_view name);
// Replaces where lines go (default: stderr). The sink receives one complete line without '\n'.
void setSink(std::function<void(std::string_view line)> sink);

void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});
inline void debug(std::string_view e, std::initializer_list<Field> f = {}) {
    write(Level::Debug, e, f);
}
inline void info(std::string_view e, std::initializer_list<Field> f = {}) {
    write(Level::Info, e, f);
}
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) {
    write(Level::Warn, e, f);
}
inline void error(std::string_view e, std::initializer_list<Field> f = {}) {
    write(Level::Error, e, f);
}

} // namespace pinhole::server::log
