// A Beast body that streams a byte range of a file in 64 KiB chunks (for Range responses and
// plain file downloads alike). Beast's own file_body always sends from offset 0 to the end.
#pragma once

#include <boost/beast/core/file.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <array>
#include <cstdint>

namespace pinhole::server::http {

struct FileSliceBody {
    struct value_type {
        boost::beast::file file;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };

    static std::uint64_t size(const value_type& v) { return v.length; }

    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(boost::beast::http::header<isRequest, Fields>&, value_type& body)
            : m_body(body), m_remain(body.length) {}

        void init(boost::beast::error_code& ec) { m_body.file.seek(m_body.offset, ec); }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            const std::size_t amount = m_remain > m_buf.size() ? m_buf.size() : static_cast<std::size_t>(m_remain);
            if (amount == 0) {
                ec = {};
                return boost::none;
            }
            const std::size_t n = m_body.file.read(m_buf.data(), amount, ec);
            if (ec)
                return boost::none;
            if (n == 0) {
                ec = boost::beast::http::error::short_read; // the file shrank under us
                return boost::none;
            }
            m_remain -= n;
            return {{const_buffers_type{m_buf.data(), n}, m_remain > 0}};
        }

    private:
        value_type& m_body;
        std::uint64_t m_remain;
        std::array<char, 64 * 1024> m_buf;
    };
};

} // namespace pinhole::server::http
