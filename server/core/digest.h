// SHA-256, the server's one implementation: content addresses of originals, upload checksums,
// backup manifests and token hashes. OpenSSL's EVP uses the CPU's SHA extensions where present
// (about 1.8 GB/s on the CI machine; libsodium's portable code, used before, was the largest
// single cost of an upload after the derivatives — see docs/testing.md, ingest).
// Thread-safe: a Sha256 object is used by one thread; the free functions by any.
#pragma once

#include "core/status.h"

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace pinhole::server {

// Incremental: update() any number of times, then digest() or hex() once.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view bytes);
    void update(const void* data, std::size_t size);
    std::string digest(); // the 32 raw bytes
    std::string hex();    // lower-case hex

private:
    struct Free {
        void operator()(evp_md_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

std::string sha256(std::string_view bytes); // 32 raw bytes
std::string sha256Hex(std::string_view bytes);
// A file's SHA-256 as lower-case hex, streamed in 1 MiB blocks.
Result<std::string> sha256OfFile(const std::string& path);
bool isSha256Hex(std::string_view text);
std::string toHex(std::string_view bytes);

} // namespace pinhole::server
