// A Beast body for http::PiecesBody: its byte ranges go to the socket as one gather write,
// without being copied into a single buffer first.
#pragma once

#include "http/message.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <utility>
#include <vector>

namespace pinhole::server::http {

struct BeastPiecesBody {
    using value_type = PiecesBody;

    static std::uint64_t size(const value_type& v) { return v.size(); }

    class writer {
    public:
        using const_buffers_type = std::vector<boost::asio::const_buffer>;

        template <bool isRequest, class Fields>
        writer(boost::beast::http::header<isRequest, Fields>&, const value_type& body) {
            m_buffers.reserve(body.pieces.size());
            for (auto piece : body.pieces)
                if (!piece.empty())
                    m_buffers.emplace_back(piece.data(), piece.size());
        }

        void init(boost::beast::error_code& ec) { ec = {}; }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            ec = {};
            return {{m_buffers, false}}; // everything at once; nothing more after it
        }

    private:
        const_buffers_type m_buffers;
    };
};

} // namespace pinhole::server::http
