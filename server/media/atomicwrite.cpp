#include "media/atomicwrite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace pinhole::server::media {

namespace {

Status ioError(const std::string& what, const std::string& path, int err) {
    return internalError(what + " " + path + ": " + std::strerror(err));
}

// Closes the descriptor and removes the temporary file unless released (after a successful rename).
class TempFile {
public:
    TempFile(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
    ~TempFile() {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_published)
            ::unlink(m_path.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return m_fd; }
    const std::string& path() const { return m_path; }
    // Closes now, reporting the error close() can return (a delayed write failure on some filesystems).
    Status close() {
        const int fd = m_fd;
        m_fd = -1;
        if (::close(fd) != 0)
            return ioError("cannot close", m_path, errno);
        return Status::ok();
    }
    void published() { m_published = true; }

private:
    int m_fd;
    std::string m_path;
    bool m_published = false;
};

} // namespace

Status writeFileAtomically(const std::string& dir, const std::string& name, std::span<const unsigned char> bytes) {
    if (name.empty() || name.find('/') != std::string::npos)
        return invalidArgument("bad file name '" + name + "'");
    const std::string target = dir + "/" + name;
    std::string pattern = dir + "/." + name + ".tmp-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const int fd = ::mkostemp(buffer.data(), O_CLOEXEC);
    if (fd < 0)
        return ioError("cannot create a temporary file for", target, errno);
    TempFile temp(fd, buffer.data());

    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(temp.fd(), bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError("cannot write", temp.path(), errno);
        written += std::size_t(n);
    }
    if (::fchmod(temp.fd(), 0644) != 0)
        return ioError("cannot chmod", temp.path(), errno);
    if (::fsync(temp.fd()) != 0)
        return ioError("cannot fsync", temp.path(), errno);
    PINHOLE_TRY(temp.close());
    if (::rename(temp.path().c_str(), target.c_str()) != 0)
        return ioError("cannot rename into", target, errno);
    temp.published();
    return Status::ok();
}

Status syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioError("cannot open directory", dir, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return ioError("cannot fsync directory", dir, err);
    return Status::ok();
}

} // namespace pinhole::server::media
