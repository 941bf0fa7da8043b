// What every user of exiv2 in the server shares: its one-time initialisation (the XMP toolkit is
// not thread-safe by itself) and the forwarding of its messages to our log.
//
// exiv2 0.27's interface is built on std::auto_ptr, deprecated since C++11: a file that includes
// <exiv2/exiv2.hpp> wraps the include and its use of the returned handles in
//   #pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// as metadata.cpp and xmp.cpp do.
#pragma once

namespace pinhole::server::media {

// Idempotent and thread-safe; call before any other exiv2 function.
void initExiv2();

} // namespace pinhole::server::media
