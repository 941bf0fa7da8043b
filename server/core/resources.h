// Files compiled into the binary (see cmake/PinholeEmbed.cmake): default avatar and header.
#pragma once

#include <string_view>

namespace pinhole::resources {
// The bytes of an embedded file by its base name; empty if there is none.
std::string_view find(std::string_view name);
} // namespace pinhole::resources
