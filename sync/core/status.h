// Errors are values: every fallible operation in the sync library returns a Status or a Result<T>.
// A Status carries a code that says what kind of failure it is and a message for the user;
// pinhole-cli maps codes to exit codes, the app to messages. (The server has its own copy: the
// two libraries never link each other.)
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pinhole::sync {

enum class Code {
    Ok,
    InvalidArgument,      // the request is malformed or a field is out of range
    Unauthenticated,      // no or a bad credential
    PermissionDenied,     // authenticated, but not allowed (or a missing scope)
    NotFound,             // also used where "exists but you may not see it" must not leak
    MethodNotAllowed,     // the path exists, the method does not
    Conflict,             // a unique name is taken, a stale revision
    PreconditionFailed,   // a required precondition header is missing or wrong (412)
    PayloadTooLarge,      // a body or file above its limit
    RangeNotSatisfiable,  // a byte range outside the file (416)
    UnsupportedMediaType, // the bytes are not a format we accept
    ChecksumMismatch,     // uploaded bytes differ from the checksum the client sent (tus: 460)
    Unprocessable,        // well-formed but semantically refused
    TooManyRequests,      // rate limited; see Status::retryAfterSeconds
    Unavailable,          // the server is unreachable or answered 5xx: try again later
    Untrusted,            // the server's TLS certificate is not trusted, or not the pinned key
    Internal,             // a bug or an I/O failure; details go to the log, not the client
};

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Code code, std::string message) : m_code(code), m_message(std::move(message)) {}

    static Status ok() { return {}; }

    bool isOk() const { return m_code == Code::Ok; }
    explicit operator bool() const { return isOk(); }
    Code code() const { return m_code; }
    const std::string& message() const { return m_message; }

    // Only meaningful with Code::TooManyRequests.
    std::optional<int> retryAfterSeconds() const { return m_retryAfter; }
    Status& withRetryAfter(int seconds) {
        m_retryAfter = seconds;
        return *this;
    }

private:
    Code m_code = Code::Ok;
    std::string m_message;
    std::optional<int> m_retryAfter;
};

inline Status invalidArgument(std::string m) {
    return {Code::InvalidArgument, std::move(m)};
}
inline Status unauthenticated(std::string m) {
    return {Code::Unauthenticated, std::move(m)};
}
inline Status permissionDenied(std::string m) {
    return {Code::PermissionDenied, std::move(m)};
}
inline Status notFound(std::string m) {
    return {Code::NotFound, std::move(m)};
}
inline Status conflict(std::string m) {
    return {Code::Conflict, std::move(m)};
}
inline Status unprocessable(std::string m) {
    return {Code::Unprocessable, std::move(m)};
}
inline Status internalError(std::string m) {
    return {Code::Internal, std::move(m)};
}

// A value or the Status explaining why there is none.
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Status status) : m_v(std::move(status)) {}

    bool isOk() const { return m_v.index() == 0; }
    explicit operator bool() const { return isOk(); }

    // REQUIRES: isOk()
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

    // REQUIRES: !isOk()
    const Status& status() const { return std::get<1>(m_v); }

private:
    std::variant<T, Status> m_v;
};

} // namespace pinhole::sync

// Early return of a failed Status or Result from a function returning Status or Result<U>.
#define PINHOLE_TRY(expr)                                                                                              \
    do {                                                                                                               \
        auto&& pinhole_try_ = (expr);                                                                                  \
        if (!pinhole_try_.isOk())                                                                                      \
            return ::pinhole::sync::detail::statusOf(pinhole_try_);                                                    \
    } while (0)

namespace pinhole::sync::detail {
inline const Status& statusOf(const Status& s) {
    return s;
}
template <class T> const Status& statusOf(const Result<T>& r) {
    return r.status();
}
} // namespace pinhole::sync::detail
