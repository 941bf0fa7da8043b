#include "export/exportformat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace json = boost::json;

namespace pinhole::sync::exporting {

namespace {
Status ioError(const std::string& what, const std::string& path) {
    return internalError(what + " " + path + ": " + std::strerror(errno));
}
} // namespace

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError("cannot create", temporary);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            auto s = ioError("cannot write", temporary);
            ::close(fd);
            return s;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        auto s = ioError("cannot flush", temporary);
        ::close(fd);
        return s;
    }
    ::close(fd);
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
        return ioError("cannot rename into", path);
    return Status::ok();
}

Status writeJsonAtomically(const std::string& path, const json::value& value) {
    return writeFileAtomically(path, json::serialize(value) + "\n");
}

Result<json::value> readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return notFound(path + ": missing");
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto value = json::parse(text.str(), ec);
    if (ec)
        return invalidArgument(path + ": not valid JSON (" + ec.message() + ")");
    return value;
}

std::string imageExtension(std::string_view head) {
    auto starts = [&](std::string_view magic, std::size_t at = 0) { return head.substr(at, magic.size()) == magic; };
    if (starts("\xFF\xD8\xFF"))
        return "jpg";
    if (starts("\x89PNG"))
        return "png";
    if (starts("RIFF") && starts("WEBP", 8))
        return "webp";
    if (starts("GIF8"))
        return "gif";
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
        return "tif";
    if (starts("ftyp", 4))
        return "heic";
    return "bin";
}

const char* const* knownExtensions() {
    static const char* const kExtensions[] = {"jpg", "png", "webp", "gif", "tif", "heic", "bin", nullptr};
    return kExtensions;
}

std::string stringOf(const json::object& o, std::string_view key) {
    return optionalStringOf(o, key).value_or("");
}

std::optional<std::string> optionalStringOf(const json::object& o, std::string_view key) {
    if (const auto* v = o.if_contains(key); v && v->is_string())
        return std::string(v->as_string());
    return std::nullopt;
}

bool boolOf(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool();
}

const json::array& arrayOf(const json::object& o, std::string_view key) {
    static const json::array kEmpty;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        return v->as_array();
    return kEmpty;
}

const json::object& objectOf(const json::value& v) {
    static const json::object kEmpty;
    return v.is_object() ? v.as_object() : kEmpty;
}

const json::object& fieldObject(const json::object& o, std::string_view key) {
    static const json::object kEmpty;
    const auto* v = o.if_contains(key);
    return v ? objectOf(*v) : kEmpty;
}

} // namespace pinhole::sync::exporting
