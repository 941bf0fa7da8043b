// SHA-256 (OpenSSL EVP) of files and buffers, and random UUIDs for outbox operations.
// Threading: free functions, thread-safe.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pinhole::sync {

// The file's SHA-256 as lower-case hex, read in 1 MiB blocks (never whole into memory).
Result<std::string> sha256OfFile(const std::string& path);
std::string sha256Hex(std::string_view bytes);
std::string base64(std::string_view bytes);
std::string hexToBytes(std::string_view hex);
// A random (version 4) UUID, lower-case, with dashes.
std::string randomUuid();
// Unix milliseconds of the system clock.
std::uint64_t wallMillis();

} // namespace pinhole::sync
